/**
 * Words people may meet inside a Chinese message: names of formats, standards and headers that
 * have no Chinese form in use. Anything else made of ASCII letters is English left in a message.
 */
export const ALLOWED_LATIN = new Set([
  'JSON',
  'xlsx',
  'Excel',
  'PDF',
  'URL',
  'HTTP',
  'HTTPS',
  'UTF',
  'ID',
  'GB',
  'BPMN',
  'API',
  'requestId',
  'Content',
  'Type',
  'application',
  'json',
  'X-GF-App-Key',
  'X-GF-Timestamp',
  'X-GF-Nonce',
  'X-GF-Signature',
]);

/** The runs of ASCII letters in `text` that are not allowed words (e.g. ["account", "locked"]). */
export function englishWords(text: string): string[] {
  const words = text.match(/[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]{2,}/g) ?? [];
  return words.filter((w) => !ALLOWED_LATIN.has(w) && !w.split('-').every((p) => ALLOWED_LATIN.has(p)));
}
