/** Asia/Shanghai is UTC+8 all year (no daylight saving time). */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

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

function beijingParts(at: Date | string): Record<string, string> {
  return Object.fromEntries(BEIJING.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
}

/**
 * A stored UTC time as people here read it in a table: Beijing time to the second
 * (“2026-12-08 14:05:09”), whatever zone the server or the browser runs in.
 */
export function beijingTime(at: Date | string): string {
  const p = beijingParts(at);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/**
 * An instant as people here read it in a sentence: Beijing time, to the minute
 * (“2026年12月8日 14:05”). Messages never carry raw ISO times.
 */
export function beijingTimeInWords(at: Date | string): string {
  const p = beijingParts(at);
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
}

/** When the Beijing day holding `now` began (00:00 Asia/Shanghai), as a UTC ISO string. */
export function beijingDayStart(now: Date = new Date()): string {
  const local = now.getTime() + BEIJING_OFFSET_MS;
  return new Date(local - (local % DAY_MS) - BEIJING_OFFSET_MS).toISOString();
}

/** An ISO 8601 time with its zone, as the server stores and writes times. */
export function isIsoTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value);
}
