/**
 * Words and numbers a badge shows: heat level, strongest signals, velocity mark, screen-reader
 * labels. Pure over the view (words come from lib/content/i18n.ts), so the paint test and the
 * popup agree on what "hot" means.
 */
import type { PageView, SourceId } from '../types';
import { msg } from './i18n';

export const sourceName = (s: SourceId): string => msg(`source_${s}`);
export const sourceShort = (s: SourceId): string => msg(`sourceShort_${s}`);
export const isSource = (s: string): s is SourceId => s === 'hf' || s === 'alphaxiv' || s === 'hn' || s === 'bluesky' || s === 'x' || s === 's2';

/** The one count each source is best known by (counts keys as in lib/types.ts SignalRecord). */
export const MAIN_METRIC: Record<SourceId, string> = {
  hf: 'upvotes',
  alphaxiv: 'votes',
  hn: 'points',
  bluesky: 'likes',
  x: 'likes',
  s2: 'citations',
};

/** Counts keys the sources write (lib/types.ts SignalRecord); each has a `metric_<key>` message. */
export const METRICS = new Set(['upvotes', 'comments', 'githubStars', 'points', 'likes', 'reposts', 'replies', 'quotes', 'retweets', 'posts', 'citations', 'influentialCitations', 'votes', 'visits', 'xLikes', 'accounts', 'bot_likes']);

export type HeatLevel = 0 | 1 | 2 | 3 | 4;
/** 'no signal', 'some interest', 'warm', 'hot', 'very hot' in the UI language. */
export const levelWord = (level: HeatLevel): string => msg(`pageLevel_${level}`);

/** Heat gained per hour from which a paper counts as rising (heat is on the hot-threshold scale, default 10). */
export const RISING_PER_HOUR = 1;

/** 0 none · 1 under half the threshold · 2 under it · 3 hot · 4 three times the threshold or more. */
export function heatLevel(heat: number, threshold: number): HeatLevel {
  if (!(heat > 0)) return 0;
  if (threshold <= 0) return 3;
  if (heat >= 3 * threshold) return 4;
  if (heat >= threshold) return 3;
  return heat >= threshold / 2 ? 2 : 1;
}

export const isHot = (heat: number, threshold: number): boolean => heat > 0 && heat >= threshold;
export const isRising = (v: PageView): boolean => v.velocity >= RISING_PER_HOUR;

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '0';
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(Math.round(n));
}

const num = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0);

/**
 * X/Twitter in the original "Hot Papers" digests' own metric, `retweets: X, favorites: Y`
 * (lib/sources/x-twitter.ts digestLine; the X source stores favorites as `likes`).
 */
export function xCounts(counts: Record<string, number>, fmt: (n: number) => string = (n) => String(Math.round(n))): string {
  return msg('pageCountsX', fmt(num(counts.retweets)), fmt(num(counts.likes)));
}

/** "120 points, 40 comments" — every positive count of one source; X as the digests show it. */
export function countsText(source: SourceId, counts: Record<string, number>): string {
  if (source === 'x') return xCounts(counts);
  const out: string[] = [];
  const kinds: Record<'bot' | 'author', string[]> = { bot: [], author: [] };
  for (const [k, n] of Object.entries(counts)) {
    if (!num(n)) continue;
    // Posts by bots and by the paper's authors are shown apart (lib/sources/post-accounts.ts).
    const kind = k.startsWith('bot_') ? 'bot' : k.startsWith('author_') ? 'author' : null;
    if (kind) {
      const base = k.slice(kind.length + 1);
      kinds[kind].push(msg('pageCount', formatCount(n), METRICS.has(base) ? msg(`metric_${base}`) : base));
      continue;
    }
    // A key no source writes (a garbled payload) is shown as the text it is, never looked up.
    const metric = METRICS.has(k) ? msg(`metric_${k}`) : k.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
    out.push(msg('pageCount', formatCount(n), metric));
  }
  let text = out.join(msg('pageListSeparator'));
  for (const kind of ['bot', 'author'] as const) {
    if (kinds[kind].length) text += `${text ? ' · ' : ''}${msg(kind === 'bot' ? 'kindBots' : 'kindAuthors')}: ${kinds[kind].join(msg('pageListSeparator'))}`;
  }
  return text;
}

export interface Strong {
  source: SourceId;
  metric: string;
  value: number;
  counts: Record<string, number>;
}

/** The sources that contribute most, with their headline count (sources with nothing to show left out). */
export function strongest(v: PageView, max = 2): Strong[] {
  const out: Strong[] = [];
  const parts = [...v.parts].sort((a, b) => b.score - a.score);
  for (const p of parts) {
    let metric = MAIN_METRIC[p.source];
    if (!metric) continue;
    // Bluesky without an account: the likes of the category bots' posts.
    if (!num(p.counts[metric]) && num(p.counts[`bot_${metric}`])) metric = `bot_${metric}`;
    const value = num(p.counts[metric]);
    // X counts when it has retweets or favorites: both are its headline.
    if (value > 0 || (p.source === 'x' && num(p.counts.retweets) > 0)) out.push({ source: p.source, metric, value, counts: p.counts });
    if (out.length >= max) break;
  }
  return out;
}

/** Compact badge text: "23 · HF 21 · HN 54 ↑", "31 · X retweets: 12, favorites: 80". */
export function badgeText(v: PageView): string {
  const bits = [formatCount(v.heat)];
  for (const s of strongest(v)) bits.push(msg('pageSignal', sourceShort(s.source), s.source === 'x' ? xCounts(s.counts, formatCount) : formatCount(s.value)));
  // " · " and "↑" are typography, the same in every language.
  return bits.join(' · ') + (isRising(v) ? ' ↑' : '');
}

/** What a screen reader announces for the badge button. */
export function badgeLabel(v: PageView, threshold: number): string {
  if (!(v.heat > 0)) return msg('pageBadgeNoSignal');
  const level = levelWord(heatLevel(v.heat, threshold));
  const signals = strongest(v, 5)
    .map((s) => msg('pageSignal', sourceName(s.source), s.source === 'x' ? xCounts(s.counts) : msg('pageCount', String(s.value), msg(`metric_${s.metric}`))))
    .join(msg('pageListSeparator'));
  const key = `pageBadgeLabel${signals ? 'Signals' : ''}${isRising(v) ? 'Rising' : ''}`;
  return signals ? msg(key, formatCount(v.heat), level, signals) : msg(key, formatCount(v.heat), level);
}

export const PENDING_TEXT = '…';
export const NONE_TEXT = '–';
export const pendingLabel = (): string => msg('pageBadgeLoading');
export const noneLabel = (): string => msg('pageBadgeNoData');
