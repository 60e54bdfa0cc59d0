import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { pinyin } from 'pinyin-pro';

/**
 * Turns text into the tokens both search back ends index, and queries into expressions over the
 * same tokens. The databases never segment Chinese themselves: every column they index holds
 * tokens joined by single spaces, and each token is made of Han characters or of [a-z0-9] only,
 * so a whitespace tokenizer (FTS5 unicode61, PostgreSQL's `simple` parser) reads them back as is.
 *
 * Han text gives jieba's search-mode words, plus every character and every bigram of each Han run:
 * jieba keeps 社保卡 as one word, and without the bigram 社保 a query for 社保 would miss it.
 * Titles and keywords also give pinyin: from each character on, the full syllables joined
 * (yaoshishouci…) and the initials (ysszc…), so a prefix query finds `yaoshi`, `ys` or `zyys`.
 */

let jieba: Jieba | undefined;

/** Loading the default dictionary takes about a quarter of a second: once per process, on first use. */
function segmenter(): Jieba {
  jieba ??= Jieba.withDict(dict);
  return jieba;
}

/** Loads the dictionary now rather than on the first request (servers call it at boot). */
export function warmUpTokenizer(): void {
  segmenter();
}

// Han letters only: radicals and symbols of the Han script are separators to FTS5 and PostgreSQL.
const HAN_RUN = /(?:(?=\p{L})\p{Script=Han})+/gu;
const HAN_ONLY = /^(?:(?=\p{L})\p{Script=Han})+$/u;
const ASCII_RUN = /[a-z0-9]+/g;
const LETTERS_OR_DIGITS = /[a-z]+|[0-9]+/g;

/** Pinyin suffixes start at every character of a title but stop after this many characters. */
export const PINYIN_SPAN = 8;
/** Longer queries are cut: nobody types more, and it bounds the size of the database query. */
export const MAX_QUERY_CHARS = 100;

/** Full-width forms to half-width, compatibility ideographs to unified ones, upper to lower case. */
export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

function hanRuns(normalized: string): string[] {
  return normalized.match(HAN_RUN) ?? [];
}

/** The characters of a Han run (code points, so characters outside the BMP stay whole). */
function chars(run: string): string[] {
  return Array.from(run);
}

function bigrams(cs: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < cs.length; i++) out.push(cs[i] + cs[i + 1]);
  return out;
}

function hanTokens(normalized: string, out: string[]): void {
  const seg = segmenter();
  for (const run of hanRuns(normalized)) {
    const cs = chars(run);
    for (const w of seg.cutForSearch(run, false)) if (HAN_ONLY.test(w)) out.push(w);
    out.push(...bigrams(cs), ...cs);
  }
}

/** `GB11643-1999` gives gb11643, gb, 11643, 1999: the whole run and its letter and digit parts. */
function asciiTokens(normalized: string, out: string[]): void {
  for (const run of normalized.match(ASCII_RUN) ?? []) {
    out.push(run);
    const parts = run.match(LETTERS_OR_DIGITS) ?? [];
    if (parts.length > 1) out.push(...parts);
  }
}

/** Index tokens of free text: jieba words, Han characters and bigrams, ASCII words and numbers. */
export function textTokens(text: string): string[] {
  const normalized = normalizeText(text);
  const out: string[] = [];
  hanTokens(normalized, out);
  asciiTokens(normalized, out);
  return out;
}

/** Toneless syllables of each character of a Han run, chosen by pinyin-pro from the context. */
export function syllables(run: string): string[] {
  const out = pinyin(run, { toneType: 'none', type: 'array', v: true });
  return out.map((s) => s.toLowerCase().replace(/[^a-z]/g, ''));
}

/** From each character of each Han run: its syllables joined, and their initials, up to PINYIN_SPAN. */
export function pinyinTokens(text: string): string[] {
  const out = new Set<string>();
  for (const run of hanRuns(normalizeText(text))) {
    const ss = syllables(run);
    for (let i = 0; i < ss.length; i++) {
      const span = ss.slice(i, i + PINYIN_SPAN).filter((s) => s.length > 0);
      if (span.length === 0) continue;
      out.add(span.join(''));
      out.add(span.map((s) => s[0]).join(''));
    }
  }
  return [...out];
}

/**
 * Title words (jieba, not search mode) and each Han word's pinyin, space-separated: what pg_trgm
 * compares a mistyped query with (营业执招 → 营业执照, yaoshl → yaoshi).
 */
export function fuzzyText(texts: string[]): string {
  const seg = segmenter();
  const out: string[] = [];
  for (const text of texts) {
    const normalized = normalizeText(text);
    for (const run of hanRuns(normalized)) {
      const ss = syllables(run);
      let at = 0;
      for (const w of seg.cut(run, false)) {
        const n = chars(w).length;
        out.push(w);
        const py = ss.slice(at, at + n).join('');
        if (py) out.push(py);
        at += n;
      }
    }
    out.push(...(normalized.match(ASCII_RUN) ?? []));
  }
  return out.join(' ');
}

export interface DocumentText {
  title: string;
  body: string;
  keywords?: string[];
}

/** What a back end stores: space-joined tokens per weighted field. */
export interface AnalyzedDocument {
  titleTokens: string;
  bodyTokens: string;
  pinyinTokens: string;
}

export function analyzeDocument(doc: DocumentText): AnalyzedDocument {
  const titleLike = [doc.title, ...(doc.keywords ?? [])];
  return {
    titleTokens: titleLike.flatMap(textTokens).join(' '),
    bodyTokens: textTokens(doc.body).join(' '),
    pinyinTokens: titleLike.flatMap(pinyinTokens).join(' '),
  };
}

/**
 * A query over the token fields. `text` terms match the title (and keywords) or the body exactly;
 * `pinyin` terms match the start of a pinyin token of the title.
 */
export type MatchExpr =
  | { op: 'term'; field: 'text' | 'pinyin'; token: string; prefix: boolean }
  | { op: 'and' | 'or'; of: MatchExpr[] };

export type MatchTerm = Extract<MatchExpr, { op: 'term' }>;

/**
 * One word of a query, two ways. `match` decides whether a document matches and is as cheap as
 * possible: a Han word of three or more characters matches through its bigrams, which every
 * document containing the word has whatever jieba made of it. `score` matches the same documents
 * but also names the word itself, so rankers favour documents where jieba found the whole word.
 */
export interface QueryGroup {
  match: MatchExpr;
  score: MatchExpr;
}

export interface AnalyzedQuery {
  /** Each group must match for a document to be found. Empty when the query has nothing to search. */
  groups: QueryGroup[];
  /** Han words and bigrams and ASCII words to wrap in <em> in titles and bodies. */
  highlight: string[];
  /** ASCII letter words that may be pinyin, to highlight the title characters they spell. */
  pinyin: string[];
  /** The normalized query with only its Han and ASCII runs, space-separated (for trigram matching). */
  plain: string;
}

function collectTerms(e: MatchExpr, out: Map<string, MatchTerm>): void {
  if (e.op === 'term') out.set(`${e.field}:${e.token}:${e.prefix}`, e);
  else for (const x of e.of) collectTerms(x, out);
}

/** Every group must match. */
export function allOf(groups: QueryGroup[], side: keyof QueryGroup): MatchExpr {
  return { op: 'and', of: groups.map((g) => g[side]) };
}

const isSingleHan = (t: MatchTerm) =>
  t.field === 'text' && HAN_ONLY.test(t.token) && chars(t.token).length === 1;

/**
 * Any term of any group is enough (the relaxed search), single Han characters aside when there is
 * anything longer: 执 alone matches half a catalogue and says little. Null when no different from allOf.
 */
export function anyOf(groups: QueryGroup[], side: keyof QueryGroup): MatchExpr | null {
  const collect = (s: keyof QueryGroup) => {
    const terms = new Map<string, MatchTerm>();
    for (const g of groups) collectTerms(g[s], terms);
    const all = [...terms.values()];
    const longer = all.filter((t) => !isSingleHan(t));
    return longer.length > 0 ? longer : all;
  };
  if (collect('match').length <= 1 && groups.length <= 1) return null;
  return { op: 'or', of: collect(side) };
}

/**
 * Function words that a plain-language query (我想办理护照) carries but an item's text need not;
 * dropped unless nothing else is left.
 */
const QUERY_STOP_WORDS = new Set([
  '的',
  '了',
  '我',
  '想',
  '要',
  '在',
  '吗',
  '呢',
  '啊',
  '怎么',
  '怎样',
  '如何',
  '哪里',
  '哪儿',
  '请问',
  '我要',
  '我想',
]);

const term = (field: 'text' | 'pinyin', token: string, prefix = false): MatchExpr => ({
  op: 'term',
  field,
  token,
  prefix,
});

function hanGroup(word: string): QueryGroup {
  const cs = chars(word);
  if (cs.length <= 2) return { match: term('text', word), score: term('text', word) };
  const all: MatchExpr = { op: 'and', of: bigrams(cs).map((b) => term('text', b)) };
  return { match: all, score: { op: 'or', of: [term('text', word), all] } };
}

function asciiGroup(word: string): QueryGroup {
  const g: MatchExpr =
    /^[a-z]+$/.test(word) && word.length >= 2
      ? { op: 'or', of: [term('text', word), term('pinyin', word, true)] }
      : term('text', word);
  return { match: g, score: g };
}

/** Turns what a user typed into expressions over the index's tokens. Never throws. */
export function analyzeQuery(q: string): AnalyzedQuery {
  const normalized = normalizeText(q.slice(0, MAX_QUERY_CHARS));
  const seg = segmenter();
  const groups: QueryGroup[] = [];
  const highlight = new Set<string>();
  const pinyinWords: string[] = [];
  const plain: string[] = [];
  const hanWords: string[] = [];
  for (const run of hanRuns(normalized)) {
    plain.push(run);
    for (const w of seg.cut(run, false)) if (HAN_ONLY.test(w)) hanWords.push(w);
  }
  const meaningful = hanWords.filter((w) => !QUERY_STOP_WORDS.has(w));
  const asciiWords = normalized.match(ASCII_RUN) ?? [];
  const kept = meaningful.length > 0 || asciiWords.length > 0 ? meaningful : hanWords;
  for (const w of new Set(kept)) {
    groups.push(hanGroup(w));
    highlight.add(w);
    for (const b of bigrams(chars(w))) highlight.add(b);
  }
  for (const w of new Set(asciiWords)) {
    plain.push(w);
    groups.push(asciiGroup(w));
    highlight.add(w);
    if (/^[a-z]+$/.test(w) && w.length >= 2) pinyinWords.push(w);
  }
  return {
    groups,
    highlight: [...highlight],
    pinyin: pinyinWords,
    plain: plain.join(' '),
  };
}

/**
 * A query for titles that start being typed: like analyzeQuery, but the last ASCII word may be
 * incomplete, so it also matches the start of title words.
 */
export function analyzePrefix(prefix: string): AnalyzedQuery {
  const analyzed = analyzeQuery(prefix);
  const normalized = normalizeText(prefix.slice(0, MAX_QUERY_CHARS));
  const lastAscii = /([a-z0-9]+)\s*$/.exec(normalized)?.[1];
  if (!lastAscii) return analyzed;
  const alternatives: MatchExpr[] = [term('text', lastAscii, true)];
  if (/^[a-z]+$/.test(lastAscii)) alternatives.push(term('pinyin', lastAscii, true));
  const last: MatchExpr = { op: 'or', of: alternatives };
  const isLast = (e: MatchExpr): boolean =>
    e.op === 'term' ? e.field === 'text' && e.token === lastAscii : e.of.some(isLast);
  const groups = analyzed.groups.map((g) => (isLast(g.match) ? { match: last, score: last } : g));
  return { ...analyzed, groups };
}
