import { normalizeText, syllables } from './tokenizer';

/**
 * Marks what a query matched in a title or body: matched characters wrapped in <em>, everything
 * else HTML-escaped, so the result can be set as innerHTML as is.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const HAN = /^(?=\p{L})\p{Script=Han}$/u;
const ASCII_ALNUM = /^[a-z0-9]+$/;

/** The text's characters with their normalized forms (NFKC, lower case), aligned one to one. */
function normalizedChars(text: string): { original: string[]; normalized: string[] } {
  const original = Array.from(text);
  return { original, normalized: original.map(normalizeText) };
}

function charClass(c: string | undefined): 'letter' | 'digit' | 'other' {
  if (c === undefined) return 'other';
  if (/^[a-z]$/.test(c)) return 'letter';
  if (/^[0-9]$/.test(c)) return 'digit';
  return 'other';
}

/** Marks every occurrence of each term; ASCII terms only where they are a whole word or part. */
function markTerms(normalized: string[], terms: string[], marked: boolean[]): void {
  for (const t of terms) {
    const tc = Array.from(t);
    const ascii = ASCII_ALNUM.test(t);
    for (let i = 0; i + tc.length <= normalized.length; i++) {
      let ok = true;
      for (let k = 0; k < tc.length && ok; k++) ok = normalized[i + k] === tc[k];
      if (!ok) continue;
      if (ascii) {
        const first = charClass(tc[0]);
        const last = charClass(tc[tc.length - 1]);
        if (charClass(normalized[i - 1]) === first || charClass(normalized[i + tc.length]) === last) continue;
      }
      for (let k = 0; k < tc.length; k++) marked[i + k] = true;
    }
  }
}

/** How many Han characters from `start` the pinyin word spells, by full syllables or initials. */
function pinyinSpan(ss: string[], start: number, word: string): number {
  // Full syllables: the word runs through whole syllables and may end inside the last one.
  let pos = 0;
  let n = 0;
  while (start + n < ss.length && pos < word.length) {
    const s = ss[start + n];
    if (!s) break;
    const rest = word.slice(pos);
    if (rest.startsWith(s)) {
      pos += s.length;
      n++;
    } else if (s.startsWith(rest)) {
      pos = word.length;
      n++;
    } else break;
  }
  if (pos === word.length && n > 0) return n;
  // Initials: one letter a character.
  let k = 0;
  while (k < word.length && start + k < ss.length && ss[start + k]?.[0] === word[k]) k++;
  return k === word.length ? k : 0;
}

function markPinyin(normalized: string[], words: string[], marked: boolean[]): void {
  let i = 0;
  while (i < normalized.length) {
    if (!HAN.test(normalized[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < normalized.length && HAN.test(normalized[j])) j++;
    const ss = syllables(normalized.slice(i, j).join(''));
    if (ss.length === j - i) {
      for (const w of words) {
        for (let s = 0; s < ss.length; s++) {
          const n = pinyinSpan(ss, s, w);
          for (let k = 0; k < n; k++) marked[i + s + k] = true;
        }
      }
    }
    i = j;
  }
}

function render(original: string[], marked: boolean[], from: number, to: number): string {
  let out = '';
  let open = false;
  for (let i = from; i < to; i++) {
    if (marked[i] && !open) {
      out += '<em>';
      open = true;
    } else if (!marked[i] && open) {
      out += '</em>';
      open = false;
    }
    out += escapeHtml(original[i]);
  }
  return open ? `${out}</em>` : out;
}

export interface HighlightTerms {
  highlight: string[];
  pinyin: string[];
}

export function highlightTitle(title: string, terms: HighlightTerms): string {
  const { original, normalized } = normalizedChars(title);
  const marked = new Array<boolean>(original.length).fill(false);
  markTerms(normalized, terms.highlight, marked);
  if (terms.pinyin.length > 0) markPinyin(normalized, terms.pinyin, marked);
  return render(original, marked, 0, original.length);
}

/** Characters of body shown around the first match. */
export const SNIPPET_CHARS = 120;
const SNIPPET_LEAD = 20;

/** The part of the body around its first match (or its start), with "…" where it was cut. */
export function highlightBody(body: string, terms: HighlightTerms, size = SNIPPET_CHARS): string {
  const { original, normalized } = normalizedChars(body);
  const marked = new Array<boolean>(original.length).fill(false);
  markTerms(normalized, terms.highlight, marked);
  if (original.length <= size) return render(original, marked, 0, original.length);
  const first = marked.indexOf(true);
  let from = first <= SNIPPET_LEAD ? 0 : first - SNIPPET_LEAD;
  from = Math.max(0, Math.min(from, original.length - size));
  const to = Math.min(original.length, from + size);
  return `${from > 0 ? '…' : ''}${render(original, marked, from, to)}${to < original.length ? '…' : ''}`;
}
