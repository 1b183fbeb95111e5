import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getSignals, getSignalsMany, recentDays, setMeta, type HotDb } from '../../lib/store/db';
import { HOT_DEPS, getHotList, markSeen, rankCacheKey, type HotListRequest, type HotlistDeps, type HotlistEnv } from '../../lib/rank/hotlist';
import { popupHandlers } from '../../lib/worker/popup-handlers';
import type { Settings } from '../../lib/settings';
import type { HotView, Paper } from '../../lib/types';
import { fakeEnv, freshDb, list, memStorage, NOW, realPapers, settingsWith, signal, useEnglish } from './popup-test-kit';

let db: HotDb;
let papers: Paper[];
const csPapers = () => papers.filter((p) => p.categories.some((c) => c.startsWith('cs.')));

beforeAll(() => {
  useEnglish();
  papers = realPapers();
});
beforeEach(async () => {
  db = await freshDb();
});

/** The real deps, recording which ids were asked for (the bound on work per popup open). */
function spyDeps() {
  const asked: string[][] = [];
  const deps: HotlistDeps = {
    ...HOT_DEPS,
    buildViews: (d, ids, opts) => {
      asked.push(ids);
      return HOT_DEPS.buildViews(d, ids, opts);
    },
  };
  return { deps, asked };
}

function env(settings: Settings, deps: HotlistDeps = HOT_DEPS, now = NOW): HotlistEnv {
  return { db, now, settings, deps };
}

const ids = (l: { items: { paper: Paper }[] }) => l.items.map((v) => v.paper.id);
const get = (e: HotlistEnv, view: HotView, limit?: number) => getHotList(e, { view, limit });

describe('Today', () => {
  it('is the latest announcement day in the cache, ranked by heat', async () => {
    const [a, b, c, d] = csPapers();
    await list(db, a!, '2310.10001', '2023-10-25');
    await list(db, b!, '2310.20001', '2023-10-26');
    await list(db, c!, '2310.20002', '2023-10-26');
    await list(db, d!, '2310.20003', '2023-10-26');
    await signal(db, '2310.20002', 'hf', { upvotes: 40 });
    await signal(db, '2310.20003', 'hn', { points: 5, comments: 1 });
    await signal(db, '2310.10001', 'hf', { upvotes: 500 });
    const l = await get(env(settingsWith({ categories: ['cs.SE', 'cs.AR', 'cs.IT', 'cs.CV', 'cs.LG'] })), 'today');
    expect(l.day).toBe('2023-10-26');
    expect(ids(l)).toEqual(['2310.20002', '2310.20003', '2310.20001']);
    expect(l.total).toBe(3);
  });

  it('still ranks by heat when the cache is months old', async () => {
    const [a, b] = csPapers();
    await list(db, a!, '2310.11001', '2023-10-26');
    await list(db, b!, '2310.11002', '2023-10-26');
    await signal(db, '2310.11001', 'hf', { upvotes: 5 });
    await signal(db, '2310.11002', 'hf', { upvotes: 90 });
    const later = Date.parse('2026-11-25T12:00:00Z');
    for (const limit of [1, 10]) {
      expect(ids(await get(env(settingsWith({ categories: ['cs'] }), HOT_DEPS, later), 'today', limit))[0]).toBe('2310.11002');
    }
  });

  it('on a weekend shows the latest announcement (Friday), not an empty list', async () => {
    const [a, b] = csPapers();
    await list(db, a!, '2310.30001', '2023-10-26');
    await list(db, b!, '2310.30002', '2023-10-27');
    const saturday = Date.parse('2023-10-28T15:00:00Z');
    const l = await get(env(settingsWith({ categories: ['cs'] }), HOT_DEPS, saturday), 'today');
    expect(l.day).toBe('2023-10-27');
    expect(ids(l)).toEqual(['2310.30002']);
  });

  it('respects the cross-list setting through the announce type', async () => {
    const base = csPapers()[0]!;
    await list(db, base, '2310.40001', '2023-10-26', 'new', ['cs.CV']);
    await list(db, base, '2310.40002', '2023-10-26', 'cross', ['cs.CV']);
    await list(db, base, '2310.40003', '2023-10-26', 'replace-cross', ['cs.CV']);
    await list(db, base, '2310.40004', '2023-10-26', 'replace', ['cs.CV']);
    const withCross = await get(env(settingsWith({ categories: ['cs.CV'], includeCrossLists: true })), 'today');
    expect(ids(withCross).sort()).toEqual(['2310.40001', '2310.40002', '2310.40003', '2310.40004']);
    const without = await get(env(settingsWith({ categories: ['cs.CV'], includeCrossLists: false })), 'today');
    expect(ids(without).sort()).toEqual(['2310.40001', '2310.40004']);
  });

  it("only lists the user's categories", async () => {
    const [a, b] = csPapers();
    await list(db, a!, '2310.50001', '2023-10-26', 'new', ['cs.SE']);
    await list(db, b!, '2310.50002', '2023-10-26', 'new', ['math.NT']);
    expect(ids(await get(env(settingsWith({ categories: ['cs.SE'] })), 'today'))).toEqual(['2310.50001']);
  });

  it('marks papers new until they were seen', async () => {
    const [a, b] = csPapers();
    await list(db, a!, '2310.60001', '2023-10-26');
    await list(db, b!, '2310.60002', '2023-10-26');
    await markSeen(db, ['2310.60001'], NOW);
    const l = await get(env(settingsWith({ categories: ['cs'] })), 'today');
    expect(Object.fromEntries(l.items.map((v) => [v.paper.id, v.isNew]))).toEqual({ '2310.60001': false, '2310.60002': true });
  });
});

describe('damaged records', () => {
  it('a paper without title or authors and signals with null or non-number counts do not break the list, its ranking or a search', async () => {
    const [a, b, c] = csPapers();
    await list(db, a!, '2310.30001', '2023-10-26');
    await list(db, b!, '2310.30002', '2023-10-26');
    await list(db, c!, '2310.30003', '2023-10-26');
    await signal(db, '2310.30001', 'hf', { upvotes: 40 });
    await signal(db, '2310.30002', 'hn', { points: 9, comments: 3 });
    await signal(db, '2310.30003', 'hf', { upvotes: 2 });
    // What an older version's bug or a damaged profile can leave behind.
    const raw = db as unknown as { get(s: string, k: string): Promise<any>; put(s: string, v: unknown): Promise<unknown> };
    const damaged = await raw.get('papers', '2310.30002');
    await raw.put('papers', { ...damaged, title: undefined, authors: null, categories: [...damaged.categories, 7] });
    const block = await raw.get('signalBlocks', '2310.300');
    for (const r of block.records) {
      if (r.paperId === '2310.30002') r.counts = { points: 'many', comments: 3 };
      if (r.paperId === '2310.30003') r.counts = null;
    }
    await raw.put('signalBlocks', block);
    const s = settingsWith({ categories: ['cs'] });
    for (const limit of [200, 1]) {
      const l = await get(env(s), 'today', limit);
      expect(l.total).toBe(3);
      expect(ids(l)[0]).toBe('2310.30001');
    }
    const l = await get(env(s), 'today');
    const hurt = l.items.find((v) => v.paper.id === '2310.30002')!;
    expect(hurt.paper.title).toBe('');
    expect(hurt.paper.authors).toEqual([]);
    expect(hurt.parts.find((p) => p.source === 'hn')?.counts).toEqual({ comments: 3 });
    expect(l.items.find((v) => v.paper.id === '2310.30003')!.heat).toBe(0);
    const found = await getHotList(env(s), { view: 'today', query: a!.title.slice(0, 12), limit: 1 });
    expect(ids(found)).toContain('2310.30001');
  });
});

describe('bounded reads', () => {
  it('reads only the shown days, whatever the size of the cache', async () => {
    const base = csPapers()[0]!;
    // 40 older days x 50 papers each, then today's 12: hand-made volume, real paper metadata.
    for (let d = 0; d < 40; d++) {
      const day = new Date(Date.UTC(2023, 8, 1 + d)).toISOString().slice(0, 10);
      for (let i = 0; i < 50; i++) await list(db, base, `2309.${String(d * 100 + i).padStart(5, '0')}`, day, 'new', ['cs.SE']);
    }
    for (let i = 0; i < 12; i++) await list(db, base, `2310.${String(70000 + i)}`, '2023-10-26', 'new', ['cs.SE']);
    const { deps, asked } = spyDeps();
    const l = await get(env(settingsWith({ categories: ['cs.SE'] }), deps), 'today', 5);
    // Full papers are read only for the rows shown.
    expect(asked).toEqual([expect.any(Array)]);
    expect(asked[0]).toHaveLength(5);
    expect(l.items).toHaveLength(5);
    expect(l.total).toBe(12);

    const week = await get(env(settingsWith({ categories: ['cs.SE'] }), deps), 'week', 1000);
    // Today plus the six announcement days before it: 12 + 6 x 50.
    expect(asked[1]).toHaveLength(12 + 6 * 50);
    expect(week.total).toBe(312);
  });

  it('ranks a long list the same whether or not it is cut to a limit', async () => {
    const base = csPapers()[0]!;
    for (let i = 0; i < 30; i++) {
      const day = i < 20 ? '2023-10-26' : '2023-10-25';
      await list(db, base, `2310.${71000 + i}`, day, 'new', ['cs.SE']);
      if (i % 3) await signal(db, `2310.${71000 + i}`, i % 2 ? 'hf' : 'hn', i % 2 ? { upvotes: (i * 37) % 90 } : { points: (i * 53) % 200, comments: i });
    }
    const s = settingsWith({ categories: ['cs.SE'] });
    for (const view of ['today', 'week'] as const) {
      const full = await get(env(s), view, 1000);
      const cut = await get(env(s), view, 4);
      expect(ids(cut)).toEqual(ids(full).slice(0, 4));
      expect(cut.items.map((v) => v.heat)).toEqual(full.items.slice(0, 4).map((v) => v.heat));
      // The cut list's views reuse the signals read for ranking: same per-source parts and links.
      expect(cut.items.map((v) => v.parts)).toEqual(full.items.slice(0, 4).map((v) => v.parts));
      expect(cut.total).toBe(full.total);
    }
  });

  describe('the kept ranking of a long view', () => {
    /** 30 papers today, 10 yesterday, a third without signals; heat from both real source shapes. */
    async function longDay() {
      const base = csPapers()[0]!;
      for (let i = 0; i < 40; i++) {
        const id = `2310.${73000 + i}`;
        await list(db, base, id, i < 30 ? '2023-10-26' : '2023-10-25', 'new', ['cs.SE']);
        if (i % 3) await signal(db, id, i % 2 ? 'hf' : 'hn', i % 2 ? { upvotes: (i * 37) % 90 } : { points: (i * 53) % 200, comments: i });
      }
    }
    /** The real deps, counting heat computations: ranking a view computes one per paper. */
    function countingDeps() {
      const calls = { heat: 0 };
      const deps: HotlistDeps = { ...HOT_DEPS, heatOf: (s, w) => (calls.heat++, HOT_DEPS.heatOf(s, w)) };
      return { deps, calls };
    }
    const s = settingsWith({ categories: ['cs.SE'] });
    const rows = (l: { items: { paper: Paper; heat: number; parts: unknown }[] }) => l.items.map((v) => [v.paper.id, v.heat, v.parts]);

    it('a second opening ranks nothing and shows exactly what ranking afresh shows, in both long views', async () => {
      await longDay();
      for (const view of ['today', 'week'] as const) {
        const { deps, calls } = countingDeps();
        const first = await get(env(s, deps), view, 8);
        expect(calls.heat).toBe(view === 'today' ? 30 : 40);
        const again = await get(env(s, deps), view, 8);
        const wider = await get(env(s, deps), view, 20);
        expect(calls.heat).toBe(view === 'today' ? 30 : 40);
        expect(rows(again)).toEqual(rows(first));
        expect(again.total).toBe(first.total);
        // The same as a ranking from scratch (the full list is short enough to rank whole views).
        const fresh = await get(env(s), view, 1000);
        expect(rows(wider)).toEqual(rows(fresh).slice(0, 20));
      }
    });

    it('is ranked again after new signals, new papers, other source weights or a cleared cache', async () => {
      await longDay();
      const { deps, calls } = countingDeps();
      const top = async () => ids(await get(env(s, deps), 'today', 3));
      const before = await top();
      const ranked = calls.heat;
      // A paper without signals jumps to the top.
      await signal(db, '2310.73000', 'hn', { points: 5000, comments: 900 });
      expect((await top())[0]).toBe('2310.73000');
      expect(calls.heat).toBeGreaterThan(ranked);
      // A new paper without signals: the day's total and chip counts grow (day lists changed).
      const total = (await get(env(s, deps), 'today', 3)).total;
      await list(db, csPapers()[0]!, '2310.73098', '2023-10-26', 'new', ['cs.SE']);
      const grown = await get(env(s, deps), 'today', 3);
      expect(grown.total).toBe(total + 1);
      expect(grown.categoryCounts).toEqual((await get(env(s), 'today', 1000)).categoryCounts);
      // A new paper on the day, hotter still.
      await list(db, csPapers()[0]!, '2310.73099', '2023-10-26', 'new', ['cs.SE']);
      await signal(db, '2310.73099', 'hf', { upvotes: 100000 });
      expect((await top())[0]).toBe('2310.73099');
      // Hugging Face weighs nothing: the two Hacker News papers lead.
      const noHf = settingsWith({ categories: ['cs.SE'], sources: { ...s.sources, hf: { ...s.sources.hf, weight: 0 } } });
      const hnFirst = ids(await get(env(noHf, deps), 'today', 3));
      expect(hnFirst[0]).toBe('2310.73000');
      expect(hnFirst).toEqual(ids(await get(env(noHf), 'today', 1000)).slice(0, 3));
      expect(before).not.toEqual(hnFirst);
      await popupHandlers(fakeEnv(db, memStorage()))['cache:clear']();
      expect((await get(env(s, deps), 'today', 3)).items).toEqual([]);
    });

    it('a search or a category filter neither uses nor replaces it; a damaged kept ranking is ranked again', async () => {
      await longDay();
      const { deps, calls } = countingDeps();
      const first = ids(await get(env(s, deps), 'today', 5));
      const ranked = calls.heat;
      const found = await getHotList(env(s, deps), { view: 'today', limit: 5, query: csPapers()[0]!.title.split(' ')[0] });
      expect(found.items.length).toBeGreaterThan(0);
      expect(calls.heat).toBeGreaterThan(ranked);
      const afterSearch = calls.heat;
      expect(ids(await get(env(s, deps), 'today', 5))).toEqual(first);
      expect(calls.heat).toBe(afterSearch);
      for (const damaged of [null, 'x', { rev: null, input: 'x', top: 'abc' }, { top: [1, 2, 3, 4, 5, 6] }]) {
        await setMeta(db, rankCacheKey('today'), damaged);
        expect(ids(await get(env(s, deps), 'today', 5))).toEqual(first);
      }
    });
  });

  it('reads signals of many papers the same way whether by range or one by one', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => `2310.${72000 + i * 3}`);
    for (const [i, id] of ids.entries()) if (i % 4 === 0) await signal(db, id, 'hf', { upvotes: i });
    await signal(db, ids[5]!, 'hn', { points: 7, comments: 1 });
    const outside = '2310.72001'; // inside the range, not asked for
    await signal(db, outside, 'hf', { upvotes: 99 });
    const sorted = (m: Map<string, { source: string }[]>) => [...m.entries()].map(([k, v]) => [k, v.map((r) => r.source).sort()]).sort();
    const one = await getSignals(db, ids);
    expect(sorted(await getSignalsMany(db, ids))).toEqual(sorted(one));
    expect(one.has(outside)).toBe(false);
    // Dense: many more stored signals in the range than ids asked → per-id reads, same answer.
    for (let i = 0; i < 120; i++) await signal(db, `2310.${72000 + i}`, 's2', { citations: i });
    expect(sorted(await getSignalsMany(db, ids))).toEqual(sorted(await getSignals(db, ids)));
  });

  it('recentDays walks day by day, newest first', async () => {
    const base = csPapers()[0]!;
    for (const day of ['2023-10-20', '2023-10-23', '2023-10-24', '2023-10-26']) await list(db, base, `2310.${day.slice(8)}001`, day, 'new', ['cs.SE', 'cs.AI']);
    expect(await recentDays(db, 3)).toEqual(['2023-10-26', '2023-10-24', '2023-10-23']);
    expect(await recentDays(db, 10)).toHaveLength(4);
  });
});

describe('search and category filter over the whole view', () => {
  const DAY = '2023-10-26';
  const id = (i: number) => `2310.${String(90000 + i)}`;
  const s = settingsWith({ categories: ['cs.SE', 'cs.PL'] });

  /**
   * 230 papers of one day, listed as the poll lists them (new in the primary category, cross in the
   * others), each with some heat but the three below, which rank last (beyond 200):
   * `accented` (hand-written title and author with accents, primary cs.PL, cross-listed to cs.SE),
   * `math` (primary cs.SE, also in math.OC, which is not followed) and `crossOnly` (primary math.OC,
   * listed only as a cross-list in cs.SE).
   */
  async function longDay() {
    const base = csPapers()[0]!;
    for (let i = 0; i < 227; i++) {
      await list(db, { ...base, categories: ['cs.SE'], primaryCategory: 'cs.SE' }, id(i), DAY, 'new', ['cs.SE']);
      await signal(db, id(i), 'hf', { upvotes: 5 + (i % 50) });
    }
    const accented = await list(db, { ...base, title: 'Über-robust fuzzing of Café menus', authors: ['Zoë Lefèvre', 'Ana Núñez'], categories: ['cs.PL', 'cs.SE'], primaryCategory: 'cs.PL' }, id(227), DAY, 'new', ['cs.PL']);
    await list(db, accented, accented.id, DAY, 'cross', ['cs.SE']);
    const math = await list(db, { ...base, categories: ['cs.SE', 'math.OC'], primaryCategory: 'cs.SE' }, id(228), DAY, 'new', ['cs.SE']);
    const crossOnly = await list(db, { ...base, categories: ['math.OC', 'cs.SE'], primaryCategory: 'math.OC' }, id(229), DAY, 'cross', ['cs.SE']);
    return { accented, math, crossOnly };
  }

  const ask = (req: Omit<HotListRequest, 'view'>, deps?: HotlistDeps) => getHotList(env(s, deps), { view: 'today', ...req });

  it('finds a paper ranked beyond the limit by title or author, ignoring case and accents; total counts the matches', async () => {
    const { accented } = await longDay();
    const unfiltered = await ask({ limit: 200 });
    expect(unfiltered.total).toBe(230);
    expect(ids(unfiltered)).not.toContain(accented.id);
    for (const query of ['cafe MENUS', 'lefevre', 'ZOË', '  nunez ', 'über']) {
      const l = await ask({ limit: 200, query });
      expect(ids(l)).toEqual([accented.id]);
      expect(l.total).toBe(1);
    }
    // Matches beyond the limit still count in total; the rows are the best-ranked matches.
    const many = await ask({ limit: 5, query: csPapers()[0]!.title.slice(0, 12).toUpperCase() });
    expect(many.total).toBe(229);
    expect(ids(many)).toEqual(ids(unfiltered).filter((x) => x !== accented.id).slice(0, 5));
  });

  it('filters by any of the asked categories before the limit, from the day lists or from the papers', async () => {
    const { accented, math, crossOnly } = await longDay();
    const { deps, asked } = spyDeps();
    const pl = await ask({ limit: 200, categories: ['cs.PL'] }, deps);
    expect(ids(pl)).toEqual([accented.id]);
    expect(pl.total).toBe(1);
    // cs.PL is followed: answered from the day lists, papers read only for the row shown.
    expect(asked).toEqual([[accented.id]]);
    // math.OC is not followed (no day list): the papers tell.
    const oc = await ask({ limit: 200, categories: ['math.OC'] });
    expect(ids(oc).sort()).toEqual([math.id, crossOnly.id].sort());
    const either = await ask({ limit: 200, categories: ['math.OC', 'cs.PL'] });
    expect(either.total).toBe(3);
    // Search and categories together: both must hold.
    expect((await ask({ limit: 200, categories: ['cs.SE'], query: 'cafe' })).total).toBe(1);
    expect((await ask({ limit: 200, categories: ['math.OC'], query: 'cafe' })).total).toBe(0);
  });

  it('gives the chips the primary categories of the whole unfiltered view, cross-lists from categories not followed included', async () => {
    const { crossOnly } = await longDay();
    const { deps, asked } = spyDeps();
    const first = await ask({ limit: 8 }, deps);
    // Views are built for the first screenful only.
    expect(asked).toEqual([expect.any(Array)]);
    expect(asked[0]).toHaveLength(8);
    // 228 listed as new in cs.SE, 1 in cs.PL, and the cross-list whose primary (math.OC) is not followed.
    expect(first.categoryCounts).toEqual([
      ['cs.SE', 228],
      ['cs.PL', 1],
      ['math.OC', 1],
    ]);
    // The same counts as a list short enough to build every view.
    expect((await ask({ limit: 1000 })).categoryCounts).toEqual(first.categoryCounts);
    expect((await ask({ limit: 200, query: 'cafe' })).categoryCounts).toEqual(first.categoryCounts);
    // Kept until the day lists change: the cross-list's paper is not read again at the next opening
    // (gone from the store without a day list changing, it is still counted)…
    await db.delete('papers', crossOnly.id);
    expect((await ask({ limit: 8 })).categoryCounts).toEqual(first.categoryCounts);
    // …and counted afresh when they do.
    await list(db, csPapers()[0]!, id(230), DAY, 'new', ['cs.SE']);
    expect((await ask({ limit: 8 })).categoryCounts).toEqual([
      ['cs.SE', 229],
      ['cs.PL', 1],
    ]);
  });

  it('filters a list shorter than the limit the same way', async () => {
    const { accented, math, crossOnly } = await longDay();
    const l = await ask({ limit: 1000, categories: ['math.OC'] });
    expect(ids(l).sort()).toEqual([math.id, crossOnly.id].sort());
    expect(ids(await ask({ limit: 1000, query: 'LEFÈVRE' }))).toEqual([accented.id]);
    const all = await ask({ limit: 1000 });
    // Every view was built: the cross-list's own primary is counted too.
    expect(all.categoryCounts).toEqual([
      ['cs.SE', 228],
      ['cs.PL', 1],
      ['math.OC', 1],
    ]);
  });

  it("'hotlist:get' ignores a query or categories of the wrong type and never takes ids from a message", async () => {
    await longDay();
    const h = popupHandlers(fakeEnv(db, memStorage({ categories: ['cs.SE', 'cs.PL'] })));
    const bad = await h['hotlist:get']({ view: 'today', limit: 10, query: 42, categories: 'cs.PL' } as never);
    expect(bad.total).toBe(230);
    const mixed = await h['hotlist:get']({ view: 'today', limit: 10, categories: ['cs.PL', 7, null] } as never);
    expect(mixed.total).toBe(1);
    const withIds = await h['hotlist:get']({ view: 'today', limit: 10, ids: [id(3)] } as never);
    expect(withIds.total).toBe(230);
  });
});

describe('Watchlist', () => {
  it('has watched papers (any age) and recent papers by followed authors or with keywords', async () => {
    const ps = csPapers();
    const byAuthor = ps.find((p) => p.authors.length > 1)!;
    const byKeyword = ps.find((p) => /Fuzzing/.test(p.title))!;
    await list(db, ps[0]!, '2301.00001', '2023-01-03');
    await list(db, byAuthor, '2310.80001', '2023-10-26');
    await list(db, byKeyword, '2310.80002', '2023-10-25');
    await list(db, byAuthor, '2301.00002', '2023-01-04'); // same author, too old for the author match
    await list(db, ps[1]!, '2310.80003', '2023-10-26');
    // Six more announcement days push January out of the 7-day window.
    for (let d = 17; d <= 24; d++) await list(db, ps[2]!, `2310.810${d}`, `2023-10-${d}`);
    const settings = settingsWith({
      categories: ['cs'],
      watchlist: { papers: ['2301.00001'], authors: [byAuthor.authors[1]!.toUpperCase()], keywords: ['fuzzing'] },
    });
    const l = await get(env(settings), 'watchlist');
    expect(ids(l).sort()).toEqual(['2301.00001', '2310.80001', '2310.80002']);
    expect(l.items.find((v) => v.paper.id === '2301.00001')!.watched).toBe(true);
  });
});
