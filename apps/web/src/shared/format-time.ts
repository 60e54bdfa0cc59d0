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

const DAY_MS = 86_400_000;
/** Beijing is UTC+8 all year (no daylight saving time). */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** When today began in Beijing (00:00 Asia/Shanghai), as a UTC ISO string for the API. */
export function beijingDayStart(now: Date = new Date()): string {
  const local = now.getTime() + BEIJING_OFFSET_MS;
  return new Date(local - (local % DAY_MS) - BEIJING_OFFSET_MS).toISOString();
}
