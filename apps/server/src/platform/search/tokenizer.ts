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
 * A query over the token fields. `text` terms match the title (and keywords) or the body exactly,
 * `title` terms the title and keywords only; `pinyin` terms match the start of a pinyin token of
 * the title.
 */
export type MatchExpr =
  | { op: 'term'; field: 'text' | 'title' | 'pinyin'; token: string; prefix: boolean }
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
  /**
   * A single Han character beside longer words (the 药 of 执业药): it narrows what the others find,
   * but finds too much to bring documents into the relaxed search by itself.
   */
  narrowsOnly: boolean;
}

export interface AnalyzedQuery {
  /** Each group must match for a document to be found. Empty when the query has nothing to search. */
  groups: QueryGroup[];
  /** Han words and bigrams and ASCII words to wrap in <em> in titles and bodies. */
  highlight: string[];
  /** ASCII letter words that may be pinyin, to highlight the title characters they spell. */
  pinyin: string[];
  /** The searched words, space-separated (for trigram matching). */
  plain: string;
}

type Side = 'match' | 'score';

/** Every group must match. */
export function allOf(groups: QueryGroup[], side: Side): MatchExpr {
  return { op: 'and', of: groups.map((g) => g[side]) };
}

/** The groups that may find documents on their own in the relaxed search. */
export function relaxedGroups(groups: QueryGroup[]): QueryGroup[] {
  return groups.filter((g) => !g.narrowsOnly);
}

/** Some group that finds documents on its own must match; null when that is no different from allOf. */
export function anyOf(groups: QueryGroup[], side: Side): MatchExpr | null {
  if (groups.length <= 1) return null;
  return { op: 'or', of: relaxedGroups(groups).map((g) => g[side]) };
}

/**
 * Function words that a plain-language query (我想办理护照) carries but an item's text need not,
 * and the words search syntaxes use as operators (药师 AND 1=1): a query is text, never syntax, and
 * these words say nothing of what is wanted. Dropped; a query of nothing else finds nothing.
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
  '和',
  '与',
  '或',
  '及',
  '怎么',
  '怎样',
  '如何',
  '哪里',
  '哪儿',
  '请问',
  '我要',
  '我想',
  'and',
  'or',
  'not',
  'near',
]);

const term = (field: MatchTerm['field'], token: string, prefix = false): MatchExpr => ({
  op: 'term',
  field,
  token,
  prefix,
});

/**
 * A single Han character matches titles only: in bodies, 证 or 办 is in nearly every document and
 * says nothing, while a title holding it (身份证…) is what someone typing it looks for.
 */
function hanGroup(word: string, alone: boolean): QueryGroup {
  const cs = chars(word);
  if (cs.length === 1) return { match: term('title', word), score: term('title', word), narrowsOnly: !alone };
  if (cs.length === 2) return { match: term('text', word), score: term('text', word), narrowsOnly: false };
  const all: MatchExpr = { op: 'and', of: bigrams(cs).map((b) => term('text', b)) };
  return { match: all, score: { op: 'or', of: [term('text', word), all] }, narrowsOnly: false };
}

function asciiGroup(word: string): Omit<QueryGroup, 'narrowsOnly'> {
  const g: MatchExpr =
    word.length === 1
      ? term('title', word)
      : /^[a-z]+$/.test(word)
        ? { op: 'or', of: [term('text', word), term('pinyin', word, true)] }
        : term('text', word);
  return { match: g, score: g };
}

interface QueryWord {
  word: string;
  han: boolean;
}

/**
 * The words worth searching for: stop words out, and a single letter or digit (the 1 of 1=1) only
 * when nothing else was typed.
 */
function searchWords(normalized: string): QueryWord[] {
  const seg = segmenter();
  const words: QueryWord[] = [];
  for (const run of hanRuns(normalized)) {
    for (const w of seg.cut(run, false)) if (HAN_ONLY.test(w)) words.push({ word: w, han: true });
  }
  for (const w of normalized.match(ASCII_RUN) ?? []) words.push({ word: w, han: false });
  const meaningful = words.filter((w) => !QUERY_STOP_WORDS.has(w.word));
  const substantial = meaningful.filter((w) => w.han || w.word.length > 1);
  const kept = substantial.length > 0 ? substantial : meaningful;
  const seen = new Set<string>();
  return kept.filter((w) => !seen.has(w.word) && seen.add(w.word));
}

function analyzeWords(words: QueryWord[]): AnalyzedQuery {
  const groups: QueryGroup[] = [];
  const highlight = new Set<string>();
  const pinyinWords: string[] = [];
  const alone = words.every((w) => chars(w.word).length === 1);
  for (const { word, han } of words) {
    groups.push(han ? hanGroup(word, alone) : { ...asciiGroup(word), narrowsOnly: false });
    highlight.add(word);
    if (han) for (const b of bigrams(chars(word))) highlight.add(b);
    else if (/^[a-z]+$/.test(word) && word.length >= 2) pinyinWords.push(word);
  }
  return {
    groups,
    highlight: [...highlight],
    pinyin: pinyinWords,
    plain: words.map((w) => w.word).join(' '),
  };
}

/** Turns what a user typed into expressions over the index's tokens. Never throws. */
export function analyzeQuery(q: string): AnalyzedQuery {
  return analyzeWords(searchWords(normalizeText(q.slice(0, MAX_QUERY_CHARS))));
}

/**
 * A query for titles that start being typed: like analyzeQuery, but the last ASCII word may be
 * incomplete, so it also matches the start of title words.
 */
export function analyzePrefix(prefix: string): AnalyzedQuery {
  const normalized = normalizeText(prefix.slice(0, MAX_QUERY_CHARS));
  const lastAscii = /([a-z0-9]+)\s*$/.exec(normalized)?.[1];
  const words = searchWords(normalized);
  if (!lastAscii) return analyzeWords(words);
  // The word being typed counts even when it is one letter so far (y…) or looks like a stop word (an…).
  const others = words.filter((w) => w.han || w.word !== lastAscii);
  const analyzed = analyzeWords([...others, { word: lastAscii, han: false }]);
  const alternatives: MatchExpr[] = [term('text', lastAscii, true)];
  if (/^[a-z]+$/.test(lastAscii)) alternatives.push(term('pinyin', lastAscii, true));
  const last: MatchExpr = { op: 'or', of: alternatives };
  const groups = [...analyzed.groups.slice(0, -1), { match: last, score: last, narrowsOnly: false }];
  return { ...analyzed, groups };
}
