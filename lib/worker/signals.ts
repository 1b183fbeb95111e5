/**
 * The signals phase of a poll: runs every enabled engagement source over a batch of papers, each
 * in isolation, and stores what it found.
 *
 * - A source is skipped while its `retryAt` (from a 429 / Retry-After) is in the future, and when
 *   it last ran less than its `minIntervalMs` ago (unless `force`).
 * - Each source runs in its own try/catch: a failure marks only that source's status and never
 *   touches any stored signal. A paper a source did not report this time keeps its previous signal.
 * - Snapshots are written by db.storeSignals only when counts changed.
 * - Status per source lives in the meta store under `source-status:<id>`; error words never carry
 *   credentials (they are scrubbed, and sources only see their own).
 * - Sources get a fetch that refuses any host outside their own `hosts` (lib/credentials.ts).
 *
 * Coverage: every source gets the batch the caller passes (the poll passes the latest day's papers
 * and the watchlist) and sends at most its `maxRequests` (HF: the latest dates page by page, then
 * the week of the batch widened to the cached week (weekPapers), then single papers; HN/Bluesky: the newest stories and posts since the earliest announcement, ≤ 8 days). The
 * batch is ordered here: watchlist papers first, then the most recent announcement days, so caps
 * cut the oldest papers. Semantic Scholar (citations, for the week and watchlist views) gets it
 * ordered by discussion instead (discussedFirst), widened to the cached papers of the 7
 * announcement days up to the batch's latest and cut at S2_BATCH (500, one call per 3 h).
 *
 * Discovery sources (X) find papers from the posts: they report every paper a post links. Their
 * batch is only what to ask about by id when discovery misses it (perIdTargets: the watchlist and
 * stale top-list papers); their signals are stored for every cached paper, and linked papers the
 * cache lacks are first fetched from the arXiv API (discoveredPapers).
 */
import { API_BATCH_SIZE, fetchPapersByIds } from '../arxiv/api';
import { accountStateKey, credentialsFor, getCredentials, guardFetch, scrubSecrets } from '../credentials';
import { getMeta, getPapers, getSignals, listingsBetween, setMeta, statusKey, storePapers, storeSignals, type HotDb } from '../store/db';
import { HttpError, type HttpEnv } from '../http';
import type { KeyValueStorage, Settings } from '../settings';
import { SOURCES } from '../sources/index';
import { addDays } from '../sources/paper-match';
import { S2_BATCH } from '../sources/semantic-scholar';
import { SourceError, type Credentials, type EngagementSource, type PaperSignal, type SourceEnv } from '../sources/types';
import type { Paper, SignalRecord, SourceId, SourceReport, SourceState, SourceStatus, SourceUsage } from '../types';
import { X_USAGE_KEY } from '../sources/x-budget';
import { heatOf, paperTime } from '../rank/heat';
import { t } from '../i18n';

export interface SignalsEnv extends HttpEnv {
  db: HotDb;
  settings: Settings;
  storage: KeyValueStorage;
  /** Where credentials and account sessions live (lib/store/secret-store.ts); `storage` in unit tests that give none. */
  secrets?: KeyValueStorage;
  sources?: EngagementSource[];
}

export interface CollectOptions {
  /**
   * On-demand lookup for papers just seen on a page: ignore minIntervalMs for the cheap sources
   * (interval ≤ FORCE_MAX_INTERVAL_MS: Hugging Face, Hacker News, Bluesky) and do not widen the
   * Semantic Scholar batch. X and Semantic Scholar keep their intervals (small quotas).
   * retryAt is always respected.
   */
  force?: boolean;
}

/**
 * Sources whose counts are sums over a bounded search window (newest posts first, a few pages).
 * A post that scrolls out of the window would make a paper's total drop although nothing was
 * taken back, so for these a stored count never goes down (per metric), and the previous links
 * are kept when the new reply carries none.
 */
export const WINDOWED_SOURCES: ReadonlySet<SourceId> = new Set<SourceId>(['alphaxiv', 'hn', 'bluesky', 'x']);

function mergeWindowed(prev: SignalRecord | undefined, next: SignalRecord): SignalRecord {
  if (!prev) return next;
  const counts: Record<string, number> = { ...next.counts };
  for (const [k, v] of Object.entries(prev.counts)) if (k in counts && v > counts[k]!) counts[k] = v;
  const merged: SignalRecord = { ...next, counts, links: next.links.length ? next.links : prev.links };
  if (!next.posts?.length && prev.posts?.length) merged.posts = prev.posts;
  return merged;
}

export const FORCE_MAX_INTERVAL_MS = 10 * 60_000;

/** After a 429 without a usable Retry-After, wait at least this long. */
export const MIN_RATE_LIMIT_BACKOFF_MS = 5 * 60_000;

const stateKey = (id: SourceId, key: string) => `source-state:${id}:${key}`;

export async function getSourceStatus(db: HotDb, id: SourceId): Promise<SourceStatus> {
  return (await getMeta<SourceStatus>(db, statusKey(id))) ?? { source: id, state: 'never' };
}

/** Watchlist papers first, then newest announcements first; input order breaks ties. */
export function orderBatch(papers: readonly Paper[], watch: ReadonlySet<string>): Paper[] {
  const unique = [...new Map(papers.map((p) => [p.id, p])).values()];
  return unique
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Number(watch.has(b.p.id)) - Number(watch.has(a.p.id)) || paperTime(b.p) - paperTime(a.p) || a.i - b.i)
    .map((x) => x.p);
}

/**
 * Plain words for a failure (no URLs with query strings, no secrets), in the language of the moment
 * (lib/i18n.ts). The state comes from the error's kind, never from its words.
 */
export function describeError(err: unknown, source: Pick<EngagementSource, 'label' | 'credentials'>): { state: SourceState; message: string; retryAt?: number } {
  const label = source.label;
  if (err instanceof SourceError) return { state: err.kind === 'auth-needed' ? 'auth-needed' : 'error', message: err.message };
  if (err instanceof HttpError) {
    const status = err.status ?? '?';
    switch (err.kind) {
      case 'rate-limited':
        return { state: 'rate-limited', message: t('sourceErrRateLimited', label), retryAt: err.retryAt };
      case 'auth':
        // A source without an account cannot fix a 401/403 by signing in: it is simply refusing us.
        if (source.credentials === 'none') return { state: 'error', message: t('sourceErrRefused', label, status) };
        return { state: 'auth-needed', message: t('sourceErrSignInRefused', label, status) };
      case 'timeout':
        return { state: 'error', message: t('sourceErrTimeout', label) };
      case 'offline':
        return { state: 'error', message: t('sourceErrOffline', label) };
      case 'bad-payload':
        return { state: 'error', message: t('sourceErrBadPayload', label) };
      case 'aborted':
        return { state: 'error', message: t('sourceErrAborted', label) };
      case 'redirect':
      case 'too-large':
        return { state: 'error', message: t('sourceErrWithDetail', label, err.message) };
      default:
        return { state: 'error', message: t('sourceErrHttp', label, status) };
    }
  }
  return { state: 'error', message: t('sourceErrUnexpected', label) };
}

/**
 * Watchlist papers first, then by heat on the sources other than `source` (most discussed first),
 * then in the given order: for sources whose requests reach only part of a batch.
 */
export async function discussedFirst(db: HotDb, settings: Settings, papers: readonly Paper[], source: SourceId): Promise<Paper[]> {
  const signals = await getSignals(db, papers.map((p) => p.id));
  const watch = new Set(settings.watchlist.papers);
  const heat = (id: string) => heatOf((signals.get(id) ?? []).filter((r) => r.source !== source), settings.sources);
  return papers
    .map((p, i) => ({ p, i, w: watch.has(p.id), h: heat(p.id) }))
    .sort((a, b) => Number(b.w) - Number(a.w) || b.h - a.h || a.i - b.i)
    .map((x) => x.p);
}

/** The given papers plus the cached papers of the 7 announcement days up to the batch's latest, watchlist and newest first. */
export async function weekPapers(db: HotDb, settings: Settings, papers: readonly Paper[]): Promise<Paper[]> {
  const days = papers.map((p) => p.announced).filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d));
  const last = days.sort().at(-1);
  const all = new Map(papers.map((p) => [p.id, p]));
  if (last) {
    const rows = await listingsBetween(db, addDays(last, -6), last, settings.categories);
    const missing = [...new Set(rows.map((r) => r.id))].filter((id) => !all.has(id));
    for (const [id, p] of await getPapers(db, missing)) all.set(id, p);
  }
  return orderBatch([...all.values()], new Set(settings.watchlist.papers));
}

/** The Semantic Scholar batch: the week's papers (weekPapers), most discussed first, capped. */
export async function weekBatch(db: HotDb, settings: Settings, papers: readonly Paper[]): Promise<Paper[]> {
  return (await discussedFirst(db, settings, await weekPapers(db, settings, papers), 's2')).slice(0, S2_BATCH);
}

/** Top-list papers whose X counts are older than this are asked about by id when discovery misses them. */
export const X_STALE_MS = 12 * 60 * 60_000;
/** How many of the hottest papers count as "the top list" for that refresh. */
export const X_TOP_LIST = 10;

/**
 * The papers a discovery source (X) asks about by id, when its discovery search does not reach them:
 * watchlist papers, then the top list (the batch's hottest papers on every source) whose counts from
 * this source are missing or older than X_STALE_MS.
 */
export async function perIdTargets(db: HotDb, settings: Settings, papers: readonly Paper[], source: SourceId, now: number): Promise<Paper[]> {
  const watch = new Set(settings.watchlist.papers);
  const signals = await getSignals(db, papers.map((p) => p.id));
  const watched = papers.filter((p) => watch.has(p.id));
  const top = papers
    .filter((p) => !watch.has(p.id))
    .map((p, i) => ({ p, i, h: heatOf(signals.get(p.id) ?? [], settings.sources) }))
    .filter((x) => x.h > 0)
    .sort((a, b) => b.h - a.h || a.i - b.i)
    .slice(0, X_TOP_LIST)
    .filter((x) => {
      const own = signals.get(x.p.id)?.find((r) => r.source === source);
      return !own || now - own.fetchedAt > X_STALE_MS;
    })
    .map((x) => x.p);
  return [...watched, ...top];
}

/** The latest announcement day among the papers (where a discovery search starts). */
function latestAnnounced(papers: readonly Paper[]): string | undefined {
  let day: string | undefined;
  for (const p of papers) if (p.announced && /^\d{4}-\d{2}-\d{2}$/.test(p.announced) && (!day || p.announced > day)) day = p.announced;
  return day;
}

/**
 * The papers a discovery source's signals may be stored for: those asked about, those the cache
 * holds, and — through the arXiv API path page lookups use (3 s slot, one request of ≤ 100 ids,
 * the most-engaged first) — those it does not hold yet. A failed arXiv request keeps the cached ones.
 */
async function discoveredPapers(env: SignalsEnv, asked: readonly Paper[], signals: readonly PaperSignal[]): Promise<Set<string>> {
  const ids = new Set(asked.map((p) => p.id));
  const linked = signals.map((s) => s.paperId).filter((id) => !ids.has(id));
  if (!linked.length) return ids;
  const cached = await getPapers(env.db, linked);
  for (const id of cached.keys()) ids.add(id);
  const engagement = (s: PaperSignal) => Object.values(s.counts).reduce((n, v) => n + v, 0);
  const missing = signals
    .filter((s) => !ids.has(s.paperId))
    .sort((a, b) => engagement(b) - engagement(a))
    .slice(0, API_BATCH_SIZE)
    .map((s) => s.paperId);
  if (!missing.length) return ids;
  try {
    const { papers } = await fetchPapersByIds(env, missing);
    if (papers.length) await storePapers(env.db, papers, []);
    for (const p of papers) ids.add(p.id);
  } catch {
    // arXiv did not answer: those papers get their counts on a later run; the rest are stored now.
  }
  return ids;
}

/**
 * A source's own persistent state. Sources with an account keep theirs (e.g. the Bluesky session
 * tokens) in the secret store next to the credentials, never in the IndexedDB cache; the others keep
 * theirs (e.g. HF conditional-request validators) in the cache's meta store, cleared with it.
 */
function sourceState(env: SignalsEnv, source: EngagementSource): SourceEnv['state'] {
  if (source.credentials === 'none') {
    return {
      get: <T>(key: string) => getMeta<T>(env.db, stateKey(source.id, key)),
      set: (key, value) => setMeta(env.db, stateKey(source.id, key), value),
    };
  }
  const area = accountStateKey(source.id);
  const secrets = env.secrets ?? env.storage;
  const read = async () => ((await secrets.get(area))[area] ?? {}) as Record<string, unknown>;
  return {
    get: async <T>(key: string) => (await read())[key] as T | undefined,
    set: async (key, value) => secrets.set({ [area]: { ...(await read()), [key]: value } }),
  };
}

/**
 * A short mark of the credentials a source ran with (FNV-1a of their JSON, 8 hex digits), stored in
 * its status so a changed sign-in or token is noticed. It cannot give the secret back; '' = none.
 */
export function accountMark(creds: Credentials): string {
  const text = Object.keys(creds).length ? JSON.stringify(creds) : '';
  if (!text) return '';
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

async function runOne(env: SignalsEnv, source: EngagementSource, papers: Paper[], all: Credentials, opts: CollectOptions): Promise<SourceReport> {
  const { db, settings } = env;
  const now = env.now();
  const prev = await getSourceStatus(db, source.id);
  if (!settings.sources[source.id]?.enabled) {
    if (prev.state !== 'disabled') await setMeta(db, statusKey(source.id), { ...prev, state: 'disabled' } satisfies SourceStatus);
    return { source: source.id, state: 'disabled', papers: 0, requests: 0 };
  }
  const creds = credentialsFor(source.id, all);
  // A new sign-in or a changed token is a new account: what the old one earned (a rest after its
  // failed try, a 429 wait) does not hold it back, so the next Refresh uses it at once.
  const account = accountMark(creds);
  const newAccount = source.credentials !== 'none' && account !== (prev.account ?? '');
  if (!newAccount && prev.retryAt !== undefined && prev.retryAt > now) {
    return { source: source.id, state: 'rate-limited', papers: 0, requests: 0, error: prev.lastError };
  }
  // 'never' and 'disabled' are not states to report for an enabled source that is simply resting.
  const restingState: SourceState = prev.state === 'disabled' || prev.state === 'never' ? 'ok' : prev.state;
  const forced = opts.force === true && source.minIntervalMs <= FORCE_MAX_INTERVAL_MS;
  if (!forced && !newAccount && prev.lastAttempt !== undefined && now - prev.lastAttempt < source.minIntervalMs && prev.state !== 'disabled') {
    return { source: source.id, state: restingState, papers: 0, requests: 0, error: prev.lastError };
  }
  let requests = 0;
  const srcEnv: SourceEnv = {
    fetch: guardFetch(source, env.fetch, () => requests++, { credentialed: Object.keys(creds).length > 0 }),
    now: env.now,
    sleep: env.sleep,
    signal: env.signal,
    credentials: creds,
    categories: settings.categories,
    state: sourceState(env, source),
  };
  const day = latestAnnounced(papers);
  if (day) srcEnv.day = day;
  if (source.id === 'x') srcEnv.postBudget = settings.xDailyPosts;
  try {
    if (source.id === 's2' && !opts.force) papers = await weekBatch(db, settings, papers);
    // Hugging Face's week= page covers This week's older days at the cost of one request.
    else if (source.id === 'hf' && !opts.force) papers = await weekPapers(db, settings, papers);
    else if (source.discovers) papers = await perIdTargets(db, settings, papers, source.id, now);
    else if (source.id === 's2') papers = await discussedFirst(db, settings, papers, source.id);
    const result = await source.fetchSignals(papers, srcEnv);
    const wanted = source.discovers ? await discoveredPapers(env, papers, result.signals) : new Set(papers.map((p) => p.id));
    const fetchedAt = env.now();
    let records: SignalRecord[] = result.signals
      .filter((s) => wanted.has(s.paperId))
      .map((s) => ({ paperId: s.paperId, source: source.id, counts: s.counts, links: s.links, ...(s.posts ? { posts: s.posts } : {}), fetchedAt }));
    if (records.length && WINDOWED_SOURCES.has(source.id)) {
      const prev = await getSignals(db, records.map((r) => r.paperId));
      records = records.map((r) => mergeWindowed(prev.get(r.paperId)?.find((x) => x.source === source.id), r));
    }
    if (records.length) await storeSignals(db, records);
    const status: SourceStatus = { source: source.id, state: 'ok', lastSuccess: fetchedAt, lastAttempt: now, ...(account ? { account } : {}) };
    if (result.usage) status.usage = result.usage;
    await setMeta(db, statusKey(source.id), status);
    return { source: source.id, state: 'ok', papers: records.length, requests };
  } catch (err) {
    const d = describeError(err, source);
    const message = scrubSecrets(d.message, all);
    const status: SourceStatus = { source: source.id, state: d.state, lastAttempt: now, lastError: message, ...(account ? { account } : {}) };
    // The source counted what it sent before failing (X bills a request even when the reply is bad).
    const usage = source.id === 'x' ? await srcEnv.state.get<Omit<SourceUsage, 'budget'>>(X_USAGE_KEY).catch(() => undefined) : undefined;
    if (usage && typeof usage.day === 'string') status.usage = { day: usage.day, posts: usage.posts, requests: usage.requests, budget: settings.xDailyPosts };
    else if (prev.usage) status.usage = prev.usage;
    if (prev.lastSuccess !== undefined) status.lastSuccess = prev.lastSuccess;
    if (d.state === 'rate-limited') status.retryAt = Math.max(d.retryAt ?? 0, now + MIN_RATE_LIMIT_BACKOFF_MS);
    try {
      await setMeta(db, statusKey(source.id), status);
    } catch {
      // The status could not be stored (quota); the report still says what happened.
    }
    return { source: source.id, state: d.state, papers: 0, requests, error: message };
  }
}

/**
 * Runs every enabled source over `papers` (in parallel, isolated) and returns one report per
 * registered source, in registry order.
 */
export async function collectSignals(env: SignalsEnv, papers: Paper[], opts: CollectOptions = {}): Promise<SourceReport[]> {
  const sources = env.sources ?? SOURCES;
  let creds: Credentials = {};
  try {
    creds = await getCredentials(env.secrets ?? env.storage);
  } catch {
    // Unreadable storage behaves as "not signed in": account sources report auth-needed.
  }
  const batch = orderBatch(papers, new Set(env.settings.watchlist.papers));
  return Promise.all(
    sources.map((s) =>
      runOne(env, s, batch, creds, opts).catch((err: unknown) => ({
        source: s.id,
        state: 'error' as const,
        papers: 0,
        requests: 0,
        error: scrubSecrets(err instanceof Error && err.message ? t('sourceErrWithDetail', s.label, err.message) : t('sourceErrUnexpected', s.label), creds),
      })),
    ),
  );
}
