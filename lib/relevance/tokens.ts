/**
 * What the relevance model reads of a paper: the words of its title and abstract, pairs of
 * neighbouring words (so "language model" is not just "language" and "model"), and each author's
 * whole name as one token. Tokens are hashed as they are scanned (the "hashing trick"): no string
 * is cut out of the text and nothing is looked up by string, which is what made a training over
 * 10,000 papers slow. A token's feature is its hash's bucket, one of 2^20; the few tokens that share
 * a bucket share a weight, as in scikit-learn's HashingVectorizer.
 */

export const BUCKET_BITS = 20;
export const BUCKETS = 1 << BUCKET_BITS;
const MASK = BUCKETS - 1;

/**
 * English function words, arXiv's stock phrases and TeX commands: they are in most papers and say
 * nothing about what a paper is about (the idf would weigh them near zero anyway; dropping them
 * keeps the vocabulary for words that do, and keeps pairs like "of the" out of it).
 */
export const STOPWORDS: readonly string[] = (
  'a about above after again against all also although am among an and any are as at be because been before being below between both but by can could did do does doing done down during each either else etc even ever every few for from further get gets given had has have having he her here hers him his how however i if in into is it its itself just least less let like made make makes many may me might more most much must my neither no nor not now of off often on once one only onto or other others our ours out over own per rather same she should since so some such than that the their theirs them themselves then there these they this those though through thus to too toward towards under until up upon us use used uses using very via was we well were what when where whether which while who whom whose why will with within without would yet you your ' +
  // Stock phrases of abstracts.
  'approach approaches based demonstrate demonstrates existing extensive experiments experimental furthermore introduce introduces key moreover new novel paper present presents problem propose proposed proposes provide provides result results show shows significantly study task tasks two three work achieve achieves across effective enables first recent recently ' +
  // TeX that abstracts carry as text.
  'emph textit textbf mathrm mathbf mathcal mathbb cite ref url href'
).split(' ');

/** Accent- and case-folded text (ASCII text skips the Unicode normalization). */
export function foldText(s: string): string {
  const lower = s.toLowerCase();
  // eslint-disable-next-line no-control-regex
  return /^[\u0000-\u007f]*$/.test(lower) ? lower : lower.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

/** Whether char code `c` is in [a-z0-9]. */
const isWordChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 48 && c <= 57);

const FNV_OFFSET = 0x811c9dc5;
const step = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193);
/** Final mix, so near hashes spread over the buckets. */
const mix = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

/** The hash of a word as scanWords computes it. */
export function wordHash(w: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < w.length; i++) h = step(h, w.charCodeAt(i));
  return h;
}

const STOP_HASHES = new Set(STOPWORDS.map((w) => wordHash(w) >>> 2));
/** The same set as an open-addressing table (a typed-array probe is cheaper than Set.has per word). */
const STOP_SIZE = 1024;
const STOP_TABLE = (() => {
  const t = new Int32Array(STOP_SIZE).fill(-1);
  for (const k of STOP_HASHES) {
    let i = k & (STOP_SIZE - 1);
    while (t[i] !== -1) i = (i + 1) & (STOP_SIZE - 1);
    t[i] = k;
  }
  return t;
})();
const isStop = (k: number): boolean => {
  let i = k & (STOP_SIZE - 1);
  for (;;) {
    const x = STOP_TABLE[i]!;
    if (x === k) return true;
    if (x === -1) return false;
    i = (i + 1) & (STOP_SIZE - 1);
  }
};

/**
 * Calls `word(hash, start, end)` for each word of the folded text `s`, in order, and `gap()` where
 * a stopword, a number or a one-letter word was dropped (so no pair spans it). A plural "s" is cut
 * from words longer than four letters ("models" = "model").
 */
export function scanWords(s: string, word: (hash: number, start: number, end: number) => void, gap: () => void): void {
  const n = s.length;
  let i = 0;
  while (i < n) {
    let c = s.charCodeAt(i);
    while (i < n && !isWordChar(c)) c = s.charCodeAt(++i);
    if (i >= n) break;
    const start = i;
    let digits = true;
    let h = FNV_OFFSET;
    let before = h;
    while (i < n && isWordChar(c)) {
      if (c >= 97) digits = false;
      before = h;
      h = step(h, c);
      c = s.charCodeAt(++i);
    }
    let end = i;
    if (end - start < 2 || digits) {
      gap();
      continue;
    }
    if (end - start > 4 && s.charCodeAt(end - 1) === 115 /* s */ && s.charCodeAt(end - 2) !== 115) {
      end--;
      h = before;
    }
    if (STOP_HASHES.has(h >>> 2)) gap();
    else word(h, start, end);
  }
}

/** The words of a text (see scanWords), "" where one was dropped: for tests and the keyword baseline. */
export function words(text: string): string[] {
  const s = foldText(text);
  const out: string[] = [];
  scanWords(
    s,
    (_h, a, b) => out.push(s.slice(a, b)),
    () => {
      if (out.length && out[out.length - 1] !== '') out.push('');
    },
  );
  return out;
}

/** An author's token: "a:" + folded whole name ("Élodie  Martin" → "a:elodie martin"). */
export function authorToken(name: string): string {
  return `a:${foldText(name).replace(/[^a-z0-9]+/g, ' ').trim()}`;
}

export const wordBucket = (h: number): number => mix(h) & MASK;
export const pairBucket = (a: number, b: number): number => mix(Math.imul(a, 0x2545f491) ^ b ^ 0x5bd1e995) & MASK;
export const authorBucket = (token: string): number => mix(wordHash(token) ^ 0x27d4eb2f) & MASK;

const AUTHOR_PREFIX_HASH = wordHash('a:');

/**
 * authorBucket(authorToken(name)) without building the token (no regular expression, no string):
 * -1 when the token would be too short to count (3 characters or fewer).
 */
function authorNameBucket(name: string): number {
  const s = foldText(name);
  let h = AUTHOR_PREFIX_HASH;
  let len = 2;
  let started = false;
  let space = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isWordChar(c)) {
      space = started;
      continue;
    }
    if (space) {
      h = step(h, 32);
      len++;
      space = false;
    }
    h = step(h, c);
    len++;
    started = true;
  }
  return len > 3 ? mix(h ^ 0x27d4eb2f) & MASK : -1;
}

export interface TextOfPaper {
  title: string;
  abstract: string;
  authors: readonly string[];
}

/**
 * Every feature bucket of a paper, repeats kept (term frequency counts them): words, neighbouring
 * word pairs, author names. The title counts twice: it is the authors' own summary. `name`, when
 * given, is told how to spell each token it meets (for naming the model's terms).
 */
export function termBuckets(p: TextOfPaper, out: number[] = [], name?: (bucket: number, text: () => string) => void): number[] {
  if (name) return namedBuckets(p, out, name);
  scanInto(foldText(p.title), out);
  // The title again: its features count twice.
  const titleEnd = out.length;
  for (let i = 0; i < titleEnd; i++) out.push(out[i]!);
  scanInto(foldText(p.abstract), out);
  for (const a of p.authors) {
    const b = authorNameBucket(a);
    if (b >= 0) out.push(b);
  }
  return out;
}

/** scanWords and the word/pair buckets in one loop, without callbacks (the hot path of a training). */
function scanInto(s: string, out: number[]): void {
  const n = s.length;
  let i = 0;
  let prev = 0;
  let hasPrev = false;
  while (i < n) {
    // Never read past the end: charCodeAt's NaN there would make `c` a float in V8's eyes.
    let c = s.charCodeAt(i);
    while (!isWordChar(c) && ++i < n) c = s.charCodeAt(i);
    if (i >= n) break;
    const start = i;
    let digits = true;
    let h = FNV_OFFSET;
    let before = h;
    while (isWordChar(c)) {
      if (c >= 97) digits = false;
      before = h;
      h = step(h, c);
      if (++i >= n) break;
      c = s.charCodeAt(i);
    }
    const len = i - start;
    if (len < 2 || digits) {
      hasPrev = false;
      continue;
    }
    if (len > 4 && s.charCodeAt(i - 1) === 115 /* s */ && s.charCodeAt(i - 2) !== 115) h = before;
    if (isStop(h >>> 2)) {
      hasPrev = false;
      continue;
    }
    out.push(wordBucket(h));
    if (hasPrev) out.push(pairBucket(prev, h));
    prev = h;
    hasPrev = true;
  }
}

/** termBuckets telling `name` how each token is spelled (naming a model's terms; not the hot path). */
function namedBuckets(p: TextOfPaper, out: number[], name: (bucket: number, text: () => string) => void): number[] {
  let prev = 0;
  let prevStart = -1;
  let prevEnd = -1;
  let s = '';
  const word = (h: number, start: number, end: number) => {
    const b = wordBucket(h);
    out.push(b);
    if (name) name(b, () => s.slice(start, end));
    if (prevStart >= 0) {
      const pb = pairBucket(prev, h);
      out.push(pb);
      if (name) {
        const [a0, a1] = [prevStart, prevEnd];
        name(pb, () => `${s.slice(a0, a1)} ${s.slice(start, end)}`);
      }
    }
    prev = h;
    prevStart = start;
    prevEnd = end;
  };
  const gap = () => {
    prevStart = -1;
  };
  s = foldText(p.title);
  scanWords(s, word, gap);
  // The title again: its features count twice.
  const titleEnd = out.length;
  for (let i = 0; i < titleEnd; i++) out.push(out[i]!);
  prevStart = -1;
  s = foldText(p.abstract);
  scanWords(s, word, gap);
  for (const a of p.authors) {
    const tok = authorToken(a);
    if (tok.length <= 3) continue;
    const b = authorBucket(tok);
    out.push(b);
    if (name) name(b, () => tok);
  }
  return out;
}
