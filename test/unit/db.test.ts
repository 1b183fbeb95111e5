import type { IDBPDatabase } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  acquireLease, claimNotified, clearCache, DB_VERSION, DbOpenError, getMeta, getPapers, getSignals, getSnapshots, hasListings, isQuotaError,
  latestDay, leaseHeld, listingsBetween, openHotDb, PAPER_LIMITS, prune, recentDays, releaseLease, setMeta, LISTINGS_REV_KEY, SIGNALS_REV_KEY, storePapers, storeSignals, UNREADABLE_SIGNALS_KEY, type HotDb,
  type Lease,
} from '../../lib/store/db';
import type { ListingEntry, Paper, SignalRecord } from '../../lib/types';

const T = Date.UTC(2023, 9, 27);
const DAY = 86_400_000;
let n = 0;
const fresh = () => `db-test-${++n}`;

function paper(id: string, over: Partial<Paper> = {}): Paper {
  return { id, version: 1, title: `Title ${id}`, authors: ['A. Author'], abstract: 'x', categories: ['cs.LG'], primaryCategory: 'cs.LG', announceType: 'new', announced: '2023-10-26', firstSeen: T, updatedAt: T, origin: 'rss', ...over };
}
const row = (day: string, category: string, id: string, announceType: ListingEntry['announceType'] = 'new'): ListingEntry => ({ day, category, id, announceType });
const sig = (paperId: string, source: SignalRecord['source'], counts: Record<string, number>): SignalRecord => ({ paperId, source, counts, links: [], fetchedAt: T });

/** Writes raw records into an older schema's stores (storePapers writes the current one). */
async function putRaw(db: HotDb, store: string, values: unknown[]): Promise<void> {
  const legacy = db as unknown as IDBPDatabase;
  const tx = legacy.transaction(store, 'readwrite');
  await Promise.all([...values.map((v) => tx.store.put(v)), tx.done]);
}

describe('schema upgrades', () => {
  it('opens a v1 database left with data, upgrades it to the current version and keeps the data', async () => {
    const name = fresh();
    const v1 = await openHotDb(name, 1);
    expect([...v1.objectStoreNames].sort()).toEqual(['listings', 'meta', 'papers']);
    await putRaw(v1, 'papers', [paper('2310.00001')]);
    await putRaw(v1, 'listings', [row('2023-10-26', 'cs.LG', '2310.00001')]);
    await setMeta(v1, 'lastPoll', { startedAt: 1 });
    v1.close();

    const db = await openHotDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['dayLists', 'meta', 'notified', 'papers', 'signalBlocks', 'snapshots']);
    expect((await getPapers(db, ['2310.00001'])).get('2310.00001')).toEqual(paper('2310.00001'));
    expect(await listingsBetween(db, '2023-10-26', '2023-10-26')).toEqual([row('2023-10-26', 'cs.LG', '2310.00001')]);
    expect(await getMeta(db, 'lastPoll')).toEqual({ startedAt: 1 });
    // The v2 stores work on the upgraded database.
    await storeSignals(db, [{ paperId: '2310.00001', source: 'hn', counts: { points: 3 }, links: [], fetchedAt: T }]);
    expect((await getSignals(db, ['2310.00001'])).get('2310.00001')).toHaveLength(1);
    db.close();
  });

  it('moves every v2 listing row into the v3 day lists, same rows in the same order, and keeps the rest', async () => {
    const name = fresh();
    const v2 = await openHotDb(name, 2);
    const rows = [
      row('2023-10-25', 'cs.LG', '2310.00003'),
      row('2023-10-26', 'cs.LG', '2310.00002'),
      row('2023-10-26', 'cs.LG', '2310.00001', 'replace'),
      row('2023-10-26', 'cs.AI', '2310.00002', 'cross'),
      row('2023-10-26', 'stat.ML', '2310.00004', 'replace-cross'),
    ];
    await putRaw(v2, 'papers', ['2310.00001', '2310.00002', '2310.00003', '2310.00004'].map((id) => paper(id)));
    await putRaw(v2, 'listings', rows);
    await putRaw(v2, 'signals', [sig('2310.00002', 'hf', { upvotes: 4 })]);
    await setMeta(v2, 'popup:seen', { ids: ['2310.00001'], at: T });
    const v2Order = await (v2 as unknown as IDBPDatabase).getAll('listings');
    v2.close();

    const db = await openHotDb(name, 3);
    expect(db.objectStoreNames.contains('listings' as never)).toBe(false);
    expect(await listingsBetween(db, '2023-10-01', '2023-10-31')).toEqual(v2Order);
    expect(await db.getAll('dayLists')).toEqual([
      { day: '2023-10-25', category: 'cs.LG', ids: ['2310.00003'], types: ['new'] },
      { day: '2023-10-26', category: 'cs.AI', ids: ['2310.00002'], types: ['cross'] },
      { day: '2023-10-26', category: 'cs.LG', ids: ['2310.00001', '2310.00002'], types: ['replace', 'new'] },
      { day: '2023-10-26', category: 'stat.ML', ids: ['2310.00004'], types: ['replace-cross'] },
    ]);
    expect(await latestDay(db)).toBe('2023-10-26');
    expect(await recentDays(db, 7)).toEqual(['2023-10-26', '2023-10-25']);
    expect(await db.count('papers')).toBe(4);
    expect(await (db as unknown as IDBPDatabase).getAll('signals')).toEqual([sig('2310.00002', 'hf', { upvotes: 4 })]);
    expect(await getMeta(db, 'popup:seen')).toEqual({ ids: ['2310.00001'], at: T });
    db.close();

    const current = await openHotDb(name);
    expect(await listingsBetween(current, '2023-10-01', '2023-10-31')).toEqual(v2Order);
    // New listings merge into the migrated ones.
    await storePapers(current, [paper('2310.00005')], [row('2023-10-26', 'cs.LG', '2310.00005'), row('2023-10-26', 'cs.LG', '2310.00001', 'new')]);
    expect((await listingsBetween(current, '2023-10-26', '2023-10-26', ['cs.LG'])).map((r) => `${r.id} ${r.announceType}`)).toEqual(['2310.00001 new', '2310.00002 new', '2310.00005 new']);
    current.close();
  });

  it('moves every v3 signal into the v4 signal blocks: the same latest signals per paper, in source order, and the rest kept', async () => {
    const name = fresh();
    const v3 = await openHotDb(name, 3);
    const records = [
      sig('2310.00101', 'hn', { points: 12, comments: 3 }),
      sig('2310.00101', 'hf', { upvotes: 7 }),
      sig('2310.00199', 's2', { citations: 1 }),
      sig('2310.00200', 'bluesky', { likes: 4 }),
      sig('0906.3421', 'x', { retweets: 2, likes: 9 }),
    ];
    await putRaw(v3, 'signals', records);
    await putRaw(v3, 'snapshots', [{ paperId: '2310.00101', source: 'hn', t: T - DAY, counts: { points: 5, comments: 1 } }]);
    await storePapers(v3, [paper('2310.00101')], [row('2023-10-26', 'cs.LG', '2310.00101')]);
    const before = await (v3 as unknown as IDBPDatabase).getAll('signals');
    v3.close();

    const db = await openHotDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(db.objectStoreNames.contains('signals' as never)).toBe(false);
    expect((await db.getAll('signalBlocks')).map((b) => [b.block, b.records.map((r) => `${r.paperId} ${r.source}`)])).toEqual([
      ['0906.34', ['0906.3421 x']],
      ['2310.001', ['2310.00101 hf', '2310.00101 hn', '2310.00199 s2']],
      ['2310.002', ['2310.00200 bluesky']],
    ]);
    const ids = ['2310.00101', '2310.00199', '2310.00200', '0906.3421', '2310.00150'];
    const got = await getSignals(db, ids);
    expect([...got.keys()]).toEqual(['2310.00101', '2310.00199', '2310.00200', '0906.3421']);
    expect([...got.values()].flat()).toEqual(ids.flatMap((id) => before.filter((r) => r.paperId === id)));
    expect(await getSnapshots(db, ['2310.00101'])).toEqual(new Map([['2310.00101', [{ paperId: '2310.00101', source: 'hn', t: T - DAY, counts: { points: 5, comments: 1 } }]]]));
    expect(await listingsBetween(db, '2023-10-26', '2023-10-26')).toEqual([row('2023-10-26', 'cs.LG', '2310.00101')]);
    // Unchanged counts after the upgrade are no new snapshot; changed ones are.
    expect(await storeSignals(db, [records[0]!, { ...records[1]!, counts: { upvotes: 8 } }])).toBe(1);
    db.close();
  });

  it('a corrupt old signal (paper id not a string, counts not an object) is set aside, not the end of the upgrade: every other record comes through', async () => {
    const name = fresh();
    const v2 = await openHotDb(name, 2);
    // Hand-written corruptions (an older version's bug or a damaged disk): no block can hold the
    // first, and heat and storeSignals would throw on the second for good.
    const corrupt = [
      { paperId: 2310.00103, source: 'hn', counts: { points: 9 }, links: [], fetchedAt: T },
      { paperId: '2310.00104', source: 'hf', counts: null, links: [], fetchedAt: T },
    ];
    const good = [sig('2310.00101', 'hn', { points: 12, comments: 3 }), sig('2310.00102', 'hf', { upvotes: 'many' as unknown as number })];
    await putRaw(v2, 'papers', ['2310.00101', '2310.00102', '2310.00103', '2310.00104'].map((id) => paper(id)));
    await putRaw(v2, 'listings', [row('2023-10-26', 'cs.LG', '2310.00101'), row('2023-10-26', 'cs.LG', '2310.00102')]);
    await putRaw(v2, 'signals', [...good, ...corrupt]);
    v2.close();

    const db = await openHotDb(name);
    expect(db.version).toBe(DB_VERSION);
    expect(await db.count('papers')).toBe(4);
    expect(await listingsBetween(db, '2023-10-26', '2023-10-26')).toHaveLength(2);
    const got = await getSignals(db, ['2310.00101', '2310.00102', '2310.00103', '2310.00104']);
    // The record with a non-number count comes through the upgrade; readers get it without that count.
    expect([...got.values()].flat()).toEqual([good[0], { ...good[1], counts: {} }]);
    const stored = (await (db as unknown as IDBPDatabase).get('signalBlocks', '2310.001')) as { records: SignalRecord[] };
    expect(stored.records.find((r) => r.paperId === '2310.00102')?.counts).toEqual({ upvotes: 'many' });
    // Kept where someone can look at them, not deleted.
    expect(await getMeta(db, UNREADABLE_SIGNALS_KEY)).toEqual(corrupt);
    // The block that would have held them works: a new signal for 2310.00104 is stored and read.
    expect(await storeSignals(db, [sig('2310.00104', 'hf', { upvotes: 2 })])).toBe(1);
    expect((await getSignals(db, ['2310.00104'])).get('2310.00104')).toEqual([sig('2310.00104', 'hf', { upvotes: 2 })]);
    db.close();
  });

  it.each([
    [2, 'listings', row('2023-10-26', 'cs.LG', '2310.00001')],
    [3, 'signals', sig('2310.00001', 'hn', { points: 3 })],
  ] as const)('an upgrade from v%i that fails is reported and leaves that database and its %s as they were', async (version, store, record) => {
    const name = fresh();
    const old = await openHotDb(name, version);
    await putRaw(old, 'papers', [paper('2310.00001')]);
    await putRaw(old, store, [record]);
    old.close();
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw new Error('disk full');
    });
    try {
      await expect(openHotDb(name)).rejects.toBeInstanceOf(DbOpenError);
    } finally {
      put.mockRestore();
    }
    const again = await openHotDb(name, version);
    expect(await (again as unknown as IDBPDatabase).getAll(store)).toEqual([record]);
    expect(await again.count('papers')).toBe(1);
    again.close();
    // Nothing was lost: the next open upgrades for real.
    const db = await openHotDb(name);
    expect(db.version).toBe(DB_VERSION);
    if (store === 'listings') expect(await listingsBetween(db, '2023-10-26', '2023-10-26')).toEqual([record]);
    else expect((await getSignals(db, ['2310.00001'])).get('2310.00001')).toEqual([record]);
    db.close();
  });

  it('creates the updatedAt index (v1) that pruning relies on', async () => {
    const db = await openHotDb(fresh());
    const tx = db.transaction(['papers']);
    expect([...tx.objectStore('papers').indexNames]).toContain('updatedAt');
    await tx.done;
    db.close();
  });
});

describe('papers and listings', () => {
  let db: HotDb;
  beforeEach(async () => {
    db = await openHotDb(fresh());
  });

  it('storePapers is idempotent: the same write twice adds nothing twice and keeps firstSeen', async () => {
    const listings = [row('2023-10-26', 'cs.LG', '2310.00001'), row('2023-10-26', 'cs.AI', '2310.00001', 'cross')];
    expect(await storePapers(db, [paper('2310.00001')], listings)).toEqual({ added: 1, unchanged: 0 });
    expect(await storePapers(db, [paper('2310.00001', { firstSeen: T + DAY, updatedAt: T + DAY })], listings)).toEqual({ added: 0, unchanged: 1 });
    expect(await db.count('papers')).toBe(1);
    expect(await listingsBetween(db, '2023-10-26', '2023-10-26')).toEqual([listings[1], listings[0]]);
    const p = (await getPapers(db, ['2310.00001'])).get('2310.00001')!;
    expect(p.firstSeen).toBe(T);
    expect(p.updatedAt).toBe(T + DAY);
  });

  it('stored titles, abstracts and author lists are capped (a hostile or broken reply cannot store megabytes per paper)', async () => {
    const huge = paper('2310.00009', {
      title: 'T'.repeat(200_000),
      abstract: 'A'.repeat(2_000_000),
      authors: Array.from({ length: 5000 }, (_, i) => `Author ${i} ${'x'.repeat(i === 0 ? 10_000 : 0)}`),
      categories: Array.from({ length: 500 }, () => 'cs.LG'.repeat(20)),
      doi: '10.1/'.repeat(1000),
    });
    await storePapers(db, [huge, paper('2310.00010')], []);
    const got = await getPapers(db, ['2310.00009', '2310.00010']);
    const p = got.get('2310.00009')!;
    expect(p.title).toHaveLength(PAPER_LIMITS.title);
    expect(p.title.endsWith('…')).toBe(true);
    expect(p.abstract).toHaveLength(PAPER_LIMITS.abstract);
    expect(p.authors).toHaveLength(PAPER_LIMITS.authors);
    expect(p.authors[0]).toHaveLength(PAPER_LIMITS.author);
    expect(p.authors[1]).toBe('Author 1 ');
    expect(p.categories.length).toBeLessThanOrEqual(PAPER_LIMITS.categories);
    expect(p.doi!.length).toBeLessThanOrEqual(PAPER_LIMITS.doi);
    expect(JSON.stringify(p).length).toBeLessThan(250_000);
    // An ordinary record is stored as it came.
    expect(got.get('2310.00010')).toEqual(paper('2310.00010'));
  });

  it('an API record never erases what a listing told us (day, type, origin) and versions only grow', async () => {
    await storePapers(db, [paper('2310.00001', { version: 3 })], []);
    const api = paper('2310.00001', { version: 2, origin: 'api', title: 'Better title' });
    delete api.announced;
    delete api.announceType;
    await storePapers(db, [api], []);
    expect((await getPapers(db, ['2310.00001'])).get('2310.00001')).toMatchObject({ version: 3, announced: '2023-10-26', announceType: 'new', origin: 'rss', title: 'Better title' });
  });

  it('listingsBetween returns exactly the days in range, narrowed by category or archive', async () => {
    await storePapers(db, [paper('a1'), paper('a2'), paper('a3'), paper('a4')], [
      row('2023-10-25', 'cs.LG', 'a1'),
      row('2023-10-26', 'cs.LG', 'a2'),
      row('2023-10-26', 'cs.IT', 'a3'),
      row('2023-10-27', 'stat.ML', 'a4'),
    ]);
    expect((await listingsBetween(db, '2023-10-26', '2023-10-26')).map((r) => r.id).sort()).toEqual(['a2', 'a3']);
    expect((await listingsBetween(db, '2023-10-26', '2023-10-27', ['cs.LG'])).map((r) => r.id)).toEqual(['a2']);
    expect((await listingsBetween(db, '2023-10-25', '2023-10-27', ['cs'])).map((r) => r.id).sort()).toEqual(['a1', 'a2', 'a3']);
    expect(await listingsBetween(db, '2023-10-28', '2023-10-30')).toEqual([]);
    expect(await latestDay(db)).toBe('2023-10-27');
  });

  it('latestDay is null for an empty cache', async () => {
    expect(await latestDay(db)).toBeNull();
    expect(await hasListings(db, '2023-10-26')).toBe(false);
  });

  it('a feed of new papers next to cached ones: cached papers keep firstSeen, found by range read or single lookup', async () => {
    // 40 ids of one month (read as one key range) and two strays of other months (looked up one by one).
    const month = Array.from({ length: 40 }, (_, i) => `2310.${String(10000 + i * 3).padStart(5, '0')}`);
    const cached = [month[0]!, month[17]!, month[39]!, '1706.03762'];
    await storePapers(db, cached.map((id) => paper(id, { firstSeen: T - DAY })), []);
    // A dense neighbour range: more cached keys between the feed's ids than the range read takes.
    await storePapers(db, Array.from({ length: 400 }, (_, i) => paper(`2311.${String(20000 + i).padStart(5, '0')}`, { firstSeen: T - DAY })), []);
    const dense = ['2311.20000', '2311.20100', '2311.20200', '2311.20300', '2311.20399', '2311.29990', '2311.29991', '2311.29992'];
    const feed = [...month, '1706.03762', '0901.0001', ...dense].map((id) => paper(id, { firstSeen: T + DAY, updatedAt: T + DAY }));
    expect(await storePapers(db, feed, feed.map((p) => row('2023-10-27', 'cs.LG', p.id)))).toEqual({ added: 40 - 3 + 1 + 3, unchanged: 4 + 5 });
    const got = await getPapers(db, feed.map((p) => p.id));
    for (const id of [...cached, ...dense.slice(0, 5)]) expect(got.get(id)!.firstSeen, id).toBe(T - DAY);
    for (const id of [month[1]!, '0901.0001', '2311.29990']) expect(got.get(id)!.firstSeen, id).toBe(T + DAY);
    expect(got.get(month[17]!)!.updatedAt).toBe(T + DAY);
    expect(await listingsBetween(db, '2023-10-27', '2023-10-27')).toHaveLength(feed.length);
    expect(await hasListings(db, '2023-10-27')).toBe(true);
  });
});

describe('lease (single flight across worker restarts)', () => {
  let db: HotDb;
  beforeEach(async () => {
    db = await openHotDb(fresh());
  });

  it('is exclusive until it expires, renewable by its owner, released only by its owner', async () => {
    expect(await acquireLease(db, 'poll', 'w1', T, 60_000)).toBe(true);
    expect(await acquireLease(db, 'poll', 'w2', T + 1000, 60_000)).toBe(false);
    expect(await acquireLease(db, 'poll', 'w1', T + 2000, 60_000)).toBe(true);
    await releaseLease(db, 'poll', 'w2');
    expect(await acquireLease(db, 'poll', 'w2', T + 3000, 60_000)).toBe(false);
    // w1 "dies": after expiry anyone may take it.
    expect(await acquireLease(db, 'poll', 'w2', T + 2000 + 60_001, 60_000)).toBe(true);
    await releaseLease(db, 'poll', 'w2');
    expect(await acquireLease(db, 'poll', 'w3', T + 70_000, 60_000)).toBe(true);
  });

  it('is taken over at once by a new worker instance (the old one was stopped), but not by a run of the same instance', async () => {
    expect(await acquireLease(db, 'poll', 'run1', T, 600_000, 'worker-A')).toBe(true);
    expect(await acquireLease(db, 'poll', 'run2', T + 1000, 600_000, 'worker-A')).toBe(false);
    expect(leaseHeld((await getMeta(db, 'poll')) as Lease, T + 1000, 'worker-A')).toBe(true);
    // worker-A was stopped mid-poll; worker-B is the only live instance now.
    expect(leaseHeld((await getMeta(db, 'poll')) as Lease, T + 1000, 'worker-B')).toBe(false);
    expect(await acquireLease(db, 'poll', 'run3', T + 2000, 600_000, 'worker-B')).toBe(true);
    expect(await acquireLease(db, 'poll', 'run4', T + 3000, 600_000, 'worker-B')).toBe(false);
  });

  it('gives a simultaneous race to exactly one owner', async () => {
    const wins = await Promise.all(['a', 'b', 'c', 'd'].map((o) => acquireLease(db, 'poll', o, T, 60_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
  });
});

describe('retention and clearing', () => {
  let db: HotDb;
  beforeEach(async () => {
    db = await openHotDb(fresh());
  });

  it('prune removes old papers with their listings, signals and snapshots, but keeps the watchlist', async () => {
    await storePapers(db, [paper('old1', { updatedAt: T - 40 * DAY }), paper('old2', { updatedAt: T - 40 * DAY }), paper('new1')], [
      row('2023-09-01', 'cs.LG', 'old1'), row('2023-09-01', 'cs.LG', 'old2'), row('2023-10-26', 'cs.LG', 'new1'),
    ]);
    await storeSignals(db, [{ paperId: 'old1', source: 'hn', counts: { points: 1 }, links: [], fetchedAt: T - 40 * DAY }]);
    // old2 shares old1's signal block: its signals stay.
    await storeSignals(db, [{ paperId: 'old2', source: 'hf', counts: { upvotes: 2 }, links: [], fetchedAt: T - 40 * DAY }]);
    expect(await prune(db, T - 30 * DAY, new Set(['old2']))).toBe(1);
    expect((await getSignals(db, ['old2'])).get('old2')).toHaveLength(1);
    expect([...(await getPapers(db, ['old1', 'old2', 'new1'])).keys()].sort()).toEqual(['new1', 'old2']);
    expect((await listingsBetween(db, '2023-01-01', '2023-12-31')).map((r) => r.id).sort()).toEqual(['new1', 'old2']);
    // A day list that loses all its papers is gone; one that loses some keeps the others.
    expect(await prune(db, T + DAY, new Set(['old2']))).toBe(1);
    expect(await db.getAll('dayLists')).toEqual([{ day: '2023-09-01', category: 'cs.LG', ids: ['old2'], types: ['new'] }]);
    expect(await hasListings(db, '2023-10-26')).toBe(false);
    expect((await getSignals(db, ['old1'])).size).toBe(0);
    expect((await getSnapshots(db, ['old1'])).size).toBe(0);
  });

  it('every write of signals (store, prune, clear) gives the signals a new revision; reads and a prune that removes nothing do not', async () => {
    const rev = () => getMeta<string>(db, SIGNALS_REV_KEY);
    expect(await rev()).toBeUndefined();
    await storePapers(db, [paper('old1', { updatedAt: T - 40 * DAY }), paper('new1')], [row('2023-10-26', 'cs.LG', 'new1')]);
    expect(await rev()).toBeUndefined();
    const seen = new Set<string>();
    const changed = async () => {
      const r = await rev();
      expect(typeof r).toBe('string');
      expect(seen.has(r!)).toBe(false);
      seen.add(r!);
    };
    await storeSignals(db, [{ paperId: 'old1', source: 'hn', counts: { points: 1 }, links: [], fetchedAt: T }]);
    await changed();
    await storeSignals(db, [{ paperId: 'old1', source: 'hn', counts: { points: 1 }, links: [], fetchedAt: T + 1 }]);
    await changed();
    const before = await rev();
    await getSignals(db, ['old1']);
    expect(await prune(db, T - 50 * DAY, new Set())).toBe(0);
    expect(await rev()).toBe(before);
    expect(await prune(db, T - 30 * DAY, new Set())).toBe(1);
    await changed();
    await clearCache(db);
    await changed();
  });

  it('every write of day lists (papers with listing rows, prune, clear) gives the listings a new revision; papers alone do not', async () => {
    const rev = () => getMeta<string>(db, LISTINGS_REV_KEY);
    await storePapers(db, [paper('p1')], []);
    expect(await rev()).toBeUndefined();
    await storePapers(db, [paper('p2', { updatedAt: T - 40 * DAY })], [row('2023-09-01', 'cs.LG', 'p2')]);
    const first = await rev();
    expect(typeof first).toBe('string');
    await storePapers(db, [paper('p3')], [row('2023-10-26', 'cs.LG', 'p3')]);
    const second = await rev();
    expect(second).not.toBe(first);
    expect(await prune(db, T - 30 * DAY, new Set())).toBe(1);
    const third = await rev();
    expect(third).not.toBe(second);
    await clearCache(db);
    expect(await rev()).not.toBe(third);
  });

  it('clearCache empties papers, listings, signals and snapshots, but keeps what the user was notified of', async () => {
    await storePapers(db, [paper('p1')], [row('2023-10-26', 'cs.LG', 'p1')]);
    await storeSignals(db, [{ paperId: 'p1', source: 'hf', counts: { upvotes: 2 }, links: [], fetchedAt: T }]);
    await claimNotified(db, ['hot:p1', 'watch:p1'], T);
    await setMeta(db, 'lastPoll', {});
    await clearCache(db);
    for (const store of ['papers', 'dayLists', 'signalBlocks', 'snapshots'] as const) expect(await db.count(store)).toBe(0);
    // The same papers fetched again after the clear are not announced a second time.
    expect(await claimNotified(db, ['hot:p1', 'watch:p1', 'hot:p2'], T + DAY)).toEqual(['hot:p2']);
  });

  it('getSignals reads blocks by range or one by one with the same answer, whatever lies between', async () => {
    const asked = ['2310.00105', '2310.01230', '2310.05377', '2310.05399', '2310.09410'];
    await storeSignals(db, asked.map((id, i) => ({ paperId: id, source: 'hf' as const, counts: { upvotes: i }, links: [], fetchedAt: T })));
    const sparse = await getSignals(db, asked);
    expect([...sparse.keys()]).toEqual(asked);
    // Crowd the range with blocks of papers not asked for: the answer stays the same.
    await storeSignals(db, Array.from({ length: 40 }, (_, i) => ({ paperId: `2310.0${String(1000 + i * 200).padStart(4, '0')}`, source: 's2' as const, counts: { citations: i }, links: [], fetchedAt: T })));
    expect(await db.count('signalBlocks')).toBeGreaterThan(4 * 2 + 10);
    const dense = await getSignals(db, asked);
    expect([...dense.keys()]).toEqual(asked);
    for (const id of asked) expect(dense.get(id)!.filter((r) => r.source === 'hf')).toEqual(sparse.get(id));
    expect((await getSignals(db, ['2310.00105', '2310.00106'])).size).toBe(1);
  });

  it('storeSignals appends a snapshot only when counts change; claimNotified returns only new keys', async () => {
    const rec = (points: number, t: number) => ({ paperId: 'p1', source: 'hn' as const, counts: { points }, links: [], fetchedAt: t });
    expect(await storeSignals(db, [rec(1, T)])).toBe(1);
    expect(await storeSignals(db, [rec(1, T + 1)])).toBe(0);
    expect(await storeSignals(db, [rec(5, T + 2)])).toBe(1);
    expect((await getSnapshots(db, ['p1'])).get('p1')!.map((s) => s.counts.points)).toEqual([1, 5]);
    expect(await claimNotified(db, ['hot:p1', 'hot:p2'], T)).toEqual(['hot:p1', 'hot:p2']);
    expect(await claimNotified(db, ['hot:p1', 'hot:p3'], T)).toEqual(['hot:p3']);
  });

  it.each([
    [new DOMException('full', 'QuotaExceededError'), true],
    [new Error('Quota exceeded'), true],
    [new Error('Transaction aborted'), false],
    [null, false],
  ])('isQuotaError(%s) = %s', (err, yes) => {
    expect(isQuotaError(err)).toBe(yes);
  });
});
