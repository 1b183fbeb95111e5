/**
 * One poll run: the joined arXiv feed for all the user's categories (one conditional request),
 * watchlisted papers the cache does not hold from the arXiv API (one request, only when there are
 * any), then engagement signals for today's and watchlisted papers, then pruning. Everything comes in
 * through PollEnv, and the run is single-flight across service-worker restarts (an expiring
 * lease in IndexedDB) and idempotent (re-running it adds nothing twice).
 */
import { API_BATCH_SIZE, fetchPapersByIds } from '../arxiv/api';
import { feedUrl, FeedError, parseFeed, type ParsedFeed } from '../arxiv/feed';
import { normalizeArxivId } from '../arxiv/ids';
import type { FeedPollMark } from '../arxiv/schedule';
import {
  acquireLease, getMeta, getPapers, getSignals, hasListings, isQuotaError, latestDay, listingsBetween, prune, releaseLease, setMeta, storePapers,
  type HotDb, type StoreResult,
} from '../store/db';
import { httpText, HttpError, type HttpEnv, type Validators } from '../http';
import { t } from '../i18n';
import type { Settings } from '../settings';
import type { Coverage, FeedReport, Paper, PollReason, PollReport, SourceReport } from '../types';
import { COVERAGE_KEY, coverageOf } from '../rank/coverage';
import { viewIds } from '../rank/hotlist';

export const POLL_LEASE_KEY = 'pollLease';
export const LAST_POLL_KEY = 'lastPoll';
/** FeedPollMark of the last feed request that succeeded (200 or 304), for staleness checks. */
export const LAST_FEED_KEY = 'lastFeedPoll';
export const feedStateKey = (url: string): string => `feed:${url}`;
/** Epoch ms before which arXiv asked (429/503 Retry-After) not to be asked again by a scheduled poll. */
export const FEED_RETRY_AT_KEY = 'feed:retryAt';

/** Long enough for a slow feed plus every source; renewed between phases. */
export const POLL_LEASE_MS = 10 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** Watchlist ids arXiv said it does not know, with when it said so: not asked again for a day. */
export const WATCH_UNKNOWN_KEY = 'watchlist:unknown';
/** On a full disk, keep only this many days (plus the watchlist) and try once more. */
const QUOTA_KEEP_DAYS = 3;

export interface FeedState extends Validators {
  /** includeCrossLists when the validators were stored: a change needs a full fetch. */
  crossLists: boolean;
  day?: string;
  /** Papers stored from that response. */
  papers?: number;
  at: number;
}

/**
 * Validators are only worth sending while the cache still holds what they describe: after
 * "clear cached data" or a quota prune, a 304 would leave the popup empty until arXiv's next day.
 */
async function usableValidators(db: HotDb, state: FeedState | undefined, crossLists: boolean): Promise<Validators | undefined> {
  if (!state || state.crossLists !== crossLists) return undefined;
  if (state.papers && state.day && !(await hasListings(db, state.day))) return undefined;
  return { etag: state.etag, lastModified: state.lastModified };
}

export interface PollEnv extends HttpEnv {
  db: HotDb;
  settings: Settings;
  reason: PollReason;
  /** false = signals-only refresh (no feed request). */
  feeds: boolean;
  /** Lease owner id, unique per worker instance / run. */
  owner: string;
  /** Id of the running worker instance; a lease left by another (stopped) instance is taken over. */
  instance?: string;
  random?: () => number;
  collectSignals?: (papers: Paper[]) => Promise<SourceReport[]>;
  afterPoll?: (report: PollReport) => Promise<void>;
  leaseMs?: number;
}

/** Another poll holds the lease; the caller reports "already running" instead of starting one. */
export class PollInProgressError extends Error {
  override name = 'PollInProgressError';
  constructor() {
    super(t('pollAlreadyRunning'));
  }
}

/**
 * The words of a failure for a report. Our own errors (HttpError, FeedError, ArxivApiError, …) carry
 * localized words already; what a browser API throws (an IndexedDB DOMException) says what it says.
 */
function errorWords(err: unknown): string {
  const words = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  return words || t('pollUnknownError');
}

/** Keeps only papers the user wants: cross-lists out when the setting says so. */
function applyCrossLists(feed: ParsedFeed, include: boolean): ParsedFeed {
  if (include) return feed;
  const keep = new Set(feed.papers.filter((p) => p.announceType === 'new' || p.announceType === 'replace').map((p) => p.id));
  return { ...feed, papers: feed.papers.filter((p) => keep.has(p.id)), listings: feed.listings.filter((l) => keep.has(l.id)) };
}

/**
 * Stores a parsed feed; on a quota error prunes down to the last few days and tries once more.
 * storePapers is one transaction, so a failed write leaves the previous cache intact.
 */
async function storeWithQuota(env: PollEnv, feed: ParsedFeed): Promise<{ stored: StoreResult; pruned: number; warning?: string }> {
  try {
    return { stored: await storePapers(env.db, feed.papers, feed.listings), pruned: 0 };
  } catch (err) {
    if (!isQuotaError(err)) throw err;
    const days = Math.min(env.settings.retentionDays, QUOTA_KEEP_DAYS);
    const pruned = await prune(env.db, env.now() - days * DAY_MS, watchlistIds(env.settings));
    const stored = await storePapers(env.db, feed.papers, feed.listings);
    return { stored, pruned, warning: t('pollStorageFullPruned', pruned, days) };
  }
}

/** The daily feed's size cap: a user following every archive gets about 12 MB on a busy day. */
export const FEED_MAX_BYTES = 32 * 1024 * 1024;

function watchlistIds(settings: Settings): Set<string> {
  return new Set(settings.watchlist.papers.map((p) => normalizeArxivId(p) ?? p));
}

async function pollFeed(env: PollEnv, report: PollReport): Promise<FeedReport> {
  const { settings } = env;
  const url = feedUrl(settings.categories);
  const base: FeedReport = { feed: url, status: 'ok', added: 0, unchanged: 0, skipped: 0 };
  const retryAt = await getMeta<number>(env.db, FEED_RETRY_AT_KEY);
  // Scheduled polls wait; a Refresh the user asked for is one request, and they see the answer.
  if (env.reason !== 'user' && typeof retryAt === 'number' && retryAt > env.now()) {
    const until = new Date(retryAt).toISOString().slice(11, 16);
    return { ...base, status: 'skipped', error: t('pollFeedWait', until) };
  }
  const state = await getMeta<FeedState>(env.db, feedStateKey(url));
  const validators = await usableValidators(env.db, state, settings.includeCrossLists);
  let body: string;
  let newValidators: Validators;
  try {
    const res = await httpText(env, url, {
      validators,
      timeoutMs: 30_000,
      // A joined feed of many whole archives runs to several MB; far past that is not a feed.
      maxBytes: FEED_MAX_BYTES,
      headers: { Accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.1' },
    });
    // arXiv answered again: its earlier "wait" is over.
    if (typeof retryAt === 'number' && retryAt > 0) await setMeta(env.db, FEED_RETRY_AT_KEY, 0);
    if (res.notModified) {
      await setMeta(env.db, LAST_FEED_KEY, { at: env.now(), day: state?.day } satisfies FeedPollMark);
      return { ...base, status: 'not-modified', ...(state?.day ? { day: state.day } : {}) };
    }
    body = res.text;
    newValidators = res.validators;
  } catch (err) {
    if (err instanceof HttpError && err.retryAt) await setMeta(env.db, FEED_RETRY_AT_KEY, err.retryAt);
    // arXiv answers a bad category with HTTP 400 and an RSS "Feed error" whose text says why.
    if (err instanceof HttpError && err.status === 400 && err.body) {
      try {
        parseFeed(err.body, { now: env.now() });
      } catch (feedErr) {
        if (feedErr instanceof FeedError && feedErr.kind === 'arxiv-error') return { ...base, status: 'error', error: feedErr.message };
      }
    }
    // arXiv answers request bursts with 406 as well as 429; say so rather than "HTTP 406".
    if (err instanceof HttpError && err.status === 406) {
      return { ...base, status: 'error', error: t('pollFeedSlowDown', 406) };
    }
    return { ...base, status: 'error', error: errorWords(err) };
  }
  let feed: ParsedFeed;
  try {
    feed = applyCrossLists(parseFeed(body, { now: env.now(), categories: settings.categories }), settings.includeCrossLists);
  } catch (err) {
    return { ...base, status: 'error', error: errorWords(err) };
  }
  const dayPart = feed.day ? { day: feed.day } : {};
  if (feed.papers.length > 0) {
    try {
      const { stored, pruned, warning } = await storeWithQuota(env, feed);
      Object.assign(base, stored);
      if (pruned) report.pruned = (report.pruned ?? 0) + pruned;
      if (warning) report.error = warning;
    } catch (err) {
      // Validators are not stored, so the next poll fetches this feed in full again.
      const full = isQuotaError(err);
      if (full) report.error = t('pollStorageFullKept');
      const error = full ? t('pollStorageFullNotSaved') : t('pollSaveFailed', errorWords(err));
      return { ...base, status: 'error', error, skipped: feed.skipped, ...dayPart };
    }
  }
  const state2: FeedState = { ...newValidators, crossLists: settings.includeCrossLists, papers: feed.papers.length, at: env.now(), ...dayPart };
  await setMeta(env.db, feedStateKey(url), state2);
  await setMeta(env.db, LAST_FEED_KEY, { at: env.now(), ...dayPart } satisfies FeedPollMark);
  return { ...base, status: feed.papers.length ? 'ok' : 'empty', skipped: feed.skipped, ...dayPart };
}

/** Today's papers (latest cached day) in the user's categories, plus the watchlist. */
/** Signals for N of M papers of the Today view (what the popup's status line shows after a poll). */
export async function todayCoverage(db: HotDb, settings: Settings): Promise<Coverage> {
  const today = await viewIds(db, 'today', settings);
  return coverageOf(today.day, today.ids, await getSignals(db, today.ids), settings);
}

export async function papersForSignals(db: HotDb, settings: Settings): Promise<Paper[]> {
  const day = await latestDay(db);
  const ids = new Set<string>();
  if (day) {
    for (const row of await listingsBetween(db, day, day, settings.categories)) {
      if (settings.includeCrossLists || row.announceType === 'new' || row.announceType === 'replace') ids.add(row.id);
    }
  }
  for (const id of watchlistIds(settings)) ids.add(id);
  return [...(await getPapers(db, [...ids])).values()];
}

/** Watchlisted ids to fetch: not cached, and not ids arXiv said it does not know within the last day. */
export async function watchlistToFetch(db: HotDb, settings: Settings, now: number): Promise<{ wanted: string[]; recent: (id: string) => boolean; unknown: Record<string, number> }> {
  const ids = [...watchlistIds(settings)];
  const unknown = ids.length ? ((await getMeta<Record<string, number>>(db, WATCH_UNKNOWN_KEY)) ?? {}) : {};
  const recent = (id: string) => typeof unknown[id] === 'number' && unknown[id]! > now - DAY_MS && unknown[id]! <= now;
  if (!ids.length) return { wanted: [], recent, unknown };
  const cached = await getPapers(db, ids);
  return { wanted: ids.filter((id) => !cached.has(id) && !recent(id)).slice(0, API_BATCH_SIZE), recent, unknown };
}

/**
 * Papers on the watchlist that the cache does not hold — typed into the options page, or never met
 * on a page — fetched from the arXiv API (≤ API_BATCH_SIZE in one request, the 3 s spacing shared
 * with page lookups), so the Watchlist tab and the signals cover them. Ids arXiv does not know
 * are not asked for again for a day. Returns how many papers were stored.
 */
export async function fetchWatchlist(env: PollEnv): Promise<number> {
  const now = env.now();
  const { wanted, recent, unknown } = await watchlistToFetch(env.db, env.settings, now);
  if (!wanted.length) return 0;
  const { papers, missing } = await fetchPapersByIds(env, wanted);
  if (papers.length) await storePapers(env.db, papers, []);
  const keep: Record<string, number> = {};
  for (const id of watchlistIds(env.settings)) if (recent(id)) keep[id] = unknown[id]!;
  for (const id of missing) keep[id] = now;
  await setMeta(env.db, WATCH_UNKNOWN_KEY, keep);
  return papers.length;
}

async function skippedFeedReport(env: PollEnv): Promise<FeedReport> {
  const url = feedUrl(env.settings.categories);
  const last = await getMeta<PollReport>(env.db, LAST_POLL_KEY);
  const prev = last?.feeds.find((f) => f.feed === url && f.status !== 'skipped') ?? last?.feeds.find((f) => f.feed === url);
  const report: FeedReport = { feed: url, status: 'skipped', added: 0, unchanged: 0, skipped: 0 };
  if (prev?.day) report.day = prev.day;
  if (prev?.error) report.error = prev.error;
  return report;
}

/**
 * Runs one poll and returns its report (also stored under LAST_POLL_KEY). Throws
 * PollInProgressError when another run holds the lease; every other failure lands in the report.
 */
export async function runPoll(env: PollEnv): Promise<PollReport> {
  const leaseMs = env.leaseMs ?? POLL_LEASE_MS;
  if (!(await acquireLease(env.db, POLL_LEASE_KEY, env.owner, env.now(), leaseMs, env.instance))) throw new PollInProgressError();
  const report: PollReport = { startedAt: env.now(), finishedAt: 0, reason: env.reason, feeds: [], sources: [] };
  try {
    if (env.settings.categories.length === 0) {
      // Nothing to ask arXiv for; the report still records the run.
    } else if (env.feeds) {
      report.feeds.push(await pollFeed(env, report));
    } else {
      report.feeds.push(await skippedFeedReport(env));
    }

    try {
      const fetched = await fetchWatchlist(env);
      if (fetched) report.watchlistFetched = fetched;
    } catch (err) {
      // The papers stay unfetched and are asked for again next poll; nothing cached is touched.
      report.error ??= t('pollWatchlistFailed', errorWords(err));
    }

    if (env.collectSignals) {
      await acquireLease(env.db, POLL_LEASE_KEY, env.owner, env.now(), leaseMs, env.instance);
      try {
        report.sources = await env.collectSignals(await papersForSignals(env.db, env.settings));
      } catch (err) {
        report.error ??= t('pollSignalsFailed', errorWords(err));
      }
      try {
        // "Signals for N of M papers today" (lib/rank/coverage.ts), for the popup's status line.
        await setMeta(env.db, COVERAGE_KEY, await todayCoverage(env.db, env.settings));
      } catch {
        // Best effort: the status line then shows the last figure it had.
      }
    }

    try {
      const cutoff = env.now() - env.settings.retentionDays * DAY_MS;
      const pruned = await prune(env.db, cutoff, watchlistIds(env.settings));
      if (pruned) report.pruned = (report.pruned ?? 0) + pruned;
    } catch (err) {
      report.error ??= t('pollPruneFailed', errorWords(err));
    }
  } catch (err) {
    report.error = t('pollFailed', errorWords(err));
  } finally {
    report.finishedAt = env.now();
    try {
      await setMeta(env.db, LAST_POLL_KEY, report);
    } finally {
      await releaseLease(env.db, POLL_LEASE_KEY, env.owner);
    }
  }
  if (env.afterPoll) {
    try {
      await env.afterPoll(report);
    } catch {
      // Notifications and the badge are best effort; the poll itself succeeded.
    }
  }
  return report;
}
