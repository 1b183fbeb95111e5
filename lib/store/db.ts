/**
 * The only module that opens IndexedDB. Every read and write of cached data goes through the
 * functions below, which take the open database as their first argument (environment passed in).
 *
 * Schema history (each step is a tested function in UPGRADES):
 *   v1 — papers (by id; index updatedAt), listings (key [day, category, id]; index id), meta.
 *   v2 — signals (key [paperId, source]), snapshots (key [paperId, source, t]), notified (key).
 *   v3 — dayLists (key [day, category]) replaces listings: one record per listing instead of one per
 *        row. A 2000-paper feed wrote 2200 listing rows, each costing Chromium about as much as a
 *        whole paper record; now it writes about five records, and a day is read in as many.
 *   v4 — signalBlocks (key block) replaces signals: the latest signals of up to 100 consecutive ids
 *        (signalBlock) in one record. Ranking a day of 1250 papers read ~1500 signal records
 *        (~20 ms in Chromium, per record again); now it reads about 13. An old signal no block can
 *        hold or no reader can use (isUsableSignal) is set aside under UNREADABLE_SIGNALS_KEY.
 */
import { readableCounts, readablePaper, readableSignal, readableSnapshot } from './readable-records';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction, type StoreNames } from 'idb';
import type { AnnounceType, ListingEntry, Paper, SignalRecord, Snapshot, SourceId } from '../types';

export const DB_NAME = 'hot-papers';
export const DB_VERSION = 4;

export interface NotifiedRecord {
  /** `hot:<id>` or `watch:<id>` — one notification per paper and kind, ever. */
  key: string;
  t: number;
}

/**
 * The papers listed on one announcement day in one requested category: `ids` sorted (the order
 * the v2 rows had), `types[i]` the announce type of `ids[i]` in that category. Never empty.
 */
export interface DayList {
  day: string;
  category: string;
  ids: string[];
  types: AnnounceType[];
}

/** The latest signal of each (paper, source) for papers whose ids share `block`, sorted by paper, source. */
export interface SignalBlock {
  block: string;
  records: SignalRecord[];
}

/** Ids that differ only in their last two characters (≤ 100 consecutive arXiv ids) share a block. */
export const signalBlock = (paperId: string): string => paperId.slice(0, -2);

export interface HotSchema extends DBSchema {
  papers: { key: string; value: Paper; indexes: { updatedAt: number } };
  dayLists: { key: [string, string]; value: DayList };
  meta: { key: string; value: unknown };
  signalBlocks: { key: string; value: SignalBlock };
  snapshots: { key: [string, string, number]; value: Snapshot };
  notified: { key: string; value: NotifiedRecord };
}

export type HotDb = IDBPDatabase<HotSchema>;
type UpgradeTx = IDBPTransaction<HotSchema, StoreNames<HotSchema>[], 'versionchange'>;
/** Stores of earlier versions (v1–v2 `listings`) are not in HotSchema: the upgrades reach them untyped. */
type LegacyDb = IDBPDatabase;
type LegacyTx = IDBPTransaction<unknown, string[], 'versionchange'>;

function dayList(day: string, category: string, types: ReadonlyMap<string, AnnounceType>): DayList {
  const ids = [...types.keys()].sort();
  return { day, category, ids, types: ids.map((id) => types.get(id)!) };
}

/** Listing rows (any order) → one DayList per (day, category); a later row for the same id wins. */
export function groupListings(rows: readonly ListingEntry[]): DayList[] {
  const groups = new Map<string, { day: string; category: string; types: Map<string, AnnounceType> }>();
  for (const r of rows) {
    const key = `${r.day} ${r.category}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { day: r.day, category: r.category, types: new Map() }));
    g.types.set(r.id, r.announceType);
  }
  return [...groups.values()].map((g) => dayList(g.day, g.category, g.types));
}

const bySignalKey = (a: SignalRecord, b: SignalRecord): number =>
  a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0;

/** Signal records (any order; a later one for the same paper and source wins) → their blocks. */
export function groupSignals(records: readonly SignalRecord[], into = new Map<string, Map<string, SignalRecord>>()): SignalBlock[] {
  for (const r of records) {
    const block = signalBlock(r.paperId);
    let latest = into.get(block);
    if (!latest) into.set(block, (latest = new Map()));
    latest.set(`${r.paperId} ${r.source}`, r);
  }
  return [...into].map(([block, latest]) => ({ block, records: [...latest.values()].sort(bySignalKey) }));
}

/**
 * Meta key of the old signal records the v4 upgrade could not put in a block (see isUsableSignal):
 * kept there as they were, not deleted, so one damaged record costs the user that record only.
 */
export const UNREADABLE_SIGNALS_KEY = 'upgrade:v4:unreadable-signals';

/**
 * Whether an old signal record can live in a signal block and be used there. An older version's
 * bug or a damaged disk may leave one whose paper id is not a string (it has no block, and no
 * lookup by id would ever find it) or whose counts are not an object (heat and storeSignals throw
 * on it, every time). Counts that are not numbers are fine: heat counts them as 0.
 */
export function isUsableSignal(r: unknown): r is SignalRecord {
  const s = r as Partial<SignalRecord> | null;
  return typeof s?.paperId === 'string' && typeof s.source === 'string' && typeof s.counts === 'object' && s.counts !== null;
}

/** A write of an upgrade: its failure aborts the transaction, which the open reports (DbOpenError). */
const quietly = (write: Promise<unknown>): void => void write.catch(() => undefined);

/**
 * Inside a versionchange transaction: reads every record of the old store `from`, writes
 * `regroup(records)` into `to` and deletes `from`. Any failure aborts the transaction, so the open
 * fails loudly (DbOpenError) and the database stays at the previous version with its data.
 */
function regroupStore<T>(db: HotDb, tx: UpgradeTx, from: string, write: (records: T[]) => void): void {
  void tx.done.catch(() => undefined);
  (tx as unknown as LegacyTx).objectStore(from).getAll()
    .then((records: T[]) => {
      write(records);
      (db as unknown as LegacyDb).deleteObjectStore(from);
    })
    .catch(() => {
      try {
        tx.abort();
      } catch {
        // Already aborted: the open fails either way.
      }
    });
}

/** One function per schema version; index i upgrades from version i to i + 1. */
export const UPGRADES: ReadonlyArray<(db: HotDb, tx: UpgradeTx) => void> = [
  (db) => {
    const papers = db.createObjectStore('papers', { keyPath: 'id' });
    papers.createIndex('updatedAt', 'updatedAt');
    const listings = (db as unknown as LegacyDb).createObjectStore('listings', { keyPath: ['day', 'category', 'id'] });
    listings.createIndex('id', 'id');
    db.createObjectStore('meta');
  },
  (db) => {
    (db as unknown as LegacyDb).createObjectStore('signals', { keyPath: ['paperId', 'source'] });
    db.createObjectStore('snapshots', { keyPath: ['paperId', 'source', 't'] });
    db.createObjectStore('notified', { keyPath: 'key' });
  },
  (db, tx) => {
    const dayLists = db.createObjectStore('dayLists', { keyPath: ['day', 'category'] });
    regroupStore<ListingEntry>(db, tx, 'listings', (rows) => {
      for (const list of groupListings(rows)) quietly(dayLists.put(list));
    });
  },
  (db, tx) => {
    const blocks = db.createObjectStore('signalBlocks', { keyPath: 'block' });
    regroupStore<unknown>(db, tx, 'signals', (records) => {
      // One unusable record must not end the upgrade: that would keep every other one out of reach.
      for (const block of groupSignals(records.filter(isUsableSignal))) quietly(blocks.put(block));
      const unusable = records.filter((r) => !isUsableSignal(r));
      if (unusable.length) quietly(tx.objectStore('meta').put(unusable, UNREADABLE_SIGNALS_KEY));
    });
  },
];

export class DbOpenError extends Error {
  override name = 'DbOpenError';
}

/** Opens (and upgrades) the cache. `version` exists so tests can build an older database. */
export async function openHotDb(
  name: string = DB_NAME,
  version: number = DB_VERSION,
): Promise<HotDb> {
  try {
    return await openDB<HotSchema>(name, version, {
      upgrade(db, oldVersion, newVersion, tx) {
        for (let v = oldVersion; v < (newVersion ?? version); v++) {
          const step = UPGRADES[v];
          if (!step) throw new DbOpenError(`No upgrade step from database version ${v}`);
          step(db, tx);
        }
      },
      blocking(_current, _next, event) {
        // A newer version of the extension wants to upgrade: let it.
        (event.target as IDBDatabase).close();
      },
    });
  } catch (err) {
    throw new DbOpenError(`Could not open the paper cache: ${(err as Error).message}`, { cause: err });
  }
}

/** Keys that span every record whose compound key starts with `prefix`. */
export function prefixRange(...prefix: (string | number)[]): IDBKeyRange {
  // Arrays sort after every string and number, so [...prefix, []] is past the last match.
  return IDBKeyRange.bound(prefix, [...prefix, []]);
}

// ---------------------------------------------------------------- papers and listings

export interface StoreResult {
  added: number;
  unchanged: number;
}

/** First id of the run of nearby ids `id` belongs to: its yymm (new style) or archive (old style). */
function idCluster(id: string): string {
  const cut = id.search(/[./]/);
  return cut < 0 ? id : id.slice(0, cut + 1);
}

/**
 * Which of `ids` are cached. A day's new papers are numbered consecutively, so one key read over
 * each run of nearby ids replaces a get per paper; a run whose range holds far more cached keys
 * than it has ids (a month already cached, ids spread over it) falls back to a key lookup per id.
 */
async function cachedIds(store: IDBPObjectStore<HotSchema, ('papers' | 'dayLists' | 'meta')[], 'papers', 'readwrite'>, ids: readonly string[]): Promise<Set<string>> {
  const runs = new Map<string, string[]>();
  for (const id of [...new Set(ids)].sort()) {
    const run = runs.get(idCluster(id));
    if (run) run.push(id);
    else runs.set(idCluster(id), [id]);
  }
  const found = new Set<string>();
  const lookOneByOne = async (run: string[]) => {
    const keys = await Promise.all(run.map((id) => store.getKey(id)));
    for (const k of keys) if (k !== undefined) found.add(k);
  };
  await Promise.all(
    [...runs.values()].map(async (run) => {
      if (run.length < 8) return lookOneByOne(run);
      const limit = run.length * 4 + 64;
      const keys = await store.getAllKeys(IDBKeyRange.bound(run[0]!, run[run.length - 1]!), limit);
      if (keys.length >= limit) return lookOneByOne(run);
      const wanted = new Set(run);
      for (const k of keys) if (wanted.has(k)) found.add(k);
    }),
  );
  return found;
}

/**
 * Revisions of what the popup's ranking is computed from (lib/rank/hotlist.ts keeps that ranking): each
 * changes, in the same transaction, with every write of the day lists (storePapers with listing
 * rows, prune, clearCache) or of the latest signals (storeSignals, prune, clearCache). A ranking
 * stored under both revisions is current exactly while both still hold. A schema upgrade that
 * rewrites day lists or signals must write them too.
 */
/** Meta key of a source's last status (written by lib/worker/signals.ts, read by lib/rank/views.ts). */
export const statusKey = (id: SourceId): string => `source-status:${id}`;

export const LISTINGS_REV_KEY = 'listings:rev';
export const SIGNALS_REV_KEY = 'signals:rev';

function newRevision(): string {
  return `${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 12)}`;
}

/** Both revisions, for the writes that change day lists and signals at once (prune, clearCache). */
function newRevisions(meta: { put(value: string, key: string): Promise<unknown> }): Promise<unknown> {
  return Promise.all([meta.put(newRevision(), SIGNALS_REV_KEY), meta.put(newRevision(), LISTINGS_REV_KEY)]);
}

/**
 * Writes papers and their listing rows in one transaction: all or nothing. Idempotent: a paper
 * already cached keeps its firstSeen; running the same write twice adds nothing twice.
 */
/**
 * Longest text kept per paper (issue 20). arXiv's own limits are far below (titles of a few hundred
 * characters, abstracts of 1,920), but a broken or hostile reply could carry megabytes in one
 * field, and every popup opening and export reads these records.
 */
export const PAPER_LIMITS = { title: 1000, abstract: 5000, authors: 1000, author: 200, categories: 50, category: 40, doi: 200 } as const;

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** `p` with every text field within PAPER_LIMITS (large collaborations keep their first 1000 authors). */
export function boundedPaper(p: Paper): Paper {
  const L = PAPER_LIMITS;
  if (p.title.length <= L.title && p.abstract.length <= L.abstract && p.authors.length <= L.authors && p.categories.length <= L.categories &&
    p.authors.every((a) => a.length <= L.author) && p.categories.every((c) => c.length <= L.category) && (p.doi?.length ?? 0) <= L.doi) return p;
  const out: Paper = {
    ...p,
    title: cut(p.title, L.title),
    abstract: cut(p.abstract, L.abstract),
    authors: p.authors.slice(0, L.authors).map((a) => cut(a, L.author)),
    categories: p.categories.slice(0, L.categories).map((c) => c.slice(0, L.category)),
  };
  if (p.doi !== undefined) out.doi = p.doi.slice(0, L.doi);
  return out;
}

export async function storePapers(
  db: HotDb,
  input: Paper[],
  listings: ListingEntry[],
): Promise<StoreResult> {
  const papers = input.map(boundedPaper);
  // Relaxed durability: a power cut may lose this write, which the next poll fetches again (the
  // feed validators are only used while the cache holds their day); it stays all or nothing.
  const tx = db.transaction(['papers', 'dayLists', 'meta'], 'readwrite', { durability: 'relaxed' });
  const store = tx.objectStore('papers');
  const lists = tx.objectStore('dayLists');
  const touched = groupListings(listings);
  const [cached, oldLists] = await Promise.all([
    cachedIds(store, papers.map((p) => p.id)),
    Promise.all(touched.map((l) => lists.get([l.day, l.category]))),
  ]);
  const existing = await Promise.all(papers.map((p) => (cached.has(p.id) ? store.get(p.id) : undefined)));
  let added = 0;
  let unchanged = 0;
  const writes: Promise<unknown>[] = [];
  papers.forEach((p, i) => {
    const old = existing[i];
    if (old) {
      unchanged++;
      writes.push(
        store.put({
          ...old,
          ...p,
          firstSeen: old.firstSeen,
          // A listing day is never replaced by "unknown" (API lookups carry no day).
          announced: p.announced ?? old.announced,
          announceType: p.announceType ?? old.announceType,
          version: Math.max(old.version, p.version),
          origin: old.origin === 'rss' ? 'rss' : p.origin,
        }),
      );
    } else {
      added++;
      writes.push(store.put(p));
    }
  });
  touched.forEach((list, i) => {
    const old = oldLists[i];
    if (!old) {
      writes.push(lists.put(list));
      return;
    }
    // A paper listed again keeps one entry, with its latest announce type.
    const types = new Map(old.ids.map((id, k) => [id, old.types[k]!]));
    list.ids.forEach((id, k) => types.set(id, list.types[k]!));
    writes.push(lists.put(dayList(list.day, list.category, types)));
  });
  if (touched.length) writes.push(tx.objectStore('meta').put(newRevision(), LISTINGS_REV_KEY));
  await Promise.all([...writes, tx.done]);
  return { added, unchanged };
}

/** What a PaperView is built from, for a handful of ids. */
export interface PaperData {
  papers: Map<string, Paper>;
  signals: Map<string, SignalRecord[]>;
  snapshots: Map<string, Snapshot[]>;
}

/**
 * Papers, latest signals and snapshots of `ids` in one transaction (a popup page asks for tens of
 * ids). Signals the caller already read (`signals`) are not read again.
 */
export async function getPaperData(db: HotDb, ids: string[], signals?: ReadonlyMap<string, SignalRecord[]>): Promise<PaperData> {
  const tx = db.transaction(['papers', 'signalBlocks', 'snapshots']);
  const [papers, read, snapRows] = await Promise.all([
    Promise.all(ids.map((id) => tx.objectStore('papers').get(id))),
    signals ?? signalsOf(tx.objectStore('signalBlocks'), ids),
    Promise.all(ids.map((id) => tx.objectStore('snapshots').getAll(prefixRange(id)))),
    tx.done,
  ]);
  const out: PaperData = { papers: new Map(), signals: new Map(), snapshots: new Map() };
  ids.forEach((id, i) => {
    const p = readablePaper(papers[i]);
    if (p) out.papers.set(id, p);
    const sig = read.get(id);
    if (sig?.length) out.signals.set(id, sig);
    const snaps = snapRows[i];
    if (snaps?.length) out.snapshots.set(id, snaps.map(readableSnapshot));
  });
  return out;
}

export async function getPapers(db: HotDb, ids: string[]): Promise<Map<string, Paper>> {
  const tx = db.transaction('papers');
  const found = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  const out = new Map<string, Paper>();
  found.forEach((record) => {
    const p = readablePaper(record);
    if (p) out.set(p.id, p);
  });
  return out;
}

/**
 * The `limit` most recently written papers (the relevance model learns over them). A key cursor
 * finds the cut-off without reading records, then one getAll reads them.
 */
export async function recentPapers(db: HotDb, limit: number): Promise<Paper[]> {
  const index = db.transaction('papers').store.index('updatedAt');
  const cursor = await index.openKeyCursor(null, 'prev');
  if (!cursor) return [];
  const last = limit > 1 ? await cursor.advance(limit - 1) : cursor;
  const range = last ? IDBKeyRange.lowerBound(last.key) : null;
  const found = await db.getAllFromIndex('papers', 'updatedAt', range);
  const out: Paper[] = [];
  for (let i = found.length - 1; i >= 0 && out.length < limit; i--) {
    const p = readablePaper(found[i]);
    if (p) out.push(p);
  }
  return out;
}

export async function countPapers(db: HotDb): Promise<number> {
  return db.count('papers');
}

/** The most recent announcement day in the cache (any category), or null when empty. */
export async function latestDay(db: HotDb): Promise<string | null> {
  const cursor = await db.transaction('dayLists').store.openKeyCursor(null, 'prev');
  return cursor ? cursor.key[0] : null;
}

/**
 * The `n` most recent announcement days in the cache, newest first. Jumps from day to day with a
 * key cursor (one step per day), so it costs n steps however many papers are cached.
 */
export async function recentDays(db: HotDb, n: number): Promise<string[]> {
  const days: string[] = [];
  const store = db.transaction('dayLists').store;
  let upper: IDBKeyRange | null = null;
  while (days.length < n) {
    const cursor = await store.openKeyCursor(upper, 'prev');
    if (!cursor) break;
    const day = cursor.key[0];
    days.push(day);
    // [day] sorts before every [day, category], so this excludes the whole day.
    upper = IDBKeyRange.upperBound([day], true);
  }
  return days;
}

/**
 * Listing rows for days in [fromDay, toDay], in [day, category, id] order — one key-range query
 * over the day lists, optionally narrowed to categories (or archives: `cs`) first.
 */
export async function listingsBetween(
  db: HotDb,
  fromDay: string,
  toDay: string,
  categories?: readonly string[],
): Promise<ListingEntry[]> {
  let lists = await db.getAll('dayLists', IDBKeyRange.bound([fromDay], [toDay, []]));
  if (categories) {
    const wanted = new Set(categories);
    lists = lists.filter((l) => wanted.has(l.category) || wanted.has(l.category.split('.')[0]!));
  }
  return lists.flatMap((l) => l.ids.map((id, i) => ({ day: l.day, category: l.category, id, announceType: l.types[i]! })));
}

/** Whether any listing of `day` is cached. */
export async function hasListings(db: HotDb, day: string): Promise<boolean> {
  return (await db.count('dayLists', prefixRange(day))) > 0;
}

// ---------------------------------------------------------------- meta

export async function getMeta<T>(db: HotDb, key: string): Promise<T | undefined> {
  return (await db.get('meta', key)) as T | undefined;
}

/** Several meta records in one transaction; missing keys are absent from the map. */
export async function getMetaMany(db: HotDb, keys: readonly string[]): Promise<Map<string, unknown>> {
  const tx = db.transaction('meta');
  const [values] = await Promise.all([Promise.all(keys.map((k) => tx.store.get(k))), tx.done]);
  const out = new Map<string, unknown>();
  keys.forEach((k, i) => values[i] !== undefined && out.set(k, values[i]));
  return out;
}

export async function setMeta(db: HotDb, key: string, value: unknown): Promise<void> {
  await db.put('meta', value, key);
}

export async function deleteMeta(db: HotDb, key: string): Promise<void> {
  await db.delete('meta', key);
}

// ---------------------------------------------------------------- single-flight lease

export interface Lease {
  owner: string;
  until: number;
  /** The worker instance that took it (see acquireLease). */
  instance?: string;
}

/** Whether a stored lease still blocks others at `now`, as seen from worker `instance`. */
export function leaseHeld(lease: Lease | undefined, now: number, instance?: string): boolean {
  if (!lease || lease.until <= now) return false;
  // A browser runs at most one instance of an extension's background worker. A lease taken by
  // another instance therefore belongs to a worker that was stopped mid-run: it is dead, not busy.
  return !(instance && lease.instance && lease.instance !== instance);
}

/**
 * Takes the poll lease if it is free or expired. The read-check-write happens in one readwrite
 * transaction, which IndexedDB serialises, so two runs cannot both win. A worker killed mid-poll
 * never leaves a stuck lock: the next worker instance takes over its lease at once (leaseHeld),
 * and a lease expires on its own after `ttlMs` in any case.
 */
export async function acquireLease(db: HotDb, key: string, owner: string, now: number, ttlMs: number, instance?: string): Promise<boolean> {
  const tx = db.transaction('meta', 'readwrite');
  const cur = (await tx.store.get(key)) as Lease | undefined;
  if (cur && cur.owner !== owner && leaseHeld(cur, now, instance)) {
    await tx.done;
    return false;
  }
  const lease: Lease = instance ? { owner, until: now + ttlMs, instance } : { owner, until: now + ttlMs };
  await tx.store.put(lease, key);
  await tx.done;
  return true;
}

export async function releaseLease(db: HotDb, key: string, owner: string): Promise<void> {
  const tx = db.transaction('meta', 'readwrite');
  const cur = (await tx.store.get(key)) as Lease | undefined;
  if (cur?.owner === owner) await tx.store.delete(key);
  await tx.done;
}

// ---------------------------------------------------------------- signals and snapshots

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/**
 * Stores the latest signals of one source and appends a snapshot only where counts changed, so a
 * paper's history is small but complete. Returns how many papers got a new snapshot.
 */
export async function storeSignals(db: HotDb, records: SignalRecord[]): Promise<number> {
  const tx = db.transaction(['signalBlocks', 'snapshots', 'meta'], 'readwrite');
  const blocks = tx.objectStore('signalBlocks');
  const snaps = tx.objectStore('snapshots');
  const keys = [...new Set(records.map((r) => signalBlock(r.paperId)))];
  const stored = await Promise.all(keys.map((k) => blocks.get(k)));
  const latest = new Map(keys.map((k, i) => [k, new Map((stored[i]?.records ?? []).map((r) => [`${r.paperId} ${r.source}`, r]))]));
  let changed = 0;
  const writes: Promise<unknown>[] = [];
  for (const r of records) {
    const old = latest.get(signalBlock(r.paperId))!.get(`${r.paperId} ${r.source}`);
    if (!old || !sameCounts(readableCounts(old.counts), r.counts)) {
      changed++;
      writes.push(snaps.put({ paperId: r.paperId, source: r.source, t: r.fetchedAt, counts: r.counts }));
    }
  }
  for (const block of groupSignals(records, latest)) writes.push(blocks.put(block));
  if (records.length) writes.push(tx.objectStore('meta').put(newRevision(), SIGNALS_REV_KEY));
  await Promise.all([...writes, tx.done]);
  return changed;
}

type BlockStore = IDBPObjectStore<HotSchema, StoreNames<HotSchema>[], 'signalBlocks', IDBTransactionMode>;

/**
 * Latest signals of `ids` from their blocks: one range read when the blocks between the first and
 * the last one needed are not many more than those needed (a day's ids are consecutive), else one
 * read per block. Each paper's records come in source order.
 */
async function signalsOf(store: BlockStore, ids: readonly string[]): Promise<Map<string, SignalRecord[]>> {
  const keys = [...new Set(ids.map(signalBlock))].sort();
  let blocks: (SignalBlock | undefined)[] | null = null;
  if (keys.length > 2) {
    // One past the limit is enough to tell a range too crowded to read whole.
    const limit = keys.length * 2;
    const inRange = await store.getAll(IDBKeyRange.bound(keys[0]!, keys[keys.length - 1]!), limit + 1);
    if (inRange.length <= limit) blocks = inRange;
  }
  blocks ??= await Promise.all(keys.map((k) => store.get(k)));
  const wanted = new Set(ids);
  const found = new Map<string, SignalRecord[]>();
  for (const block of blocks) {
    for (const record of block?.records ?? []) {
      if (!wanted.has(record?.paperId)) continue;
      const r = readableSignal(record);
      const list = found.get(r.paperId);
      if (list) list.push(r);
      else found.set(r.paperId, [r]);
    }
  }
  const out = new Map<string, SignalRecord[]>();
  for (const id of ids) if (found.has(id)) out.set(id, found.get(id)!);
  return out;
}

/** Latest signals of each of `ids` that has any, in source order. */
export async function getSignals(db: HotDb, ids: string[]): Promise<Map<string, SignalRecord[]>> {
  const tx = db.transaction('signalBlocks');
  const [out] = await Promise.all([signalsOf(tx.store, ids), tx.done]);
  return out;
}

/**
 * The same as getSignals, for a long hot list: a day's new ids are consecutive, so its ~1250
 * papers' signals are about 13 block records, read in one range request.
 */
export async function getSignalsMany(db: HotDb, ids: string[]): Promise<Map<string, SignalRecord[]>> {
  return getSignals(db, ids);
}

export async function getSnapshots(db: HotDb, ids: string[]): Promise<Map<string, Snapshot[]>> {
  const tx = db.transaction('snapshots');
  const rows = await Promise.all(ids.map((id) => tx.store.getAll(prefixRange(id))));
  await tx.done;
  const out = new Map<string, Snapshot[]>();
  ids.forEach((id, i) => {
    const r = rows[i];
    if (r && r.length) out.set(id, r.map(readableSnapshot));
  });
  return out;
}

// ---------------------------------------------------------------- notifications (dedupe)

/** Marks keys as notified; returns the subset that had not been notified before. */
export async function claimNotified(db: HotDb, keys: string[], now: number): Promise<string[]> {
  const tx = db.transaction('notified', 'readwrite');
  const seen = await Promise.all(keys.map((k) => tx.store.get(k)));
  const fresh = keys.filter((_, i) => !seen[i]);
  await Promise.all([...fresh.map((key) => tx.store.put({ key, t: now })), tx.done]);
  return fresh;
}

// ---------------------------------------------------------------- retention

/**
 * Deletes papers not updated since `cutoff` (epoch ms), with their listings, signals and
 * snapshots — except ids in `keep` (the watchlist). Returns the number of papers removed.
 */
export async function prune(db: HotDb, cutoff: number, keep: ReadonlySet<string>): Promise<number> {
  const tx = db.transaction(['papers', 'dayLists', 'signalBlocks', 'snapshots', 'meta'], 'readwrite');
  const papers = tx.objectStore('papers');
  const ids: string[] = [];
  let cursor = await papers.index('updatedAt').openKeyCursor(IDBKeyRange.upperBound(cutoff, true));
  while (cursor) {
    if (!keep.has(cursor.primaryKey)) ids.push(cursor.primaryKey);
    cursor = await cursor.continue();
  }
  if (ids.length) {
    const gone = new Set(ids);
    // A few hundred day lists even for a large cache: walk them all, rewrite those that change.
    let lc = await tx.objectStore('dayLists').openCursor();
    while (lc) {
      const list = lc.value;
      if (list.ids.some((id) => gone.has(id))) {
        const kept = list.ids.flatMap((id, i) => (gone.has(id) ? [] : [i]));
        await (kept.length ? lc.update({ ...list, ids: kept.map((i) => list.ids[i]!), types: kept.map((i) => list.types[i]!) }) : lc.delete());
      }
      lc = await lc.continue();
    }
    const blocks = tx.objectStore('signalBlocks');
    await Promise.all([...new Set(ids.map(signalBlock))].map(async (key) => {
      const block = await blocks.get(key);
      if (!block?.records.some((r) => gone.has(r.paperId))) return;
      const records = block.records.filter((r) => !gone.has(r.paperId));
      await (records.length ? blocks.put({ block: key, records }) : blocks.delete(key));
    }));
    await Promise.all(ids.flatMap((id) => [papers.delete(id), tx.objectStore('snapshots').delete(prefixRange(id))]));
    await newRevisions(tx.objectStore('meta'));
  }
  await tx.done;
  return ids.length;
}

/**
 * Removes every cached paper, listing, signal and snapshot (the "clear cached data" action). The
 * `notified` records stay: they say what the user was already told, not what arXiv said, and
 * without them the next poll would announce the same hot papers a second time.
 */
export async function clearCache(db: HotDb): Promise<void> {
  const names = ['papers', 'dayLists', 'signalBlocks', 'snapshots'] as const;
  const tx = db.transaction([...names, 'meta'], 'readwrite');
  await Promise.all([...names.map((n) => tx.objectStore(n).clear()), newRevisions(tx.objectStore('meta')), tx.done]);
}

export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || (err instanceof Error && /quota/i.test(err.message));
}
