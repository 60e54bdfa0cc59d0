import { queryOptions } from '@tanstack/react-query';
import { api } from './api-client';
import type { Me } from './api-types';

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: () => api.get<Me>('/me'),
  staleTime: 60_000,
  retry: false,
});
