const BEIJING_PARTS = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * An instant as people here read it in a sentence: Beijing time, to the minute
 * (“2026年12月8日 14:05”), whatever zone the server runs in. Messages never carry raw ISO times.
 */
export function beijingTimeInWords(at: Date | string): string {
  const p = Object.fromEntries(BEIJING_PARTS.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}`;
}
