/**
 * The popup's hot list ('hotlist:get'): which papers belong to Today / This week / Watchlist, read
 * through the listings index with bounded key-range queries (never a scan of the papers store),
 * turned into PaperViews and ranked. Also the "seen" state behind the "new" marks and the badge.
 */
import { getMeta, getMetaMany, getPapers, getSignalsMany, latestDay, listingsBetween, recentDays, setMeta, type HotDb } from './db';
import type { HotList } from './messages';
import type { Settings } from './settings';
import type { HotView, ListingEntry, Paper, PaperView, PollReport, SignalRecord, SourceStatus } from './types';

/** B's view building and ranking (lib/views.ts, lib/heat.ts), injected so tests can fake them. */
export interface HotlistDeps {
  buildViews(db: HotDb, ids: string[], opts: { settings: Settings; now: number; seen?: ReadonlySet<string>; signals?: ReadonlyMap<string, SignalRecord[]> }): Promise<PaperView[]>;
  rankViews(views: PaperView[], view: HotView, now: number): PaperView[];
  getSourceStatuses(db: HotDb): Promise<SourceStatus[]>;
  /** Heat from the latest signals alone (lib/heat.ts heatOf): ranks a long list before reading its papers. */
  heatOf(signals: readonly SignalRecord[], sources: Settings['sources']): number;
}

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
/** Meta key of the last PollReport (written by the poll, lib/poll.ts). */
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

/** Unique paper ids listed in [from, to] in the user's categories, in listing order, with their latest listing day. */
export async function listedBetween(db: HotDb, from: string, to: string, settings: Settings): Promise<Map<string, string>> {
  const rows = await listingsBetween(db, from, to, settings.categories);
  const days = new Map<string, string>();
  for (const r of rows) if (keepRow(r, settings)) days.set(r.id, r.day > (days.get(r.id) ?? '') ? r.day : days.get(r.id)!);
  return days;
}

export async function idsBetween(db: HotDb, from: string, to: string, settings: Settings): Promise<string[]> {
  return [...(await listedBetween(db, from, to, settings)).keys()];
}

const fold = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

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
 * `listed` gives the listing day of each id of Today / This week.
 */
export async function viewIds(db: HotDb, view: HotView, settings: Settings): Promise<{ day: string | null; ids: string[]; listed?: Map<string, string> }> {
  const day = await latestDay(db);
  if (view === 'today' || view === 'week') {
    const days = view === 'week' ? await recentDays(db, WEEK_DAYS) : [];
    const oldest = view === 'week' ? days[days.length - 1] : day;
    const listed = day && oldest ? await listedBetween(db, oldest, day, settings) : new Map<string, string>();
    return { day, ids: [...listed.keys()], listed };
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

export async function getHotList(env: HotlistEnv, req: { view: HotView; limit?: number }): Promise<HotList> {
  const { db, settings, now, deps } = env;
  const limit = Math.max(1, Math.min(MAX_LIMIT, Math.floor(req.limit ?? DEFAULT_LIMIT)));
  const [{ day, ids, listed }, meta, sources] = await Promise.all([
    viewIds(db, req.view, settings),
    getMetaMany(db, [SEEN_KEY, LAST_POLL_KEY]),
    deps.getSourceStatuses(db),
  ]);
  const lastPoll = meta.get(LAST_POLL_KEY) as PollReport | undefined;
  const opts = { settings, now, seen: new Set(seenState(meta.get(SEEN_KEY)).ids) };
  // Rank as of the end of the day shown, not the wall clock: the age discount then only compares
  // papers with each other, and a cache left alone for weeks does not decay every score to 0.
  const rankNow = day ? Date.parse(`${day}T00:00:00Z`) + 86_400_000 : now;
  let items: PaperView[];
  let total: number;
  if (listed && ids.length > limit) {
    // A long day: rank by heat from the signals alone (small records), then read full papers,
    // snapshots and history only for the rows shown.
    const { top, signals } = await rankByListing(env, ids, listed, req.view, limit, rankNow);
    const built = new Map((await deps.buildViews(db, top, { ...opts, signals })).map((v) => [v.paper.id, v]));
    items = top.flatMap((id) => built.get(id) ?? []);
    total = ids.length;
  } else {
    const ranked = deps.rankViews(await deps.buildViews(db, ids, opts), req.view, rankNow);
    items = ranked.slice(0, limit);
    total = ranked.length;
  }
  return {
    view: req.view,
    day,
    items,
    total,
    lastPoll: lastPoll ?? null,
    sources,
    polling: env.polling ?? false,
  };
}

/**
 * The top `limit` ids of a long list, ranked like rankViews ranks full views: heat from the latest
 * signals and the listing day stand in for the paper (ranking reads nothing else of it).
 */
async function rankByListing(
  env: HotlistEnv,
  ids: string[],
  listed: Map<string, string>,
  view: HotView,
  limit: number,
  rankNow: number,
): Promise<{ top: string[]; signals: Map<string, SignalRecord[]> }> {
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
  const top = deps.rankViews(stubs, view, rankNow)
    .slice(0, limit)
    .map((v) => v.paper.id);
  return { top, signals };
}
