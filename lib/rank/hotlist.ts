/**
 * The popup's hot list ('hotlist:get'): which papers belong to Today / This week / Watchlist, read
 * through the listings index with bounded key-range queries (never a scan of the papers store),
 * turned into PaperViews and ranked. Also the "seen" state behind the "new" marks and the badge.
 */
import { COVERAGE_KEY, type Coverage } from './coverage';
import { getMeta, getMetaMany, getPapers, getSignalsMany, latestDay, LISTINGS_REV_KEY, listingsBetween, recentDays, setMeta, SIGNALS_REV_KEY, type HotDb } from '../store/db';
import type { HotList } from '../messages';
import { fold, isFiltering, paperFilter, paperMatches, type PaperFilter } from './paper-filter';
import type { Settings } from '../settings';
import { heatOf, rankViews } from './heat';
import { buildViews, getSourceStatuses } from './views';
import type { HotView, ListingEntry, Paper, PaperView, PollReport, SignalRecord, SourceStatus } from '../types';

/** View building and ranking (./views.ts, ./heat.ts), injected so tests can fake them (HOT_DEPS is the real set). */
export interface HotlistDeps {
  buildViews(db: HotDb, ids: string[], opts: { settings: Settings; now: number; seen?: ReadonlySet<string>; signals?: ReadonlyMap<string, SignalRecord[]> }): Promise<PaperView[]>;
  rankViews(views: PaperView[], view: HotView, now: number): PaperView[];
  getSourceStatuses(db: HotDb): Promise<SourceStatus[]>;
  /** Heat from the latest signals alone (lib/rank/heat.ts heatOf): ranks a long list before reading its papers. */
  heatOf(signals: readonly SignalRecord[], sources: Settings['sources']): number;
}

/** The real view building and ranking, as lib/worker/ passes them in. */
export const HOT_DEPS: HotlistDeps = { buildViews, rankViews, getSourceStatuses, heatOf };

export interface HotlistEnv {
  db: HotDb;
  now: number;
  settings: Settings;
  deps: HotlistDeps;
  /** Whether a poll is running right now (lease held); false when unknown. */
  polling?: boolean;
}

export const DEFAULT_LIMIT = 200;
export const MAX_LIMIT = 1000;
export const WEEK_DAYS = 7;
/** How many papers of the recent week the watchlist's author/keyword match may read. */
export const WATCH_SCAN_LIMIT = 20_000;
/** Meta key of the last PollReport (written by the poll, lib/worker/poll.ts). */
export const LAST_POLL_KEY = 'lastPoll';
export const SEEN_KEY = 'popup:seen';
/** Seen ids kept: several weeks of hot lists, small enough to load on every popup open. */
const SEEN_CAP = 5000;

export interface SeenState {
  ids: string[];
  /** Epoch ms the popup was last opened (0 = never). */
  at: number;
}

function seenState(stored: unknown): SeenState {
  const s = stored as SeenState | undefined;
  return s && Array.isArray(s.ids) ? s : { ids: [], at: 0 };
}

export async function getSeen(db: HotDb): Promise<SeenState> {
  return seenState(await getMeta(db, SEEN_KEY));
}

export async function markSeen(db: HotDb, ids: string[], now: number): Promise<SeenState> {
  const prev = await getSeen(db);
  const merged = [...new Set([...ids, ...prev.ids])].slice(0, SEEN_CAP);
  const next = { ids: merged, at: now };
  await setMeta(db, SEEN_KEY, next);
  return next;
}

function keepRow(row: ListingEntry, settings: Settings): boolean {
  return settings.includeCrossLists || (row.announceType !== 'cross' && row.announceType !== 'replace-cross');
}

/** What the day lists of Today / This week say about their papers, without reading a paper. */
export interface Listing {
  /** Latest listing day of each id of the view, in listing order. */
  days: Map<string, string>;
  /**
   * The user's categories each id is listed in. The poll lists a paper under every requested
   * category it has (lib/arxiv/feed.ts listedIn), so this is its categories among those followed.
   */
  cats: Map<string, Set<string>>;
  /** The poll gives a paper the type new/replace only in its primary category (feed.ts typeIn). */
  primary: Map<string, string>;
  /** `${day} ${category}` of every day list read: which categories were polled on which days. */
  polled: Set<string>;
}

/** The day lists in [from, to] in the user's categories; ids kept per the cross-list setting. */
export async function listingBetween(db: HotDb, from: string, to: string, settings: Settings): Promise<Listing> {
  const rows = await listingsBetween(db, from, to, settings.categories);
  const out: Listing = { days: new Map(), cats: new Map(), primary: new Map(), polled: new Set() };
  for (const r of rows) {
    out.polled.add(`${r.day} ${r.category}`);
    if (keepRow(r, settings)) out.days.set(r.id, r.day > (out.days.get(r.id) ?? '') ? r.day : out.days.get(r.id)!);
  }
  // Second pass: a paper kept through its own category is still in the cross-list categories it has.
  for (const r of rows) {
    if (!out.days.has(r.id)) continue;
    let cats = out.cats.get(r.id);
    if (!cats) out.cats.set(r.id, (cats = new Set()));
    cats.add(r.category);
    if (r.announceType === 'new' || r.announceType === 'replace') out.primary.set(r.id, r.category);
  }
  return out;
}

/** Unique paper ids listed in [from, to] in the user's categories, in listing order, with their latest listing day. */
export async function listedBetween(db: HotDb, from: string, to: string, settings: Settings): Promise<Map<string, string>> {
  return (await listingBetween(db, from, to, settings)).days;
}

export async function idsBetween(db: HotDb, from: string, to: string, settings: Settings): Promise<string[]> {
  return [...(await listedBetween(db, from, to, settings)).keys()];
}

/** Why a paper is on the watchlist, or null. Authors match by whole name, keywords by substring of title/abstract. */
export function watchReason(paper: Paper, settings: Settings): { kind: 'paper' | 'author' | 'keyword'; what: string } | null {
  const w = settings.watchlist;
  if (w.papers.includes(paper.id)) return { kind: 'paper', what: paper.id };
  if (w.authors.length) {
    const names = new Set(paper.authors.map((a) => fold(a.trim())));
    const hit = w.authors.find((a) => names.has(fold(a.trim())));
    if (hit) return { kind: 'author', what: hit };
  }
  if (w.keywords.length) {
    const text = fold(`${paper.title} ${paper.abstract}`);
    const hit = w.keywords.find((k) => k.trim() && text.includes(fold(k.trim())));
    if (hit) return { kind: 'keyword', what: hit };
  }
  return null;
}

/**
 * Ids that belong to a view, before ranking. `day` is the announcement day shown (latest in cache);
 * `listing` tells about each id of Today / This week what the day lists say (day, categories).
 */
export async function viewIds(db: HotDb, view: HotView, settings: Settings): Promise<{ day: string | null; ids: string[]; listing?: Listing }> {
  const day = await latestDay(db);
  if (view === 'today' || view === 'week') {
    const days = view === 'week' ? await recentDays(db, WEEK_DAYS) : [];
    const oldest = view === 'week' ? days[days.length - 1] : day;
    const listing: Listing = day && oldest ? await listingBetween(db, oldest, day, settings) : { days: new Map(), cats: new Map(), primary: new Map(), polled: new Set() };
    return { day, ids: [...listing.days.keys()], listing };
  }
  const ids = new Set(settings.watchlist.papers);
  const w = settings.watchlist;
  if (day && (w.authors.length || w.keywords.length)) {
    const days = await recentDays(db, WEEK_DAYS);
    const recent = (await idsBetween(db, days[days.length - 1] ?? day, day, settings)).slice(0, WATCH_SCAN_LIMIT);
    const papers = await getPapers(db, recent);
    for (const p of papers.values()) if (watchReason(p, settings)) ids.add(p.id);
  }
  return { day, ids: [...ids] };
}

export interface HotListRequest {
  view: HotView;
  limit?: number;
  /** Search over titles and authors, applied to the whole view before the limit (lib/rank/paper-filter.ts). */
  query?: string;
  /** Keep papers with any of these categories, before the limit. */
  categories?: string[];
  /** Only these papers of the view (an export of selected rows): not part of the 'hotlist:get' message. */
  ids?: readonly string[];
  /** Every paper that matches, however many (an export of the whole view): not part of the 'hotlist:get' message. */
  all?: boolean;
}

/** [category, papers] sorted by count, then name; unknown (undefined) primaries are not counted. */
function countPrimaries(primaries: Iterable<string | undefined>): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of primaries) if (c) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/**
 * The ids of a long view that pass the filter. A category filter alone is answered from the day
 * lists when every asked category was polled on every day shown (the poll lists each paper in all
 * its followed categories); a search, or a category not polled, reads the view's papers.
 */
async function filterListed(db: HotDb, ids: string[], listing: Listing, filter: PaperFilter): Promise<string[]> {
  const days = [...new Set(listing.days.values())];
  const polled = [...filter.categories].every((c) => days.every((d) => listing.polled.has(`${d} ${c}`)));
  if (!filter.query && polled) return ids.filter((id) => [...(listing.cats.get(id) ?? [])].some((c) => filter.categories.has(c)));
  const papers = await getPapers(db, ids);
  return ids.filter((id) => {
    const p = papers.get(id);
    return p !== undefined && paperMatches(p, filter);
  });
}

export async function getHotList(env: HotlistEnv, req: HotListRequest): Promise<HotList> {
  const { db, settings, now, deps } = env;
  const asked = Number(req.limit ?? DEFAULT_LIMIT);
  const limit = req.all ? Infinity : Number.isFinite(asked) ? Math.max(1, Math.min(MAX_LIMIT, Math.floor(asked))) : DEFAULT_LIMIT;
  const filter = paperFilter(req.query, req.categories);
  const only = req.ids ? new Set(req.ids) : null;
  // Only the whole Today / This week is kept (RankCache); a search, a filter or a selection ranks afresh.
  const keepable = (req.view === 'today' || req.view === 'week') && !isFiltering(filter) && !only && !req.all;
  const cacheKey = rankCacheKey(req.view);
  const sourcesRead = deps.getSourceStatuses(db);
  // The revisions are read before the day lists and signals: a ranking stored under them can only be
  // older than what it was computed from, never newer (then it is simply not used).
  const meta = await getMetaMany(db, [SEEN_KEY, LAST_POLL_KEY, SIGNALS_REV_KEY, LISTINGS_REV_KEY, cacheKey, countsKey(req.view), COVERAGE_KEY]);
  const lastPoll = meta.get(LAST_POLL_KEY) as PollReport | undefined;
  const opts = { settings, now, seen: new Set(seenState(meta.get(SEEN_KEY)).ids) };
  const rev = keepable ? rankRevision(meta, settings, req.view) : '';
  const kept = keepable ? keptRanking(meta.get(cacheKey), rev, limit) : null;
  let day: string | null;
  let items: PaperView[];
  let total: number;
  let categoryCounts: [string, number][];
  if (kept) {
    // Nothing the ranking depends on changed: read only the rows shown.
    ({ day, total, categoryCounts } = kept);
    items = await viewsInOrder(deps, db, kept.top.slice(0, limit), opts);
  } else {
    const found = await viewIds(db, req.view, settings);
    day = found.day;
    const { ids: all, listing } = found;
    const ids = only ? all.filter((id) => only.has(id)) : all;
    // Rank as of the end of the day shown, not the wall clock: the age discount then only compares
    // papers with each other, and a cache left alone for weeks does not decay every score to 0.
    const rankNow = day ? Date.parse(`${day}T00:00:00Z`) + 86_400_000 : now;
    if (listing && ids.length > limit) {
      // A long day: filter and rank without building views (the day lists, the signals alone), then
      // read full papers, snapshots and history only for the rows shown. The chips' counts come from
      // the day lists too, so the first screenful reads no paper it does not show.
      categoryCounts = await listedCounts(env, req.view, all, listing, meta);
      const matched = isFiltering(filter) ? await filterListed(db, ids, listing, filter) : ids;
      total = matched.length;
      if (matched.length > limit) {
        const { ranked, signals } = await rankByListing(env, matched, listing.days, req.view, rankNow);
        if (keepable) {
          const keep: RankCache = { rev, day, total, categoryCounts, top: ranked.slice(0, Math.max(limit, DEFAULT_LIMIT)) };
          // Best effort: without it the next opening ranks again.
          await setMeta(db, cacheKey, keep).catch(() => undefined);
        }
        items = await viewsInOrder(deps, db, ranked.slice(0, limit), { ...opts, signals });
      } else {
        items = deps.rankViews(await deps.buildViews(db, matched, opts), req.view, rankNow);
      }
    } else {
      const ranked = deps.rankViews(await deps.buildViews(db, ids, opts), req.view, rankNow);
      categoryCounts = countPrimaries(ranked.map((v) => v.paper.primaryCategory));
      const matched = isFiltering(filter) ? ranked.filter((v) => paperMatches(v.paper, filter)) : ranked;
      items = matched.slice(0, limit);
      total = matched.length;
    }
  }
  return {
    view: req.view,
    day,
    items,
    total,
    categoryCounts,
    lastPoll: lastPoll ?? null,
    sources: await sourcesRead,
    coverage: (meta.get(COVERAGE_KEY) as Coverage | undefined) ?? null,
    polling: env.polling ?? false,
  };
}

export const countsKey = (view: HotView): string => `chips:${view}`;

/**
 * The chips' counts of a long view: each paper under its primary category. The day lists give it
 * for papers announced in a followed category; a cross-list whose primary category is not followed
 * (listed only as 'cross') needs its paper read. The counts depend on the day lists and the
 * categories alone, not on signals, so they are kept in meta until the day lists change: those
 * papers are read once a day, not at every opening after a refresh.
 */
async function listedCounts(env: HotlistEnv, view: HotView, ids: string[], listing: Listing, meta: ReadonlyMap<string, unknown>): Promise<[string, number][]> {
  const { db, settings } = env;
  const rev = `${view} ${String(meta.get(LISTINGS_REV_KEY) ?? '-')} ${hash(JSON.stringify([settings.categories, settings.includeCrossLists]))}`;
  const kept = meta.get(countsKey(view)) as { rev?: unknown; counts?: unknown } | undefined;
  if (kept?.rev === rev && Array.isArray(kept.counts) && kept.counts.every((x) => Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'number')) {
    return kept.counts as [string, number][];
  }
  const unknown = ids.filter((id) => !listing.primary.has(id));
  const papers = unknown.length ? await getPapers(db, unknown) : new Map<string, Paper>();
  const counts = countPrimaries(ids.map((id) => listing.primary.get(id) ?? papers.get(id)?.primaryCategory));
  // Best effort: without it the next opening reads those papers again.
  await setMeta(db, countsKey(view), { rev, counts }).catch(() => undefined);
  return counts;
}

/** Views of `ids` in that order (ids no longer cached are left out). */
async function viewsInOrder(deps: HotlistDeps, db: HotDb, ids: string[], opts: Parameters<HotlistDeps['buildViews']>[2]): Promise<PaperView[]> {
  const built = new Map((await deps.buildViews(db, ids, opts)).map((v) => [v.paper.id, v]));
  return ids.flatMap((id) => built.get(id) ?? []);
}

/**
 * The ranking of Today or This week when it is long (1,250 papers on a default day), kept in meta so
 * that opening the popup again reads the first rows' papers only: not the day lists, not the signals
 * of the whole view. It holds while nothing it was computed from changed (`rev`): the day lists and
 * the latest signals (their revisions, lib/store/db.ts, change with every write of them), the settings
 * (categories, cross-lists, source weights: all of it, hashed) and the view. Views are still built
 * fresh for the rows shown (velocity, "new" marks, watched stars).
 */
interface RankCache {
  rev: string;
  day: string | null;
  total: number;
  categoryCounts: [string, number][];
  /** Ranked ids, best first: at least DEFAULT_LIMIT of them. */
  top: string[];
}

export const rankCacheKey = (view: HotView): string => `rank:${view}`;

/** FNV-1a, 32 bits: tells one settings object from another without storing it. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

function rankRevision(meta: ReadonlyMap<string, unknown>, settings: Settings, view: HotView): string {
  const rev = (key: string) => String(meta.get(key) ?? '-');
  return `${view} ${rev(LISTINGS_REV_KEY)} ${rev(SIGNALS_REV_KEY)} ${hash(JSON.stringify(settings))}`;
}

function keptRanking(stored: unknown, rev: string, limit: number): RankCache | null {
  if (typeof stored !== 'object' || stored === null) return null;
  const c = stored as Partial<RankCache>;
  const ok =
    c.rev === rev &&
    (c.day === null || typeof c.day === 'string') &&
    typeof c.total === 'number' &&
    Array.isArray(c.categoryCounts) &&
    c.categoryCounts.every((x) => Array.isArray(x) && typeof x[0] === 'string' && typeof x[1] === 'number') &&
    Array.isArray(c.top) &&
    c.top.every((x) => typeof x === 'string') &&
    c.top.length >= Math.min(limit, c.total);
  return ok ? (c as RankCache) : null;
}

/**
 * The ids of a long list in rank order, ranked like rankViews ranks full views: heat from the
 * latest signals and the listing day stand in for the paper (ranking reads nothing else of it).
 */
async function rankByListing(
  env: HotlistEnv,
  ids: string[],
  listed: Map<string, string>,
  view: HotView,
  rankNow: number,
): Promise<{ ranked: string[]; signals: Map<string, SignalRecord[]> }> {
  const { db, settings, deps } = env;
  const signals = await getSignalsMany(db, ids);
  const stubs: PaperView[] = ids.map((id) => ({
    paper: { id, version: 1, title: '', authors: [], abstract: '', categories: [], primaryCategory: '', announced: listed.get(id), firstSeen: 0, updatedAt: 0, origin: 'rss' },
    heat: deps.heatOf(signals.get(id) ?? [], settings.sources),
    velocity: 0,
    parts: [],
    history: [],
    watched: false,
    isNew: false,
  }));
  return { ranked: deps.rankViews(stubs, view, rankNow).map((v) => v.paper.id), signals };
}
