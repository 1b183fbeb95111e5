/** Small display helpers for the popup and options page (pure, localized through lib/i18n). */
import { t } from './i18n';
import type { SourceId, SourceState, SourceStatus } from './types';

export function shortAuthors(authors: readonly string[], max = 3): string {
  if (authors.length <= max) return authors.join(', ');
  return t('authorsEtAl', authors.slice(0, max).join(', '), authors.length - max);
}

/** A For you term as the reader knows it: "a:jane doe" is an author ("by jane doe"), words stay. */
export const forYouTermText = (term: string): string => (term.startsWith('a:') ? t('forYouAuthorTerm', term.slice(2)) : term);

export function sourceName(source: SourceId): string {
  return t(`source_${source}`);
}

/** A metric's display name; an unknown metric shows its own name rather than a message key. */
export function metricName(metric: string): string {
  const key = `metric_${metric}`;
  const s = t(key);
  return s === key ? metric : s;
}

/**
 * X/Twitter in the original "Hot Papers" digests' own metric, `retweets: X, favorites: Y` (as the
 * arxiv.org badges show it, lib/content/format.ts; the X source stores favorites as `likes`).
 */
export function xCountsText(counts: Readonly<Record<string, number>>): string {
  const n = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v) : 0);
  return t('pageCountsX', n(counts.retweets), n(counts.likes));
}

/** Counts split by the kind of account that posted (lib/sources/post-accounts.ts: `bot_`, `author_` prefixes). */
export function countsByKind(counts: Readonly<Record<string, number>>): { person: Record<string, number>; bot: Record<string, number>; author: Record<string, number> } {
  const out = { person: {} as Record<string, number>, bot: {} as Record<string, number>, author: {} as Record<string, number> };
  for (const [k, n] of Object.entries(counts)) {
    if (k.startsWith('bot_')) out.bot[k.slice(4)] = n;
    else if (k.startsWith('author_')) out.author[k.slice(7)] = n;
    else out.person[k] = n;
  }
  return out;
}

/**
 * One source's counts for the score breakdown: "points 58, comments 12"; X as the digests show it.
 * Counts of bot and author posts are left to kindLines (shown apart).
 */
export function countsText(source: SourceId, counts: Readonly<Record<string, number>>): string {
  if (source === 'x') return xCountsText(counts);
  return Object.entries(countsByKind(counts).person)
    .map(([m, n]) => `${metricName(m)} ${n}`)
    .join(', ');
}

/** "bot posts (×0.2): likes 12, accounts 1" — one line per kind of account with any positive count. */
export function kindLines(counts: Readonly<Record<string, number>>, weights: { bot?: number; author?: number }): { kind: 'bot' | 'author'; text: string }[] {
  const split = countsByKind(counts);
  const out: { kind: 'bot' | 'author'; text: string }[] = [];
  for (const kind of ['bot', 'author'] as const) {
    const entries = Object.entries(split[kind]).filter(([, n]) => n > 0);
    if (!entries.length) continue;
    const text = entries.map(([m, n]) => `${metricName(m)} ${n}`).join(', ');
    out.push({ kind, text: t('kindCounts', kind === 'bot' ? t('kindBots') : t('kindAuthors'), String(weights[kind] ?? 1), text) });
  }
  return out;
}

/**
 * One formatter per set of options, made on first use: making an Intl.DateTimeFormat (what
 * toLocaleString does on every call) costs the popup's first render more than formatting, several
 * times per render (issue 17). With every date field given, `format` is what toLocaleString and
 * toLocaleDateString return.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locales: string | string[], options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = JSON.stringify([locales, options]);
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(locales, options)));
  return f;
}

export function formatTime(t0: number): string {
  return dateFormat([], { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(new Date(t0));
}

export function formatDay(day: string): string {
  // Noon UTC keeps the calendar day in every time zone.
  return dateFormat([], { weekday: 'short', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** A source's state in plain words ("rate-limited until 14:05"). */
export function sourceStateText(s: SourceStatus): string {
  const state: SourceState = s.state;
  switch (state) {
    case 'ok':
      return t('sourceOk');
    case 'rate-limited':
      return s.retryAt ? t('sourceRateLimitedUntil', formatTime(s.retryAt)) : t('sourceRateLimited');
    case 'auth-needed':
      return t('sourceAuthNeeded');
    case 'error':
      return s.lastError ? t('sourceErrorWith', s.lastError) : t('sourceError');
    case 'disabled':
      return t('sourceDisabled');
    default:
      return t('sourceNever');
  }
}

export function formatHeat(heat: number): string {
  return heat >= 100 ? String(Math.round(heat)) : heat >= 10 ? heat.toFixed(0) : heat.toFixed(1);
}

/** "2026-11-25" in US Eastern time: arXiv's announcement calendar. */
export function easternDay(now: number): { day: string; weekday: number } {
  const parts = dateFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(new Date(now));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { day: `${get('year')}-${get('month')}-${get('day')}`, weekday };
}

/** Days from an announcement day to the current one (arXiv's Eastern calendar). */
export function announcementAgeDays(day: string, now: number): number {
  return Math.round((Date.parse(`${easternDay(now).day}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
}

/**
 * Longer than any pause in arXiv's schedule (its longest, around the new year, is 4–5 days): a list
 * this old is not a quiet day but a cache nothing newer has reached (no poll for weeks, or a
 * recorded day replayed by the demo).
 */
export const OLD_ANNOUNCEMENT_DAYS = 7;

/** Whether the list shown is older than the current announcement day because arXiv announced nothing (weekend or holiday). */
export function isQuietDay(day: string, now: number): boolean {
  const et = easternDay(now);
  const gapDays = announcementAgeDays(day, now);
  if (gapDays > OLD_ANNOUNCEMENT_DAYS) return false;
  return et.weekday === 0 || et.weekday === 6 || gapDays >= 2;
}

/** Whether the list shown is older than any pause in arXiv's schedule explains. */
export function isOldDay(day: string, now: number): boolean {
  return announcementAgeDays(day, now) > OLD_ANNOUNCEMENT_DAYS;
}

/** "Fri, May 15, 2026": an announcement day with its year, for days that are not recent. */
export function formatDayWithYear(day: string): string {
  return dateFormat([], { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** A US-dollar amount with cents, in the reader's format ("$0.80"). */
export function formatUsd(usd: number, digits = 2): string {
  return new Intl.NumberFormat([], { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(usd);
}
