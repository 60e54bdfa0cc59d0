const BEIJING = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function beijingParts(value: string): Record<string, string> {
  return Object.fromEntries(BEIJING.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
}

/**
 * A server time (UTC ISO string) as people here read it: Beijing time (Asia/Shanghai), whatever
 * zone the browser's machine is set to, to the second.
 */
export function formatTime(value: string | null | undefined): string {
  if (!value) return '—';
  const p = beijingParts(value);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The same, to the minute. */
export function formatBeijingTime(value: string | null | undefined): string {
  return value ? formatTime(value).slice(0, 16) : '—';
}
