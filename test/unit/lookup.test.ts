import { describe, expect, it } from 'vitest';
import { getPapers, openHotDb, storePapers, type HotDb } from '../../lib/store/db';
import { FETCH_CHUNK, forPage, MAX_FETCH_PER_HOUR, MAX_LOOKUP_IDS, MAX_FETCH_PER_PAGE, UNKNOWN_TTL_MS, lookupPapers, toggleWatch, type LookupDeps, type LookupEnv, type LookupReply } from '../../lib/worker/lookup';
import type { PushEnvelope } from '../../lib/messages';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type KeyValueStorage } from '../../lib/settings';
import type { Paper, PaperView } from '../../lib/types';
import { buildViews } from '../../lib/rank/views';
import { isQuiet, leanView, quietView } from '../../lib/page-view';
import { normalizeArxivId } from '../../lib/arxiv/ids';
import { PAGE_WORDS } from '../../lib/content/words';

const NOW = Date.UTC(2026, 10, 25, 12);

function paper(id: string, origin: Paper['origin'] = 'rss'): Paper {
  return { id, version: 1, title: `Paper ${id}`, authors: ['A. Author'], abstract: '', categories: ['cs.LG'], primaryCategory: 'cs.LG', firstSeen: NOW, updatedAt: NOW, origin };
}

function memStorage(init: Record<string, unknown> = {}): KeyValueStorage & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = structuredClone(init);
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
  };
}

let dbCount = 0;
async function setup(opts: { cached?: string[]; known?: string[]; failAfter?: number; settings?: object } = {}) {
  const db: HotDb = await openHotDb(`lookup-test-${++dbCount}`);
  if (opts.cached?.length) await storePapers(db, opts.cached.map((id) => paper(id)), []);
  const calls = { fetch: [] as string[][], signals: [] as string[][], pushes: [] as { tabId: number; msg: PushEnvelope }[], warnings: [] as string[] };
  const known = new Set(opts.known ?? []);
  const deps: LookupDeps = {
    // Fake of B's buildViews with the contract's one rule that matters here: uncached ids are omitted.
    async buildViews(d, ids) {
      const found = await getPapers(d, ids);
      return ids.filter((id) => found.has(id)).map((id): PaperView => ({ paper: found.get(id)!, heat: id.length, velocity: 0, parts: [], history: [], watched: false, isNew: false }));
    },
    async fetchPapersByIds(_env, ids) {
      calls.fetch.push(ids);
      if (opts.failAfter !== undefined && calls.fetch.length > opts.failAfter) throw new Error('HTTP 503 from export.arxiv.org');
      const papers = ids.filter((id) => known.has(id)).map((id) => paper(id, 'api'));
      return { papers, missing: ids.filter((id) => !known.has(id)), requests: 1 };
    },
    async collectSignals(_env, papers) {
      calls.signals.push(papers.map((p) => p.id));
      return [];
    },
  };
  const storage = memStorage(opts.settings ? { [SETTINGS_KEY]: opts.settings } : {});
  const env: LookupEnv = {
    db,
    storage,
    fetch: async () => {
      throw new Error('no network in unit tests');
    },
    now: () => NOW,
    deps,
    async pushToTab(tabId, msg) {
      calls.pushes.push({ tabId, msg });
    },
    warn: (m) => calls.warnings.push(m),
  };
  return { db, env, calls, storage };
}

/** The ids of the asked list the reply marks with `state` (ROW_STATE: 'p' pending, 'q' quiet, …), normalized, once each. */
const marked = (reply: LookupReply, asked: unknown[], state: string) => [...new Set(asked.flatMap((id, i) => (reply.states[i] === state ? [normalizeArxivId(String(id))!] : [])))];

describe('papers:lookup (lib/worker/lookup.ts)', () => {
  it('answers cached papers at once and lists the others as pending, with the page settings', async () => {
    const { env, calls } = await setup({
      cached: ['2401.00001', '2401.00002'],
      known: ['2401.00003'],
      settings: { ...DEFAULT_SETTINGS, hotThreshold: 25, watchlist: { papers: [], authors: ['Kedem'], keywords: ['cluster algebra'] } },
    });
    const { reply, work } = await lookupPapers(env, ['2401.00001v2', 'arXiv:2401.00002', '2401.00003', '2401.00004'], 7);
    // By position: the two cached papers' views in page order, then two pending.
    expect(reply.states).toBe('vvpp');
    expect(reply.views.map((v) => v.id)).toEqual(['2401.00001', '2401.00002']);
    expect(reply.hotThreshold).toBe(25);
    // The watch rules stay in the worker (issue 20): the page is told which rows match, never what.
    expect(JSON.stringify(reply)).not.toMatch(/Kedem|cluster algebra/);
    // Nothing has been pushed before the reply: the fetch runs after it.
    await work;
    expect(calls.fetch).toEqual([['2401.00003', '2401.00004']]);
    expect(calls.signals).toEqual([['2401.00003']]);
    expect(calls.pushes).toHaveLength(1);
    expect(calls.pushes[0]!.tabId).toBe(7);
    expect(calls.pushes[0]!.msg.push).toBe('papers:updated');
    expect(calls.pushes[0]!.msg.payload.views.map((v) => v.id)).toEqual(['2401.00003']);
  });

  it('sends a cached paper with nothing to show as one character, and the page rebuilds exactly its view (issue 17)', async () => {
    const { env } = await setup({ cached: ['2401.00001', '2401.00002'] });
    // The real view builder: these papers have no signals, history or star.
    env.deps.buildViews = buildViews;
    const [built] = forPage(await buildViews(env.db, ['2401.00001'], { settings: DEFAULT_SETTINGS, now: NOW }), DEFAULT_SETTINGS);
    expect(isQuiet(built!)).toBe(true);
    expect(quietView('2401.00001')).toEqual(built);
    const { reply } = await lookupPapers(env, ['2401.00001', '2401.00002', '2401.00003'], 1);
    expect(reply.views).toEqual([]);
    expect(reply.states).toBe('qqp');
    // A star, a heat, a source or a mark is not quiet: the page needs the whole view.
    for (const extra of [{ watched: true }, { heat: 0.1 }, { match: true as const }, { nfm: true as const }, { history: [{ t: NOW, heat: 0 }] }]) {
      expect(isQuiet({ ...quietView('2401.00001'), ...extra })).toBe(false);
    }
  });

  it('a listing gets lean views (no discussion links, no history); an abs page or an opened breakdown asks for whole ones (issue 17)', async () => {
    const { env, calls } = await setup({ cached: ['2401.00001'], known: ['2401.00002'] });
    const link = { url: 'https://news.ycombinator.com/item?id=1', label: 'HN thread' };
    env.deps.buildViews = async (d, ids) => [...(await getPapers(d, ids)).keys()].map((id): PaperView => ({
      paper: paper(id), heat: 12, velocity: 1, parts: [{ source: 'hn', counts: { points: 40 }, weight: 1, score: 12, share: 1, links: [link] }], history: [{ t: NOW, heat: 12 }], watched: false, isNew: false,
    }));
    const lean = await lookupPapers(env, ['2401.00001', '2401.00002'], 3);
    expect(lean.reply.views).toEqual([{ id: '2401.00001', heat: 12, velocity: 1, parts: [{ source: 'hn', counts: { points: 40 }, weight: 1, score: 12, share: 1, links: [] }], history: [], watched: false, lean: true }]);
    await lean.work;
    // The push answers in the form the page asked for.
    expect(calls.pushes[0]!.msg.payload.views.map((v) => [v.id, v.lean, v.history.length])).toEqual([['2401.00002', true, 0]]);
    const whole = await lookupPapers(env, ['2401.00001'], 3, true);
    expect(whole.reply.views[0]!.lean).toBeUndefined();
    expect(whole.reply.views[0]!.parts[0]!.links).toEqual([link]);
    expect(whole.reply.views[0]!.history).toHaveLength(1);
    expect(leanView(whole.reply.views[0]!)).toEqual(lean.reply.views[0]);
  });

  it("sends the page's words with its first lookup only, as the page's own templates (issue 17)", async () => {
    const { env } = await setup({ cached: ['2401.00001'] });
    const first = await lookupPapers(env, ['2401.00001'], 1, false, true);
    expect(Object.keys(first.reply.words!).sort()).toEqual([...PAGE_WORDS].sort());
    // A template keeps its substitutions as marks the page fills in (lib/content/i18n.ts msg).
    expect(first.reply.words!.pageStatus).toBe('\uE001 hot of \uE002');
    expect((await lookupPapers(env, ['2401.00001'], 1, true)).reply.words).toBeUndefined();
  });

  it('sends the page ids and signals only, no paper text (it shows its own), keeping a 2000-paper message small', async () => {
    const { env, db } = await setup({ known: ['2401.00003'] });
    await storePapers(db, [{ ...paper('2401.00001'), abstract: 'A long abstract '.repeat(100) }], []);
    const { reply } = await lookupPapers(env, ['2401.00001'], 1, true);
    expect(Object.keys(reply.views[0]!).sort()).toEqual(['heat', 'history', 'id', 'parts', 'velocity', 'watched']);
    expect(JSON.stringify(reply)).not.toMatch(/A long abstract|Paper 2401\.00001/);
    expect((await getPapers(db, ['2401.00001'])).get('2401.00001')!.abstract).toMatch(/^A long abstract/);
  });

  it('leaves the kept X posts out of a page\'s message (the page shows the discussion links)', () => {
    const post = { id: '1', url: 'https://x.com/a/status/1', handle: 'a', name: 'A', text: 'A post text '.repeat(20), createdAt: '', retweets: 1, likes: 2 };
    const view: PaperView = { paper: paper('2401.00001'), heat: 3, velocity: 0, parts: [{ source: 'x', counts: { retweets: 1, likes: 2, posts: 1 }, weight: 1, score: 3, share: 1, links: [{ url: post.url, label: 'X post' }], posts: [post] }], history: [], watched: false, isNew: false };
    const [pv] = forPage([view], DEFAULT_SETTINGS);
    expect(pv!.parts[0]!.links).toEqual([{ url: post.url, label: 'X post' }]);
    expect(JSON.stringify(pv)).not.toContain('A post text');
    expect(view.parts[0]!.posts).toHaveLength(1);
  });

  it('marks rows matching a followed author or keyword from arXiv\'s record of the paper, nothing else', async () => {
    const { env, db } = await setup({
      settings: { ...DEFAULT_SETTINGS, watchlist: { papers: ['2401.00004'], authors: ['Philippe Di Francesco'], keywords: ['cluster algebra'] } },
    });
    await storePapers(db, [
      { ...paper('2401.00001'), authors: ['Philippe Di Francesco', 'Rinat Kedem'] },
      { ...paper('2401.00002'), title: 'Positivity in the Cluster Algebra of type A' },
      { ...paper('2401.00003'), title: 'Q-systems as cluster algebras?', authors: ['Someone Else'] },
      paper('2401.00004'),
    ], []);
    const { reply } = await lookupPapers(env, ['2401.00001', '2401.00002', '2401.00003', '2401.00004'], 1);
    // 2401.00004 is on the watchlist itself (its star says so), not a rule match.
    expect(reply.views.map((v) => [v.id, v.match ?? false])).toEqual([['2401.00001', true], ['2401.00002', true], ['2401.00003', true], ['2401.00004', false]]);
    expect(JSON.stringify(reply)).not.toMatch(/Francesco|cluster algebra/i);
  });

  it('stores fetched papers, so the next lookup finds them in the cache', async () => {
    const { env, db } = await setup({ known: ['2401.00003'] });
    const first = await lookupPapers(env, ['2401.00003'], 1);
    await first.work;
    expect((await getPapers(db, ['2401.00003'])).get('2401.00003')?.origin).toBe('api');
    const again = await lookupPapers(env, ['2401.00003'], 1);
    expect(again.reply.states).not.toContain('p');
    expect(again.work).toBeNull();
  });

  it("a 2000-id page (arXiv's longest listing): its uncached ids, up to MAX_FETCH_PER_PAGE, fetched in chunks, one push in total", async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `2401.${String(i + 1).padStart(5, '0')}`);
    const { env, calls } = await setup({ cached: ids.slice(0, 10), known: ids.slice(10) });
    const { reply, work } = await lookupPapers(env, ids, 3);
    const expected = ids.slice(10, 10 + MAX_FETCH_PER_PAGE);
    expect(expected).toHaveLength(1990);
    expect(reply.views).toHaveLength(10);
    expect(marked(reply, ids, 'p')).toEqual(expected);
    expect(reply.states).toHaveLength(2000);
    await work;
    expect(calls.fetch).toHaveLength(Math.ceil(expected.length / FETCH_CHUNK));
    expect(calls.fetch.flat()).toEqual(expected);
    expect(calls.signals).toHaveLength(1);
    expect(calls.pushes).toHaveLength(1);
    expect(calls.pushes[0]!.msg.payload.views).toHaveLength(expected.length);
  });

  it('ids arXiv does not know are remembered for a day: the next pages do not ask for them again', async () => {
    const { env, calls } = await setup({ known: ['2401.00003'] });
    let now = NOW;
    env.now = () => now;
    const forged = Array.from({ length: 255 }, (_, i) => `2612.${String(i + 1).padStart(5, '0')}`);
    const first = await lookupPapers(env, ['2401.00003', ...forged], 1);
    await first.work;
    expect(calls.fetch.flat()).toHaveLength(256);
    now += 60_000;
    const again = await lookupPapers(env, forged, 1);
    expect(again.reply.states).toBe('-'.repeat(255));
    expect(again.work).toBeNull();
    expect(calls.fetch.flat()).toHaveLength(256);
    // A day later they are asked for once more (a new paper may have that id by then).
    now += UNKNOWN_TTL_MS;
    expect((await lookupPapers(env, forged.slice(0, 3), 1)).reply.states).toBe('ppp');
  });

  it('at most MAX_FETCH_PER_HOUR ids an hour are looked up across pages; the budget returns the next hour', async () => {
    const { env, calls } = await setup();
    let now = NOW;
    env.now = () => now;
    const page = (n: number) => Array.from({ length: MAX_FETCH_PER_PAGE }, (_, i) => `25${String(n).padStart(2, '0')}.${String(i + 1).padStart(5, '0')}`);
    let pending = 0;
    for (let n = 1; n <= Math.ceil(MAX_FETCH_PER_HOUR / MAX_FETCH_PER_PAGE) + 2; n++) {
      const { reply, work } = await lookupPapers(env, page(n), 1);
      pending += marked(reply, page(n), 'p').length;
      await work;
      now += 60_000;
    }
    expect(pending).toBe(MAX_FETCH_PER_HOUR);
    expect(calls.fetch.flat()).toHaveLength(MAX_FETCH_PER_HOUR);
    expect(calls.warnings.join(' ')).toMatch(/not looked up/);
    now += 60 * 60_000;
    expect((await lookupPapers(env, page(10).slice(0, 5), 1)).reply.states).toBe('ppppp');
  });

  it('only papers arXiv returned for the ids asked reach the engagement sources', async () => {
    const { env, calls } = await setup({ known: ['2401.00003'] });
    const real = env.deps.fetchPapersByIds;
    env.deps = { ...env.deps, fetchPapersByIds: async (e, ids) => { const r = await real(e, ids); return { ...r, papers: [...r.papers, paper('2401.09999', 'api')] }; } };
    const { work } = await lookupPapers(env, ['2401.00003', '2401.00004'], 1);
    await work;
    expect(calls.signals).toEqual([['2401.00003']]);
  });

  it('a failing arXiv API keeps what arrived and still answers the page once', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `2402.${String(i + 1).padStart(5, '0')}`);
    const { env, calls, db } = await setup({ known: ids, failAfter: 1 });
    const { work } = await lookupPapers(env, ids, 4);
    await work;
    expect(calls.fetch).toHaveLength(2);
    expect(calls.warnings.join(' ')).toMatch(/stopped after 100 of 250/);
    expect((await getPapers(db, ids)).size).toBe(100);
    expect(calls.pushes).toHaveLength(1);
    expect(calls.pushes[0]!.msg.payload.views).toHaveLength(100);
  });

  it('unknown ids: one empty push, so the page can show "no data" instead of "loading"', async () => {
    const { env, calls } = await setup();
    const { work } = await lookupPapers(env, ['2401.09999'], 5);
    await work;
    expect(calls.signals).toEqual([]);
    expect(calls.pushes.map((p) => p.msg.payload.views)).toEqual([[]]);
  });

  it('answers junk ids as no data and a paper listed twice twice; no work when nothing is pending', async () => {
    const { env, calls } = await setup({ cached: ['2401.00001'] });
    const { reply, work } = await lookupPapers(env, ['2401.00001', '2401.00001v3', '<script>', 42, 'javascript:alert(1)'], 5);
    expect(reply.states).toBe('vv---');
    expect(reply.views.map((v) => v.id)).toEqual(['2401.00001', '2401.00001']);
    expect(work).toBeNull();
    const none = await lookupPapers(env, 'not a list', 5);
    expect(none.reply).toMatchObject({ views: [], states: '' });
    // No listing has more than 2000 rows: the reply says nothing of rows past that (the page shows "no data").
    const long = await lookupPapers(env, Array.from({ length: MAX_LOOKUP_IDS + 5 }, () => '2401.00001'), 5);
    expect(long.reply.states).toBe('v'.repeat(MAX_LOOKUP_IDS));
    expect(calls.fetch).toEqual([]);
  });

  it('without a tab id the papers are still cached but nothing is pushed', async () => {
    const { env, calls, db } = await setup({ known: ['2401.00003'] });
    await (await lookupPapers(env, ['2401.00003'], undefined)).work;
    expect(calls.pushes).toEqual([]);
    expect((await getPapers(db, ['2401.00003'])).size).toBe(1);
  });
});

describe('watchlist:toggle', () => {
  it('adds then removes a normalized id in settings.watchlist.papers, keeping other settings', async () => {
    const storage = memStorage({ [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, hotThreshold: 42 } });
    expect(await toggleWatch(storage, 'https://arxiv.org/abs/2401.00001v2')).toEqual({ watched: true });
    const saved = storage.data[SETTINGS_KEY] as typeof DEFAULT_SETTINGS;
    expect(saved.watchlist.papers).toEqual(['2401.00001']);
    expect(saved.hotThreshold).toBe(42);
    expect(await toggleWatch(storage, '2401.00001')).toEqual({ watched: false });
    expect((storage.data[SETTINGS_KEY] as typeof DEFAULT_SETTINGS).watchlist.papers).toEqual([]);
  });

  it('refuses something that is not an arXiv id', async () => {
    await expect(toggleWatch(memStorage(), '<img src=x onerror=alert(1)>')).rejects.toThrow(/not an arXiv identifier/);
  });
});
