/**
 * "For you": a model of what this reader reads, learned on this device from their own examples —
 * starred papers (positives) and papers marked "not for me" (negatives) — against the other cached
 * papers, which stand in as "what the reader did not pick" (as arxiv-sanity did). Features are tf-idf
 * of title and abstract words and word pairs, plus author names; the classifier is a linear SVM
 * (./linear-svm.ts). Pure: the worker reads the papers and stores the model (./model-store.ts).
 *
 * Relevance is reported as a share, 0..1: how many of the cached papers (neither starred nor
 * dismissed) score below this one. 0.95 = "closer to your stars than 95 % of recent papers". A
 * share does not drift with the number of stars, the cost or the vocabulary, so one threshold
 * setting keeps its meaning from one training to the next.
 */
import { seeded, trainLinearSvm, type SparseRows } from './linear-svm';
import { BUCKETS, termBuckets, type TextOfPaper } from './tokens';

export const MODEL_VERSION = 1;
/** Fewer stars than this: no model ("star a few papers first"), today's ranking stands. */
export const MIN_STARS = 3;
/** Largest vocabulary kept: bounds the model's size (~240 KB) and the scoring cost. */
export const MAX_TERMS = 6000;
/** Starred papers whose vectors are kept to name the nearest ones (the most recent stars). */
export const MAX_STAR_VECTORS = 100;
/** Terms of each starred paper's vector kept for that. */
const STAR_TERMS = 40;
/** SVM cost (arxiv-sanity used 0.1 with balanced classes; see docs/decisions.md). */
export const DEFAULT_COST = 0.1;
/** A "not for me" counts this many times an unlabeled paper: the reader said so. */
export const NEGATIVE_BOOST = 3;
/**
 * Unlabeled papers trained on: the first this many in the order given (the worker passes the most
 * recent first), beside every example. Tokenizing is most of a training's cost; 3,000 recent papers
 * are plenty to stand for "what the reader did not pick" (issue 21, docs/performance.md).
 */
export const MAX_UNLABELED = 3000;

export interface TextPaper extends TextOfPaper {
  id: string;
}

export interface StarVector {
  id: string;
  title: string;
  idx: Int32Array;
  val: Float32Array;
}

export interface RelevanceModel {
  version: typeof MODEL_VERSION;
  trainedAt: number;
  /** What it was trained from: the examples' fingerprint (retrain when it differs) and counts. */
  examples: string;
  positives: number;
  negatives: number;
  corpus: number;
  /** Each feature's hash bucket (lib/relevance/tokens.ts), and how its token is spelled (for "why"). */
  buckets: Int32Array;
  terms: string[];
  idf: Float32Array;
  weights: Float32Array;
  bias: number;
  /** Margins of the unlabeled cached papers at 0 %, 1 %, …, 100 %. */
  quantiles: Float32Array;
  stars: StarVector[];
}

/** Order-independent fingerprint of the examples (FNV-1a over the sorted ids). */
export function examplesKey(positives: Iterable<string>, negatives: Iterable<string>): string {
  const text = `${[...positives].sort().join(',')}|${[...negatives].sort().join(',')}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return `${(h >>> 0).toString(36)}.${text.length}`;
}

// ------------------------------------------------------------------ vectors

/** Sparse tf-idf vector, sublinear tf (1 + ln tf), L2-normalised; indices ascending. */
export interface Vec {
  idx: Int32Array;
  val: Float32Array;
}

function vectorOf(raw: ArrayLike<number>, idf: Float32Array): Vec {
  if (!raw.length) return { idx: new Int32Array(0), val: new Float32Array(0) };
  const ids = Int32Array.from(raw).sort();
  let distinct = 0;
  for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) distinct++;
  const idx = new Int32Array(distinct);
  const val = new Float32Array(distinct);
  let norm = 0;
  let o = 0;
  for (let i = 0; i < ids.length; ) {
    let j = i + 1;
    while (j < ids.length && ids[j] === ids[i]) j++;
    const t = ids[i]!;
    const v = (1 + Math.log(j - i)) * idf[t]!;
    idx[o] = t;
    val[o++] = v;
    norm += v * v;
    i = j;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let k = 0; k < distinct; k++) val[k] = val[k]! * inv;
  return { idx, val };
}

/**
 * Bucket → feature of a model, built once per model: an open-addressing table about 2–4× the
 * vocabulary (~100 KB for 6,000 terms), not an array over all 2^20 buckets — a 4 MB array missed
 * the processor's cache on nearly every token and was most of a scoring's time.
 */
export interface FeatureMap {
  keys: Int32Array;
  vals: Int32Array;
  mask: number;
}

export function featureMap(model: Pick<RelevanceModel, 'buckets'>): FeatureMap {
  let size = 16;
  while (size < model.buckets.length * 2) size <<= 1;
  const keys = new Int32Array(size).fill(-1);
  const vals = new Int32Array(size);
  const mask = size - 1;
  model.buckets.forEach((b, f) => {
    let i = b & mask;
    while (keys[i] !== -1 && keys[i] !== b) i = (i + 1) & mask;
    keys[i] = b;
    vals[i] = f;
  });
  return { keys, vals, mask };
}

/** The feature of bucket `b` in a model, -1 when it has none. */
export function featureOf(m: FeatureMap, b: number): number {
  const { keys, mask } = m;
  let i = b & mask;
  for (;;) {
    const k = keys[i]!;
    if (k === b) return m.vals[i]!;
    if (k === -1) return -1;
    i = (i + 1) & mask;
  }
}

export function vectorize(p: TextOfPaper, features: FeatureMap, idf: Float32Array): Vec {
  const ids: number[] = [];
  for (const b of termBuckets(p)) {
    const f = featureOf(features, b);
    if (f >= 0) ids.push(f);
  }
  return vectorOf(ids, idf);
}

// ------------------------------------------------------------------ training

export interface TrainInput {
  /** The cached papers to learn from, examples included (examples not among them are ignored). */
  papers: readonly TextPaper[];
  positives: ReadonlySet<string>;
  negatives: ReadonlySet<string>;
  now: number;
  cost?: number;
  maxTerms?: number;
  /** Unlabeled papers kept, the first in the order given (MAX_UNLABELED). */
  maxUnlabeled?: number;
  seed?: number;
}

/** Null when fewer than MIN_STARS positives are among the papers (nothing to learn from yet). */
export function trainModel(input: TrainInput): RelevanceModel | null {
  const { positives, negatives } = input;
  // Every example, and the first maxUnlabeled other papers (their order kept: deterministic).
  const maxUnlabeled = input.maxUnlabeled ?? MAX_UNLABELED;
  let unlabeled = 0;
  const papers = input.papers.filter((p) => positives.has(p.id) || negatives.has(p.id) || unlabeled++ < maxUnlabeled);
  const n = papers.length;
  const isPos = papers.map((p) => positives.has(p.id));
  const isNeg = papers.map((p, i) => !isPos[i] && negatives.has(p.id));
  const nPos = isPos.filter(Boolean).length;
  if (nPos < MIN_STARS || nPos === n) return null;

  // Pass 1: each paper's distinct buckets (sorted) and counts; document frequency per bucket.
  const uniq: Int32Array[] = new Array(n);
  const counts: Uint16Array[] = new Array(n);
  const df = new Int32Array(BUCKETS);
  const buf: number[] = [];
  let total = 0;
  for (let d = 0; d < n; d++) {
    buf.length = 0;
    const ids = Int32Array.from(termBuckets(papers[d]!, buf)).sort();
    let distinct = 0;
    for (let i = 0; i < ids.length; i++) if (i === 0 || ids[i] !== ids[i - 1]) distinct++;
    const u = new Int32Array(distinct);
    const c = new Uint16Array(distinct);
    let o = -1;
    for (let i = 0; i < ids.length; i++) {
      const t = ids[i]!;
      if (i === 0 || t !== ids[i - 1]) {
        u[++o] = t;
        df[t]!++;
      }
      c[o] = Math.min(65535, c[o]! + 1);
    }
    uniq[d] = u;
    counts[d] = c;
    total += distinct;
  }
  // Vocabulary: tokens in at least two papers (a token of one paper cannot tell two apart), the
  // most frequent first, up to maxTerms; ties by bucket, so a training repeats exactly.
  const maxTerms = input.maxTerms ?? MAX_TERMS;
  const candidates: number[] = [];
  for (let t = 0; t < BUCKETS; t++) if (df[t]! >= 2) candidates.push(t);
  candidates.sort((a, b) => df[b]! - df[a]! || a - b);
  const kept = candidates.slice(0, maxTerms);
  const remap = new Int32Array(BUCKETS).fill(-1);
  kept.forEach((t, i) => (remap[t] = i));
  // Spell the kept tokens: the frequent ones are met in the first papers, so this stops early.
  const terms = new Array<string>(kept.length).fill('');
  let unnamed = kept.length;
  for (let d = 0; d < n && unnamed > 0; d++) {
    termBuckets(papers[d]!, buf.splice(0), (b, text) => {
      const f = remap[b]!;
      if (f >= 0 && !terms[f]) {
        terms[f] = text();
        unnamed--;
      }
    });
  }
  // Smoothed idf, as scikit-learn's TfidfVectorizer.
  const idf = Float32Array.from(kept, (t) => Math.log((1 + n) / (1 + df[t]!)) + 1);

  // Pass 2: the rows, sublinear tf × idf, L2-normalised (columns in no particular order).
  const rows: SparseRows = { offsets: new Int32Array(n + 1), idx: new Int32Array(total), val: new Float32Array(total), cols: terms.length };
  let at = 0;
  for (let d = 0; d < n; d++) {
    const u = uniq[d]!;
    const c = counts[d]!;
    const start = at;
    let norm = 0;
    for (let i = 0; i < u.length; i++) {
      const f = remap[u[i]!]!;
      if (f < 0) continue;
      const v = (1 + Math.log(c[i]!)) * idf[f]!;
      rows.idx[at] = f;
      rows.val[at++] = v;
      norm += v * v;
    }
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = start; k < at; k++) rows.val[k] = rows.val[k]! * inv;
    rows.offsets[d + 1] = at;
  }
  const row = (d: number): Vec => ({ idx: rows.idx.subarray(rows.offsets[d]!, rows.offsets[d + 1]!), val: rows.val.subarray(rows.offsets[d]!, rows.offsets[d + 1]!) });

  // Balanced classes: the few stars weigh as much together as all the other papers.
  const c = input.cost ?? DEFAULT_COST;
  const y = new Int8Array(n);
  const cost = new Float32Array(n);
  const cPos = (c * n) / (2 * nPos);
  const cNeg = (c * n) / (2 * (n - nPos));
  for (let d = 0; d < n; d++) {
    y[d] = isPos[d] ? 1 : -1;
    cost[d] = isPos[d] ? cPos : isNeg[d] ? cNeg * NEGATIVE_BOOST : cNeg;
  }
  const { weights, bias } = trainLinearSvm(rows, y, cost, { random: seeded(input.seed ?? 1) });

  const margins: number[] = [];
  for (let d = 0; d < n; d++) {
    if (isPos[d] || isNeg[d]) continue;
    margins.push(dot(weights, row(d)) + bias);
  }
  margins.sort((a, b) => a - b);
  const quantiles = new Float32Array(101);
  for (let q = 0; q <= 100; q++) quantiles[q] = margins.length ? margins[Math.min(margins.length - 1, Math.round((q / 100) * (margins.length - 1)))]! : 0;

  const stars: StarVector[] = [];
  for (let d = n - 1; d >= 0 && stars.length < MAX_STAR_VECTORS; d--) {
    if (!isPos[d]) continue;
    const v = row(d);
    const top = [...v.idx.keys()].sort((a, b) => v.val[b]! - v.val[a]!).slice(0, STAR_TERMS).sort((a, b) => v.idx[a]! - v.idx[b]!);
    stars.push({ id: papers[d]!.id, title: papers[d]!.title, idx: Int32Array.from(top, (k) => v.idx[k]!), val: Float32Array.from(top, (k) => v.val[k]!) });
  }

  return {
    version: MODEL_VERSION,
    trainedAt: input.now,
    examples: examplesKey(positives, negatives),
    positives: nPos,
    negatives: isNeg.filter(Boolean).length,
    corpus: n,
    buckets: Int32Array.from(kept),
    terms,
    idf,
    weights,
    bias,
    quantiles,
    stars,
  };
}

function dot(w: Float32Array, v: Vec): number {
  let s = 0;
  for (let k = 0; k < v.idx.length; k++) s += w[v.idx[k]!]! * v.val[k]!;
  return s;
}

// ------------------------------------------------------------------ scoring and explaining

/** The share of cached papers a margin beats, 0..1 (interpolated between the stored percentiles). */
export function shareBelow(quantiles: Float32Array, margin: number): number {
  const last = quantiles.length - 1;
  if (last < 1 || !(margin > quantiles[0]!)) return 0;
  if (margin >= quantiles[last]!) return 1;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (quantiles[mid]! <= margin) lo = mid;
    else hi = mid;
  }
  const a = quantiles[lo]!;
  const b = quantiles[hi]!;
  return (lo + (b > a ? (margin - a) / (b - a) : 0)) / last;
}

/** A scorer over one model: the vocabulary is built once. */
export interface Scorer {
  model: RelevanceModel;
  features: FeatureMap;
  /** The raw SVM margin. */
  margin(p: TextOfPaper): number;
  /** Relevance 0..1 (see the module comment). */
  relevance(p: TextOfPaper): number;
}

export function scorer(model: RelevanceModel): Scorer {
  const features = featureMap(model);
  // The margin without building the paper's vector: term counts go into one reused array, then
  // w·x = Σ w_f (1 + ln tf_f) idf_f / ‖x‖ over the features met. Same number as dot(vectorize()).
  const tf = new Uint16Array(model.buckets.length);
  const met: number[] = [];
  const buf: number[] = [];
  const { weights, idf } = model;
  const margin = (p: TextOfPaper) => {
    buf.length = 0;
    met.length = 0;
    termBuckets(p, buf);
    for (let i = 0; i < buf.length; i++) {
      const f = featureOf(features, buf[i]!);
      if (f < 0) continue;
      if (tf[f] === 0) met.push(f);
      if (tf[f]! < 65535) tf[f]!++;
    }
    let wx = 0;
    let norm = 0;
    for (const f of met) {
      const v = (1 + Math.log(tf[f]!)) * idf[f]!;
      wx += weights[f]! * v;
      norm += v * v;
      tf[f] = 0;
    }
    return (norm > 0 ? wx / Math.sqrt(norm) : 0) + model.bias;
  };
  return { model, features, margin, relevance: (p) => shareBelow(model.quantiles, margin(p)) };
}

export interface Why {
  relevance: number;
  /** The words (or "a:" author names) that raise this paper's score most, strongest first. */
  terms: string[];
  /** The starred papers nearest to this one (cosine of tf-idf vectors), nearest first. */
  near: { id: string; title: string; similarity: number }[];
}

const cosine = (a: Vec, b: Vec): number => {
  let s = 0;
  let i = 0;
  let j = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const x = a.idx[i]!;
    const y = b.idx[j]!;
    if (x === y) s += a.val[i++]! * b.val[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
};

/** Why a paper is (or is not) for this reader: its relevance, top terms and nearest stars. */
export function explain(s: Scorer, p: TextPaper, maxTerms = 4, maxNear = 2): Why {
  const v = vectorize(p, s.features, s.model.idf);
  const w = s.model.weights;
  const contrib: { t: number; c: number }[] = [];
  for (let k = 0; k < v.idx.length; k++) {
    const c = w[v.idx[k]!]! * v.val[k]!;
    if (c > 0) contrib.push({ t: v.idx[k]!, c });
  }
  contrib.sort((a, b) => b.c - a.c);
  const terms: string[] = [];
  for (const { t } of contrib) {
    const term = s.model.terms[t]!;
    // A pair says more than its words: drop a word already inside a chosen pair, and vice versa.
    if (terms.some((x) => x.split(' ').includes(term) || term.split(' ').includes(x))) continue;
    terms.push(term);
    if (terms.length >= maxTerms) break;
  }
  const near = s.model.stars
    .filter((star) => star.id !== p.id)
    .map((star) => ({ id: star.id, title: star.title, similarity: cosine(v, star) }))
    .filter((x) => x.similarity >= 0.05)
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, maxNear);
  const margin = dot(w, v) + s.model.bias;
  return { relevance: shareBelow(s.model.quantiles, margin), terms, near };
}

/** Bytes the model takes in storage: its strings (UTF-16 at worst) and its 4-byte numbers. */
export function modelBytes(m: RelevanceModel): number {
  let n = 64 + m.examples.length * 2 + m.quantiles.length * 4;
  for (const t of m.terms) n += t.length * 2 + 8;
  n += m.idf.length * 4 + m.weights.length * 4 + m.buckets.length * 4;
  for (const s of m.stars) n += 32 + (s.id.length + s.title.length) * 2 + s.idx.length * 8;
  return n;
}
