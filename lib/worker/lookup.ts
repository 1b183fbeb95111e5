/**
 * The background side of the content script's one batched 'papers:lookup', and 'watchlist:toggle'.
 *
 * A lookup answers at once with what the cache knows; ids it does not know are fetched from the
 * arXiv API (rate limited in lib/arxiv/api.ts), their signals collected, and the new views pushed
 * to the asking tab in ONE 'papers:updated' message. Nothing about the tab is kept: if the worker
 * dies mid-fetch, papers stored so far stay cached and the page simply asks again next time.
 */
import { getMeta, setMeta, storePapers, type HotDb } from '../store/db';
import type { HttpEnv } from '../http';
import { t } from '../i18n';
import type { PushEnvelope, Res } from '../messages';
import { pageReply, pageViews } from '../page-view';
import { loadSettings, saveSettings, type KeyValueStorage, type Settings } from '../settings';
import { normalizeArxivId } from '../arxiv/ids';
import { MIN_STARS, scorer, type Scorer } from '../relevance/model';
import { loadModel } from '../relevance/model-store';
import { whyOf, whySentence } from '../rank/for-you';
import { fetchPapersByIds } from '../arxiv/api';
import { buildViews } from '../rank/views';
import { watchReason } from '../rank/hotlist';
import { templatesOf } from '../content/i18n';
import { PAGE_WORDS } from '../content/words';
import { collectSignals } from './signals';
import type { PageView, Paper, PaperView, SourceReport } from '../types';

/** The modules this one builds on (the arXiv API client, signals, views), injected so tests can fake them. */
export interface LookupDeps {
  buildViews(db: HotDb, ids: string[], opts: { settings: Settings; now: number; seen?: ReadonlySet<string> }): Promise<PaperView[]>;
  fetchPapersByIds(env: HttpEnv & { db: HotDb }, ids: string[]): Promise<{ papers: Paper[]; missing: string[]; requests: number }>;
  collectSignals(env: HttpEnv & { db: HotDb; settings: Settings; storage: KeyValueStorage; secrets?: KeyValueStorage }, papers: Paper[], opts?: { force?: boolean }): Promise<SourceReport[]>;
}

/** The real modules, as the worker's handlers pass them in. */
export const LOOKUP_DEPS: LookupDeps = { buildViews, fetchPapersByIds, collectSignals };

export interface LookupEnv extends HttpEnv {
  db: HotDb;
  storage: KeyValueStorage;
  /** Credentials and account sessions, handed on to the sources (lib/store/secret-store.ts). */
  secrets?: KeyValueStorage;
  pushToTab(tabId: number, msg: PushEnvelope): Promise<void>;
  deps: LookupDeps;
  /** Where background failures go (never thrown into a page). */
  warn?: (message: string) => void;
}

/** arXiv's largest listing page is 2000 entries; more ids than that is not a page. */
export const MAX_LOOKUP_IDS = 2000;
/** Papers fetched and stored per step, so a worker killed mid-fetch keeps what it already got. */
export const FETCH_CHUNK = 100;

/*
 * Ids written into a page cost requests to arXiv's API (one per 100 ids, in the shared 3-second
 * slot) and, once arXiv confirms them, to the engagement sources. A page chooses its ids, so what it
 * can make us fetch is capped (issue 20): per page load, per hour across all pages, and an id arXiv
 * does not know is not asked for again for a day.
 */
/**
 * Uncached ids fetched from arXiv for one lookup (one page load), in page order; the rest show no
 * data. arXiv's longest listing (show=2000), so every real page is badged whole: twenty API
 * requests (a minute of the shared slot) for a page of categories the poll does not cache. Only a
 * forged page can list more.
 */
export const MAX_FETCH_PER_PAGE = 2000;
/** Uncached ids fetched from arXiv per hour, across every page: two of arXiv's longest listings. */
export const MAX_FETCH_PER_HOUR = 4000;
/** How long an id arXiv did not know is not asked for again. */
export const UNKNOWN_TTL_MS = 24 * 60 * 60_000;
/** Unknown ids remembered at most (oldest forgotten first). */
export const MAX_UNKNOWN_REMEMBERED = 10_000;
const HOUR_MS = 60 * 60_000;
export const LOOKUP_BUDGET_KEY = 'lookup-budget';
export const LOOKUP_UNKNOWN_KEY = 'lookup-unknown';

interface LookupBudget {
  /** Start of the current hour window (epoch ms). */
  since: number;
  used: number;
}

/** id → epoch ms until which it is not asked for again. */
type UnknownIds = Record<string, number>;

async function unknownIds(db: HotDb, now: number): Promise<UnknownIds> {
  const raw = await getMeta<UnknownIds>(db, LOOKUP_UNKNOWN_KEY);
  const out: UnknownIds = {};
  if (raw && typeof raw === 'object') for (const [id, until] of Object.entries(raw)) if (typeof until === 'number' && until > now) out[id] = until;
  return out;
}

async function rememberUnknown(db: HotDb, ids: string[], now: number): Promise<void> {
  if (!ids.length) return;
  const known = await unknownIds(db, now);
  for (const id of ids) known[id] = now + UNKNOWN_TTL_MS;
  // Insertion order is age order: keep the newest.
  const entries = Object.entries(known);
  await setMeta(db, LOOKUP_UNKNOWN_KEY, Object.fromEntries(entries.slice(Math.max(0, entries.length - MAX_UNKNOWN_REMEMBERED))));
}

/** Takes up to `want` ids from this hour's budget; returns how many may be fetched. */
async function takeBudget(db: HotDb, now: number, want: number): Promise<number> {
  if (want <= 0) return 0;
  const raw = await getMeta<LookupBudget>(db, LOOKUP_BUDGET_KEY);
  const fresh = !raw || typeof raw.since !== 'number' || typeof raw.used !== 'number' || now - raw.since >= HOUR_MS || raw.since > now;
  const budget: LookupBudget = fresh ? { since: now, used: 0 } : raw;
  const take = Math.max(0, Math.min(want, MAX_FETCH_PER_HOUR - budget.used));
  if (take > 0 || fresh) await setMeta(db, LOOKUP_BUDGET_KEY, { since: budget.since, used: budget.used + take } satisfies LookupBudget);
  return take;
}

export type LookupReply = Res<'papers:lookup'>;

/**
 * The page already shows title, authors and abstract: it gets each paper's id and signals only
 * (PageView), which keeps a 2000-paper reply small (the message is deserialized on the page's main
 * thread). The reply is by position, papers with nothing to show are one character, the others lean unless `full` (lib/page-view.ts pageReply; the push: pageViews).
 */
export function forPage(views: PaperView[], settings: Settings): PageView[] {
  const rules = settings.watchlist.authors.length > 0 || settings.watchlist.keywords.length > 0;
  return views.map((v) => {
    // A page's breakdown shows the discussion links, not the kept posts (up to 10 texts per X paper): left out of the message.
    const parts = v.parts.some((p) => p.posts) ? v.parts.map(({ posts: _posts, ...p }) => p) : v.parts;
    const out: PageView = { id: v.paper.id, heat: v.heat, velocity: v.velocity, parts, history: v.history, watched: v.watched };
    // Matched here, on arXiv's record of the paper, not on the page's text: a page cannot probe
    // which names or words the user follows by writing rows of its own.
    if (rules && !v.watched) {
      const why = watchReason(v.paper, settings);
      if (why && why.kind !== 'paper') out.match = true;
    }
    return out;
  });
}

/**
 * PageViews with the For you marks (issue 21): `fy`, one localized sentence saying why, on papers
 * close to the reader's stars (by the stored model; a lookup never trains), `nfm` on papers marked
 * "not for me". A model that cannot be used costs the page its marks, never its badges.
 */
export async function markForYou(db: HotDb, settings: Settings, views: PaperView[]): Promise<PageView[]> {
  const page = forPage(views, settings);
  const dismissed = new Set(settings.forYou.notForMe);
  let s: Scorer | null = null;
  if (settings.watchlist.papers.length >= MIN_STARS) {
    const model = await loadModel(db).catch(() => null);
    s = model ? scorer(model) : null;
  }
  views.forEach((v, i) => {
    const p = page[i]!;
    if (dismissed.has(v.paper.id)) p.nfm = true;
    else if (s && !v.watched) {
      const why = whyOf(s, v.paper, settings);
      if (why.close) p.fy = whySentence(why);
    }
  });
  return page;
}

/**
 * The page's list as asked (at most MAX_LOOKUP_IDS rows; the reply says nothing of rows past it):
 * each entry normalized, or null where it is not an arXiv id; and the distinct valid ids in page order.
 */
export function askedIds(raw: unknown): { asked: (string | null)[]; ids: string[] } {
  if (!Array.isArray(raw)) return { asked: [], ids: [] };
  const asked = raw.slice(0, MAX_LOOKUP_IDS).map((x) => (typeof x === 'string' ? normalizeArxivId(x) : null));
  const ids = [...new Set(asked.filter((id): id is string => id !== null))];
  return { asked, ids };
}

/**
 * Answers a lookup. `work` is the background fetch for the pending ids (null when none): it never
 * rejects, and tests await it; the handler lets it run after replying.
 */
export async function lookupPapers(env: LookupEnv, rawIds: unknown, tabId: number | undefined, full = false, words = false): Promise<{ reply: LookupReply; work: Promise<void> | null }> {
  const { asked, ids } = askedIds(rawIds);
  const { settings } = await loadSettings(env.storage);
  const all = ids.length ? await markForYou(env.db, settings, await env.deps.buildViews(env.db, ids, { settings, now: env.now() })) : [];
  const cached = new Map(all.map((v) => [v.id, v]));
  const now = env.now();
  const unknown = ids.length > cached.size ? await unknownIds(env.db, now) : {};
  const wanted = ids.filter((id) => !cached.has(id) && !(id in unknown)).slice(0, MAX_FETCH_PER_PAGE);
  const allowed = await takeBudget(env.db, now, wanted.length);
  // Ids left out (unknown to arXiv lately, past a cap) are neither answered nor pending: no data.
  const pending = wanted.slice(0, allowed);
  if (allowed < wanted.length) (env.warn ?? console.warn)(`Hot Papers: ${wanted.length - allowed} papers of this page were not looked up (at most ${MAX_FETCH_PER_HOUR} an hour).`);
  const reply: LookupReply = { ...pageReply(asked, cached, new Set(pending), full), hotThreshold: settings.hotThreshold };
  if (words) reply.words = templatesOf(PAGE_WORDS);
  const work = pending.length ? fetchPending(env, settings, pending, tabId, full) : null;
  return { reply, work };
}

async function fetchPending(env: LookupEnv, settings: Settings, ids: string[], tabId: number | undefined, full: boolean): Promise<void> {
  const warn = env.warn ?? ((m: string) => console.warn(m));
  const fetched: Paper[] = [];
  try {
    for (let i = 0; i < ids.length; i += FETCH_CHUNK) {
      const chunk = ids.slice(i, i + FETCH_CHUNK);
      const asked = new Set(chunk);
      const result = await env.deps.fetchPapersByIds(env, chunk);
      // Only papers arXiv returned for ids we asked about go on (stored, and to the engagement
      // sources): a page-chosen id reaches a third party only once arXiv has confirmed it.
      const papers = result.papers.filter((p) => asked.has(p.id));
      if (papers.length) await storePapers(env.db, papers, []);
      fetched.push(...papers);
      await rememberUnknown(env.db, result.missing.filter((id) => asked.has(id)), env.now());
    }
  } catch (err) {
    // Keep what arrived; the rest stays uncached and the page asks again on its next load.
    warn(`Hot Papers: arXiv lookup stopped after ${fetched.length} of ${ids.length} papers: ${(err as Error).message}`);
  }
  try {
    if (fetched.length) {
      try {
        // force: these papers were just met on a page; the per-source rate limits (retryAt) still hold.
        await env.deps.collectSignals({ ...env, settings }, fetched, { force: true });
      } catch (err) {
        warn(`Hot Papers: engagement signals for looked-up papers failed: ${(err as Error).message}`);
      }
    }
    if (tabId === undefined) return;
    const views = fetched.length ? await markForYou(env.db, settings, await env.deps.buildViews(env.db, fetched.map((p) => p.id), { settings, now: env.now() })) : [];
    // Always answer, even with nothing: the page then shows "no data" instead of "loading" forever.
    await env.pushToTab(tabId, { push: 'papers:updated', payload: pageViews(views, full) });
  } catch (err) {
    warn(`Hot Papers: could not send looked-up papers to the page: ${(err as Error).message}`);
  }
}

/** Adds or removes one paper in settings.watchlist.papers; answers the new state. */
export async function toggleWatch(storage: KeyValueStorage, rawId: unknown): Promise<Res<'watchlist:toggle'>> {
  const id = typeof rawId === 'string' ? normalizeArxivId(rawId) : null;
  if (!id) throw new Error(t('notAnArxivId'));
  const { settings } = await loadSettings(storage);
  const papers = settings.watchlist.papers;
  const watched = !papers.includes(id);
  const next: Settings = {
    ...settings,
    watchlist: { ...settings.watchlist, papers: watched ? [...papers, id] : papers.filter((p) => p !== id) },
  };
  await saveSettings(storage, next);
  return { watched };
}
