/**
 * Words and numbers a badge shows: heat level, strongest signals, velocity mark, screen-reader
 * labels. Pure, so the paint test and the popup agree on what "hot" means.
 */
import type { PaperView, SourceId } from '../types';

export const SOURCE_NAMES: Record<SourceId, { short: string; name: string }> = {
  hf: { short: 'HF', name: 'Hugging Face' },
  hn: { short: 'HN', name: 'Hacker News' },
  bluesky: { short: 'Bsky', name: 'Bluesky' },
  x: { short: 'X', name: 'X' },
  s2: { short: 'S2', name: 'Semantic Scholar' },
};

/** The one count each source is best known by (counts keys as in lib/types.ts SignalRecord). */
export const MAIN_METRIC: Record<SourceId, string> = {
  hf: 'upvotes',
  hn: 'points',
  bluesky: 'likes',
  x: 'likes',
  s2: 'citations',
};

export const LEVEL_WORDS = ['no signal', 'some interest', 'warm', 'hot', 'very hot'] as const;
export type HeatLevel = 0 | 1 | 2 | 3 | 4;

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
export const isRising = (v: PaperView): boolean => v.velocity >= RISING_PER_HOUR;

export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '0';
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  return String(Math.round(n));
}

export interface Strong {
  source: SourceId;
  metric: string;
  value: number;
}

/** The sources that contribute most, with their headline count (zero counts left out). */
export function strongest(v: PaperView, max = 2): Strong[] {
  const out: Strong[] = [];
  const parts = [...v.parts].sort((a, b) => b.score - a.score);
  for (const p of parts) {
    const metric = MAIN_METRIC[p.source];
    if (!metric) continue;
    const value = p.counts[metric];
    if (typeof value === 'number' && value > 0) out.push({ source: p.source, metric, value });
    if (out.length >= max) break;
  }
  return out;
}

/** Compact badge text: "23 · HF 21 · HN 54 ↑". */
export function badgeText(v: PaperView): string {
  const bits = [formatCount(v.heat)];
  for (const s of strongest(v)) bits.push(`${SOURCE_NAMES[s.source].short} ${formatCount(s.value)}`);
  return bits.join(' · ') + (isRising(v) ? ' ↑' : '');
}

/** What a screen reader announces for the badge button. */
export function badgeLabel(v: PaperView, threshold: number): string {
  const level = LEVEL_WORDS[heatLevel(v.heat, threshold)];
  if (!(v.heat > 0)) return 'Engagement: no signal yet. Show details';
  const signals = strongest(v, 5).map((s) => `${SOURCE_NAMES[s.source].name} ${s.value} ${s.metric}`);
  return `Heat ${formatCount(v.heat)}, ${level}${signals.length ? `: ${signals.join(', ')}` : ''}${isRising(v) ? '. Rising' : ''}. Show details`;
}

export const PENDING_TEXT = '…';
export const PENDING_LABEL = 'Engagement: loading';
export const NONE_TEXT = '–';
export const NONE_LABEL = 'Engagement: no data for this paper';
