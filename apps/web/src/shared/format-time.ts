import { beijingTime } from '@govflow/shared';

/**
 * A server time (UTC ISO string) as people here read it: Beijing time (Asia/Shanghai), whatever
 * zone the browser's machine is set to, to the second.
 */
export function formatTime(value: string | null | undefined): string {
  return value ? beijingTime(value) : '—';
}

/** The same, to the minute. */
export function formatBeijingTime(value: string | null | undefined): string {
  return value ? formatTime(value).slice(0, 16) : '—';
}
