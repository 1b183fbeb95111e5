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
import type { SourceSetting } from './settings';
import type { DiscussionLink, HeatPart, HotView, Paper, PaperView, SourceId, Snapshot } from './types';

export const DEFAULT_HOT_THRESHOLD = 10;
const UNIT = 5;

interface SourceModel {
  /** Multipliers of each count in E (unknown metrics count 0). */
  metrics: Record<string, number>;
  scale: number;
}

export const SOURCE_MODELS: Record<SourceId, SourceModel> = {
  hf: { metrics: { upvotes: 1, comments: 2, githubStars: 0.05 }, scale: 5 },
  hn: { metrics: { points: 1, comments: 1 }, scale: 30 },
  bluesky: { metrics: { likes: 1, reposts: 2, replies: 1, quotes: 2 }, scale: 15 },
  x: { metrics: { likes: 1, retweets: 2, posts: 0 }, scale: 50 },
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
  for (const [k, m] of Object.entries(model.metrics)) e += m * positive(counts[k]);
  return weight * UNIT * Math.log2(1 + e / model.scale);
}

export interface SignalLike {
  source: SourceId;
  counts: Record<string, number>;
  links?: DiscussionLink[];
}

/** Heat and its explanation. Parts list every enabled source with a signal, largest first. */
export function heatBreakdown(signals: readonly SignalLike[], settings: SourceSettings): { heat: number; parts: HeatPart[] } {
  const parts: HeatPart[] = [];
  for (const s of signals) {
    const setting = settings[s.source];
    if (!setting?.enabled) continue;
    parts.push({ source: s.source, counts: { ...s.counts }, weight: setting.weight, score: sourceScore(s.source, s.counts, setting), share: 0, links: s.links ?? [] });
  }
  const heat = parts.reduce((n, p) => n + p.score, 0);
  for (const p of parts) p.share = heat > 0 ? p.score / heat : 0;
  parts.sort((a, b) => b.score - a.score);
  return { heat, parts };
}

export function heatOf(signals: readonly SignalLike[], settings: SourceSettings): number {
  return heatBreakdown(signals, settings).heat;
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
export const RANK_HALF_LIFE_H: Record<HotView, number> = { today: 24, week: 72, watchlist: Infinity };

/** When a paper became "new": its announcement day (00:00 UTC), else when the cache first saw it. */
export function paperTime(p: Paper): number {
  if (p.announced && /^\d{4}-\d{2}-\d{2}$/.test(p.announced)) {
    const t = Date.parse(`${p.announced}T00:00:00Z`);
    if (Number.isFinite(t)) return t;
  }
  return p.firstSeen;
}

/** The ordering score: heat discounted by age for "today"/"week"; plain heat for the watchlist. */
export function rankScore(v: Pick<PaperView, 'heat' | 'paper'>, view: HotView, now: number): number {
  const half = RANK_HALF_LIFE_H[view];
  if (!Number.isFinite(half)) return v.heat;
  const ageH = Math.max(0, now - paperTime(v.paper)) / 3_600_000;
  return v.heat * 0.5 ** (ageH / half);
}

/** Orders views hottest first for a view; equal scores keep their input order (stable). */
export function rankViews(views: PaperView[], view: HotView, now: number): PaperView[] {
  return views
    .map((v, i) => ({ v, i, s: rankScore(v, view, now) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.v);
}
