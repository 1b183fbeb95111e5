import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getSignals, getSignalsMany, recentDays, type HotDb } from '../../lib/db';
import { HOT_DEPS } from '../../lib/hot-deps';
import { getHotList, markSeen, type HotlistDeps, type HotlistEnv } from '../../lib/hotlist';
import type { Settings } from '../../lib/settings';
import type { HotView, Paper } from '../../lib/types';
import { freshDb, list, NOW, realPapers, settingsWith, signal, useEnglish } from './popup-test-kit';

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
