/**
 * The popup's hot list ('hotlist:get'): which papers belong to Today / This week / Watchlist, read
 * through the listings index with bounded key-range queries (never a scan of the papers store),
 * turned into PaperViews and ranked. Also the "seen" state behind the "new" marks and the badge.
 */
import { getMeta, getPapers, latestDay, listingsBetween, recentDays, setMeta, type HotDb } from './db';
import type { HotList } from './messages';
import type { Settings } from './settings';
import type { HotView, ListingEntry, Paper, PaperView, PollReport, SourceStatus } from './types';

/** B's view building and ranking (lib/views.ts, lib/heat.ts), injected so tests can fake them. */
export interface HotlistDeps {
  buildViews(db: HotDb, ids: string[], opts: { settings: Settings; now: number; seen?: ReadonlySet<string> }): Promise<PaperView[]>;
  rankViews(views: PaperView[], view: HotView, now: number): PaperView[];
  getSourceStatuses(db: HotDb): Promise<SourceStatus[]>;
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

export async function getSeen(db: HotDb): Promise<SeenState> {
  const s = await getMeta<SeenState>(db, SEEN_KEY);
  return s && Array.isArray(s.ids) ? s : { ids: [], at: 0 };
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

/** Unique paper ids listed in [from, to] in the user's categories, in listing order. */
export async function idsBetween(db: HotDb, from: string, to: string, settings: Settings): Promise<string[]> {
  const rows = await listingsBetween(db, from, to, settings.categories);
  const ids = new Set<string>();
  for (const r of rows) if (keepRow(r, settings)) ids.add(r.id);
  return [...ids];
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

/** Ids that belong to a view, before ranking. `day` is the announcement day shown (latest in cache). */
export async function viewIds(db: HotDb, view: HotView, settings: Settings): Promise<{ day: string | null; ids: string[] }> {
  const day = await latestDay(db);
  if (view === 'today') return { day, ids: day ? await idsBetween(db, day, day, settings) : [] };
  if (view === 'week') {
    const days = await recentDays(db, WEEK_DAYS);
    const oldest = days[days.length - 1];
    return { day, ids: day && oldest ? await idsBetween(db, oldest, day, settings) : [] };
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
  const [{ day, ids }, seen, lastPoll, sources] = await Promise.all([
    viewIds(db, req.view, settings),
    getSeen(db),
    getMeta<PollReport>(db, LAST_POLL_KEY),
    deps.getSourceStatuses(db),
  ]);
  const views = await deps.buildViews(db, ids, { settings, now, seen: new Set(seen.ids) });
  const ranked = deps.rankViews(views, req.view, now);
  return {
    view: req.view,
    day,
    items: ranked.slice(0, limit),
    total: ranked.length,
    lastPoll: lastPoll ?? null,
    sources,
    polling: env.polling ?? false,
  };
}
