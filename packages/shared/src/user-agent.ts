/**
 * A browser's User-Agent as people recognise their devices: “Chrome 156 · Windows”, “微信 · iPhone”.
 * Unknown agents (scripts, the CLI) are named as programs; the raw string stays available for a tooltip.
 */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return '未知';
  const browser =
    match(ua, /MicroMessenger\/([\d]+)/, '微信') ??
    match(ua, /Edg(?:e|A|iOS)?\/(\d+)/, 'Edge') ??
    match(ua, /(?:OPR|Opera)\/(\d+)/, 'Opera') ??
    match(ua, /(?:Firefox|FxiOS)\/(\d+)/, 'Firefox') ??
    match(ua, /(?:Chrome|CriOS|Chromium)\/(\d+)/, 'Chrome') ??
    (/Safari\//.test(ua) ? match(ua, /Version\/(\d+)/, 'Safari') : null) ??
    match(ua, /^curl\/([\d.]+)/, 'curl') ??
    match(ua, /^node(?:-fetch)?\/?([\d.]*)/i, 'Node.js');
  const system = /iPhone/.test(ua)
    ? 'iPhone'
    : /iPad/.test(ua)
      ? 'iPad'
      : /Android/.test(ua)
        ? 'Android'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /HarmonyOS/.test(ua)
              ? '鸿蒙'
              : /Linux|X11/.test(ua)
                ? 'Linux'
                : null;
  if (!browser) return system ? `其他程序 · ${system}` : '其他程序';
  return system ? `${browser} · ${system}` : browser;
}

function match(ua: string, re: RegExp, name: string): string | null {
  const m = re.exec(ua);
  if (!m) return null;
  return m[1] ? `${name} ${m[1]}` : name;
}
