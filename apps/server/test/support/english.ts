/**
 * Words people may meet inside a Chinese message: names of formats, standards, units and the
 * product that have no Chinese form in use. Anything else made of ASCII letters is English left in
 * a message.
 */
export const ALLOWED_LATIN = new Set([
  'GovFlow',
  'JSON',
  'xlsx',
  'Excel',
  'PDF',
  'URL',
  'HTTP',
  'HTTPS',
  'ID',
  'GB',
  'MB',
  'KB',
  'BPMN',
  'API',
  'requestId',
  'application/json',
  'PORT',
  'HOST',
  'audit-anchor',
  'govflow',
  'datahub-source-keeper',
  'Content-Type',
  // Commands to type, named in a message that says what to run.
  'npm',
  'start',
  'run',
  'migrate',
]);

/**
 * The runs of ASCII letters in `text` that are English words (e.g. ["account", "locked"]).
 * Left out: allowed words, command-line options (`--url`), environment variables (`DATA_DIR`),
 * request headers (`X-GF-Nonce`): names to type, not words to read.
 */
export function englishWords(text: string): string[] {
  const tokens = text.match(/-{0,2}[A-Za-z][A-Za-z0-9_/-]*[A-Za-z0-9]/g) ?? [];
  return tokens.filter(
    (t) =>
      !ALLOWED_LATIN.has(t) &&
      !t.startsWith('-') &&
      !/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(t) &&
      !/^X(-[A-Z][A-Za-z]*)+$/.test(t),
  );
}
