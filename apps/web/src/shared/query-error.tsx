import { Alert } from 'antd';
import { ApiError } from './api-client';

/** A failed request shown in place: the server's message, its hint and request id for support. */
export function QueryError({ error }: { error: Error | null }) {
  if (!error) return null;
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  const hint = error instanceof ApiError ? error.hint : undefined;
  return (
    <Alert
      type="error"
      showIcon
      title={error.message}
      description={[hint, requestId && `请求编号：${requestId}`].filter(Boolean).join('；') || undefined}
      style={{ marginBottom: 16 }}
    />
  );
}
