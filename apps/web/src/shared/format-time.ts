import dayjs from 'dayjs';

/** Server times are UTC ISO strings; people read them in local time. */
export function formatTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : '—';
}
