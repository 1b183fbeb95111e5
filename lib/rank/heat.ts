/**
 * Pure scoring: signals → heat, snapshots → velocity and history, views → ranking.
 *
 * Heat of one source = weight × 5 × log2(1 + E / scale), where E is a weighted sum of that source's
 * counts (comments and reposts count more than a like) and `scale` is "a notable amount" on that
 * source. So one source at its notable level gives 5 points, four times that gives ~11.6, a
 * hundred times ~33: growth is logarithmic, and a single 3000-point Hacker News thread (~36) cannot
 * drown papers that are discussed everywhere. Paper heat is the sum over sources; a missing source
 * adds nothing (neutral). DEFAULT_HOT_THRESHOLD = 10 ("clearly notable on one source, or noticed on
 * two") matches DEFAULT_SETTINGS.hotThreshold.
 *
 * Heat itself has no time decay (badges show the same number whenever you look); only the ranking
 * of the "today" and "week" views discounts older announcements (rankScore).
 */
import type { SourceSetting } from '../settings';
import type { DiscussionLink, HeatPart, HotView, Paper, PaperView, SourceId, SourcePost, Snapshot } from '../types';

export const DEFAULT_HOT_THRESHOLD = 10;
const X_FAVORITE_TIEBREAK = 1e-6;
const UNIT = 5;

interface SourceModel {
  /** Multipliers of each count in E (unknown metrics count 0). */
  metrics: Record<string, number>;
  scale: number;
  /**
   * Discovery from posts (lib/sources/post-accounts.ts): the same metrics with a `bot_` and an
   * `author_` prefix count too, times the source's botWeight / authorWeight settings.
   */
  byAccountKind?: boolean;
}

/** Share of a bot's or an author's post engagement in heat when the settings do not say. */
export const DEFAULT_BOT_WEIGHT = 0.2;
export const DEFAULT_AUTHOR_WEIGHT = 0.5;

/** [metric, bot_metric, author_metric, multiplier] of a model, built once: sourceScore runs 100,000s of times. */
const KIND_KEYS = new Map<SourceModel, [string, string, string, number][]>();
function kindKeys(model: SourceModel): [string, string, string, number][] {
  let keys = KIND_KEYS.get(model);
  if (!keys) KIND_KEYS.set(model, (keys = Object.entries(model.metrics).map(([k, m]) => [k, `bot_${k}`, `author_${k}`, m])));
  return keys;
}

export const SOURCE_MODELS: Record<SourceId, SourceModel> = {
  hf: { metrics: { upvotes: 1, comments: 2, githubStars: 0.05 }, scale: 5 },
  // Votes are alphaXiv's own upvotes; a hundred visits weigh one vote, X likes a tenth (they are
  // counted from X posts alphaXiv has seen, often the authors' own announcements).
  alphaxiv: { metrics: { votes: 1, visits: 0.01, xLikes: 0.1, githubStars: 0.05 }, scale: 10 },
  hn: { metrics: { points: 1, comments: 1 }, scale: 30 },
  bluesky: { metrics: { likes: 1, reposts: 2, replies: 1, quotes: 2 }, scale: 15, byAccountKind: true },
  // The digests' order: retweets + favorites, a retweet weighing the same as a like. A like counts a
  // millionth more, so equal sums go to more favorites (the digests' tie-break); below a million
  // likes that can never overturn a difference of one whole retweet or like.
  x: { metrics: { likes: 1 + X_FAVORITE_TIEBREAK, retweets: 1, posts: 0 }, scale: 50 },
  s2: { metrics: { citations: 1, influentialCitations: 3 }, scale: 5 },
};

export type SourceSettings = Record<SourceId, SourceSetting>;

function positive(n: unknown): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}

/** One source's contribution for given counts (0 when disabled or weight 0). */
export function sourceScore(source: SourceId, counts: Record<string, number>, setting: SourceSetting | undefined): number {
  const model = SOURCE_MODELS[source];
  if (!model || !setting?.enabled) return 0;
  const weight = positive(setting.weight);
  let e = 0;
  if (model.byAccountKind) {
    const bot = positive(setting.botWeight ?? DEFAULT_BOT_WEIGHT);
    const author = positive(setting.authorWeight ?? DEFAULT_AUTHOR_WEIGHT);
    for (const [k, b, a, m] of kindKeys(model)) e += m * (positive(counts[k]) + bot * positive(counts[b]) + author * positive(counts[a]));
  } else {
    // for…in, not Object.entries: this runs for every signal of every paper of a ranking (100,000s).
    for (const k in model.metrics) e += model.metrics[k]! * positive(counts[k]);
  }
  return weight * UNIT * Math.log2(1 + e / model.scale);
}

export interface SignalLike {
  source: SourceId;
  counts: Record<string, number>;
  links?: DiscussionLink[];
  posts?: SourcePost[];
}

/** Heat and its explanation. Parts list every enabled source with a signal, largest first. */
export function heatBreakdown(signals: readonly SignalLike[], settings: SourceSettings): { heat: number; parts: HeatPart[] } {
  const parts: HeatPart[] = [];
  for (const s of signals) {
    const setting = settings[s.source];
    if (!setting?.enabled) continue;
    const part: HeatPart = { source: s.source, counts: { ...s.counts }, weight: setting.weight, score: sourceScore(s.source, s.counts, setting), share: 0, links: s.links ?? [] };
    if (s.posts?.length) part.posts = s.posts;
    if (SOURCE_MODELS[s.source]?.byAccountKind) {
      part.botWeight = setting.botWeight ?? DEFAULT_BOT_WEIGHT;
      part.authorWeight = setting.authorWeight ?? DEFAULT_AUTHOR_WEIGHT;
    }
    parts.push(part);
  }
  const heat = parts.reduce((n, p) => n + p.score, 0);
  for (const p of parts) p.share = heat > 0 ? p.score / heat : 0;
  parts.sort((a, b) => b.score - a.score);
  return { heat, parts };
}

/** The heat of heatBreakdown without building its parts (summed in the same order, so the same number). */
export function heatOf(signals: readonly SignalLike[], settings: SourceSettings): number {
  let heat = 0;
  for (const s of signals) {
    const setting = settings[s.source];
    if (setting?.enabled) heat += sourceScore(s.source, s.counts, setting);
  }
  return heat;
}

/** Heat at time t from snapshots: each source's latest snapshot at or before t. */
export function heatAt(snapshots: readonly Snapshot[], t: number, settings: SourceSettings): number {
  const latest = new Map<SourceId, Snapshot>();
  for (const s of snapshots) {
    if (s.t > t) continue;
    const cur = latest.get(s.source);
    if (!cur || s.t >= cur.t) latest.set(s.source, s);
  }
  return heatOf([...latest.values()], settings);
}

export const VELOCITY_WINDOW_MS = 6 * 3_600_000;
/** Less history than this gives no velocity (one poll's worth of counts is not a trend). */
const MIN_SPAN_MS = 20 * 60_000;

/**
 * Heat gained per hour over the last ~6 hours. The baseline is heat 6 h ago, or — for a paper
 * first seen more recently — heat at its first snapshot, so discovering existing counts on the
 * first poll is not mistaken for a surge.
 */
export function velocity(snapshots: readonly Snapshot[], now: number, settings: SourceSettings, windowMs = VELOCITY_WINDOW_MS): number {
  if (snapshots.length === 0) return 0;
  const first = Math.min(...snapshots.map((s) => s.t));
  const from = Math.max(now - windowMs, first);
  const span = now - from;
  if (span < MIN_SPAN_MS) return 0;
  const gain = heatAt(snapshots, now, settings) - heatAt(snapshots, from, settings);
  return gain / (span / 3_600_000);
}

/** Heat after each snapshot time, oldest first (at most `max` points, the most recent kept). */
export function heatHistory(snapshots: readonly Snapshot[], settings: SourceSettings, max = 48): { t: number; heat: number }[] {
  const times = [...new Set(snapshots.map((s) => s.t))].sort((a, b) => a - b).slice(-max);
  return times.map((t) => ({ t, heat: heatAt(snapshots, t, settings) }));
}

// ---------------------------------------------------------------- ranking

/** Half-life of the ranking discount by age of the announcement, per view. */
export const RANK_HALF_LIFE_H: Record<HotView, number> = { today: 24, week: 72, watchlist: Infinity, foryou: 24 };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** 00:00 UTC of an announcement day ('YYYY-MM-DD'); NaN for anything else. */
function dayStart(announced: string | undefined): number {
  return announced && DAY.test(announced) ? Date.parse(`${announced}T00:00:00Z`) : NaN;
}

/** When a paper became "new": its announcement day (00:00 UTC), else when the cache first saw it. */
export function paperTime(p: Paper): number {
  const t = dayStart(p.announced);
  return Number.isFinite(t) ? t : p.firstSeen;
}

/** The factor rankScore applies to the heat of a paper that became new at `t`. */
function ageDiscount(t: number, now: number, halfLifeH: number): number {
  const ageH = Math.max(0, now - t) / 3_600_000;
  return 0.5 ** (ageH / halfLifeH);
}

/** The ordering score: heat discounted by age for "today"/"week"; plain heat for the watchlist. */
export function rankScore(v: Pick<PaperView, 'heat' | 'paper'>, view: HotView, now: number): number {
  const half = RANK_HALF_LIFE_H[view];
  if (!Number.isFinite(half)) return v.heat;
  return v.heat * ageDiscount(paperTime(v.paper), now, half);
}

/**
 * rankScore of every view, bit for bit, with the day parsed and the discount computed once per
 * announcement day: a week's ranking holds up to 100,000 papers but only seven days.
 */
export function rankScores(views: readonly Pick<PaperView, 'heat' | 'paper'>[], view: HotView, now: number): Float64Array {
  const n = views.length;
  const scores = new Float64Array(n);
  const half = RANK_HALF_LIFE_H[view];
  if (!Number.isFinite(half)) {
    for (let i = 0; i < n; i++) scores[i] = views[i]!.heat;
    return scores;
  }
  // announced → its discount, or null when it is not a day (then firstSeen counts, paper by paper).
  const byDay = new Map<string, number | null>();
  for (let i = 0; i < n; i++) {
    const { heat, paper } = views[i]!;
    const day = paper.announced;
    let d: number | null | undefined = null;
    if (day !== undefined) {
      d = byDay.get(day);
      if (d === undefined) {
        const t = dayStart(day);
        d = Number.isFinite(t) ? ageDiscount(t, now, half) : null;
        byDay.set(day, d);
      }
    }
    scores[i] = heat * (d ?? ageDiscount(paper.firstSeen, now, half));
  }
  return scores;
}

/** Orders views hottest first for a view; equal scores keep their input order (stable). */
export function rankViews(views: PaperView[], view: HotView, now: number): PaperView[] {
  const order = descendingOrder(rankScores(views, view, now));
  const out = new Array<PaperView>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = views[order[i]!]!;
  return out;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Indices of `scores` from highest to lowest, equal scores in index order: exactly the order of
 * sorting the indices with `(i, j) => scores[j] - scores[i] || i - j`. That comparator sort is
 * what rankViews used to do, ~80 ms for 100,000 papers; this stable LSD radix sort of the scores'
 * IEEE-754 bits (no comparator) takes ~10 ms. 0 and -0 are equal, as for the comparator. A NaN
 * score makes the comparator inconsistent, so then the comparator itself is used, to order the same.
 */
export function descendingOrder(scores: Float64Array): Uint32Array {
  const n = scores.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (Number.isNaN(s)) return comparatorOrder(scores);
    keys[i] = 0 - s; // ascending keys = descending scores; 0 - (-0) is +0
  }
  // Each key as two unsigned 32-bit words that compare like the number: flip the sign bit of a
  // positive key, every bit of a negative one.
  const words = new Uint32Array(keys.buffer);
  const lo = LITTLE_ENDIAN ? 0 : 1;
  const hi = 1 - lo;
  for (let i = 0; i < n; i++) {
    if (words[2 * i + hi]! & 0x8000_0000) {
      words[2 * i + hi] = ~words[2 * i + hi]!;
      words[2 * i + lo] = ~words[2 * i + lo]!;
    } else {
      words[2 * i + hi] = words[2 * i + hi]! | 0x8000_0000;
    }
  }
  let order = new Uint32Array(n);
  let next = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Wider digits mean fewer passes but more counters to clear per pass: 16 bits pay from ~30,000 keys.
  const bits = n < 30_000 ? 11 : 16;
  const radix = 1 << bits;
  const mask = radix - 1;
  const count = new Uint32Array(radix);
  for (const word of [lo, hi]) {
    for (let shift = 0; shift < 32; shift += bits) {
      count.fill(0);
      for (let i = 0; i < n; i++) {
        const d = (words[2 * i + word]! >>> shift) & mask;
        count[d] = count[d]! + 1;
      }
      if (n === 0 || count[(words[word]! >>> shift) & mask] === n) continue; // one digit for all: nothing moves
      let sum = 0;
      for (let d = 0; d < radix; d++) {
        const c = count[d]!;
        count[d] = sum;
        sum += c;
      }
      for (let i = 0; i < n; i++) {
        const j = order[i]!;
        const d = (words[2 * j + word]! >>> shift) & mask;
        const at = count[d]!;
        count[d] = at + 1;
        next[at] = j;
      }
      const done = next;
      next = order;
      order = done;
    }
  }
  return order;
}

function comparatorOrder(scores: Float64Array): Uint32Array {
  const idx = Array.from({ length: scores.length }, (_, i) => i);
  return Uint32Array.from(idx.sort((i, j) => scores[j]! - scores[i]! || i - j));
}
