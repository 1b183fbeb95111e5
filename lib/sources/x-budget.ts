/**
 * What X costs, in the user's hands. X bills every post a search returns (about $0.005 a post in
 * 2026; up to 100 posts in one request), so the X source counts the posts and requests of each UTC
 * day in its own state and stops for the day when the user's daily post budget is spent.
 *
 * - The default budget, 200 posts, costs at most $1.00 a day.
 * - A run reads at most a quarter of the budget (X runs every 6 hours), so the first run after an
 *   announcement, when nobody has talked about the papers yet, cannot spend the whole day.
 * - X's smallest page is 10 posts (`max_results` 10–100): a request goes out only when at least 10
 *   posts are left, so the budget is never exceeded.
 * - At most one request a day per 20 posts of budget, and never fewer than X_MAX_REQUESTS_PER_DAY:
 *   with the default budget, 10 requests a day.
 */
import { X_DEFAULT_DAILY_POSTS, X_MAX_DAILY_POSTS } from '../settings';

export { X_DEFAULT_DAILY_POSTS, X_MAX_DAILY_POSTS };
export const X_USD_PER_POST = 0.005;
export const X_MAX_REQUESTS_PER_DAY = 10;
export const X_RUNS_PER_DAY = 4;
export const X_MIN_PAGE = 10;
export const X_MAX_PAGE = 100;
/** The source's state key for today's usage. */
export const X_USAGE_KEY = 'usage';

export interface XUsage {
  /** UTC day (YYYY-MM-DD) the counts belong to. */
  day: string;
  posts: number;
  requests: number;
}

export const utcDayOf = (t: number): string => new Date(t).toISOString().slice(0, 10);

const whole = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);

/** Today's usage from the stored record: a record of another day, or a damaged one, reads as nothing used. */
export function usageToday(stored: unknown, now: number): XUsage {
  const day = utcDayOf(now);
  if (typeof stored !== 'object' || stored === null || (stored as XUsage).day !== day) return { day, posts: 0, requests: 0 };
  const s = stored as XUsage;
  return { day, posts: whole(s.posts), requests: whole(s.requests) };
}

/** Posts left today (never negative). */
export function postsLeft(usage: XUsage, budget: number): number {
  return Math.max(0, Math.floor(budget) - usage.posts);
}

/** Requests a day for a budget: one per 20 posts, at least X_MAX_REQUESTS_PER_DAY (10 with the default 200). */
export function requestCap(budget: number): number {
  return Math.max(X_MAX_REQUESTS_PER_DAY, Math.ceil(budget / 20));
}

/** Whether one more request may go out today: a page of at least X_MIN_PAGE posts left, and requests left. */
export function canRequest(usage: XUsage, budget: number): boolean {
  return usage.requests < requestCap(budget) && postsLeft(usage, budget) >= X_MIN_PAGE;
}

/** The posts one run may read: a quarter of the budget (at least one page), within what is left. */
export function runAllowance(usage: XUsage, budget: number): number {
  return Math.min(postsLeft(usage, budget), Math.max(X_MIN_PAGE, Math.ceil(budget / X_RUNS_PER_DAY)));
}

/** What `posts` cost in US dollars. */
export function costUsd(posts: number): number {
  return Math.max(0, posts) * X_USD_PER_POST;
}

/**
 * The day's expected cost at today's pace: posts read so far, spread over the share of the UTC day
 * gone by, capped by the budget (the source stops there). Without any use yet today: the budget's cost.
 */
export function dailyEstimate(usage: XUsage | undefined, budget: number, now: number): { posts: number; usd: number; pace: boolean } {
  const today = usage && usage.day === utcDayOf(now) ? usage.posts : 0;
  if (today <= 0) return { posts: budget, usd: costUsd(budget), pace: false };
  const dayStart = Date.parse(`${utcDayOf(now)}T00:00:00Z`);
  const gone = Math.max(1 / 24, (now - dayStart) / 86_400_000);
  const posts = Math.min(budget, Math.round(today / gone));
  return { posts, usd: costUsd(posts), pace: true };
}
