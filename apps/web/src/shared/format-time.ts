import dayjs from 'dayjs';

/** Server times are UTC ISO strings; people read them in local time. */
export function formatTime(value: string | null | undefined): string {
  return value ? dayjs(value).format('YYYY-MM-DD HH:mm:ss') : '—';
}

const BEIJING = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A server time in Beijing time (Asia/Shanghai) whatever the browser's own zone, to the minute. */
export function formatBeijingTime(value: string | null | undefined): string {
  if (!value) return '—';
  const parts = Object.fromEntries(BEIJING.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}
