/**
 * The only module that opens IndexedDB. Every read and write of cached data goes through the
 * functions below, which take the open database as their first argument (environment passed in).
 *
 * Schema history (each step is a tested function in UPGRADES):
 *   v1 — papers (by id; index updatedAt), listings (key [day, category, id]; index id), meta.
 *   v2 — signals (key [paperId, source]), snapshots (key [paperId, source, t]), notified (key).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { ListingEntry, Paper, SignalRecord, Snapshot } from './types';

export const DB_NAME = 'hot-papers';
export const DB_VERSION = 2;

export interface NotifiedRecord {
  /** `hot:<id>` or `watch:<id>` — one notification per paper and kind, ever. */
  key: string;
  t: number;
}

export interface HotSchema extends DBSchema {
  papers: { key: string; value: Paper; indexes: { updatedAt: number } };
  listings: { key: [string, string, string]; value: ListingEntry; indexes: { id: string } };
  meta: { key: string; value: unknown };
  signals: { key: [string, string]; value: SignalRecord };
  snapshots: { key: [string, string, number]; value: Snapshot };
  notified: { key: string; value: NotifiedRecord };
}

export type HotDb = IDBPDatabase<HotSchema>;
type UpgradeTx = IDBPTransaction<HotSchema, StoreNames<HotSchema>[], 'versionchange'>;

/** One function per schema version; index i upgrades from version i to i + 1. */
export const UPGRADES: ReadonlyArray<(db: HotDb, tx: UpgradeTx) => void> = [
  (db) => {
    const papers = db.createObjectStore('papers', { keyPath: 'id' });
    papers.createIndex('updatedAt', 'updatedAt');
    const listings = db.createObjectStore('listings', { keyPath: ['day', 'category', 'id'] });
    listings.createIndex('id', 'id');
    db.createObjectStore('meta');
  },
  (db) => {
    db.createObjectStore('signals', { keyPath: ['paperId', 'source'] });
    db.createObjectStore('snapshots', { keyPath: ['paperId', 'source', 't'] });
    db.createObjectStore('notified', { keyPath: 'key' });
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

/**
 * Writes papers and their listing rows in one transaction: all or nothing. Idempotent: a paper
 * already cached keeps its firstSeen; running the same write twice adds nothing twice.
 */
export async function storePapers(
  db: HotDb,
  papers: Paper[],
  listings: ListingEntry[],
): Promise<StoreResult> {
  const tx = db.transaction(['papers', 'listings'], 'readwrite');
  const store = tx.objectStore('papers');
  let added = 0;
  let unchanged = 0;
  const existing = await Promise.all(papers.map((p) => store.get(p.id)));
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
  const lst = tx.objectStore('listings');
  for (const l of listings) writes.push(lst.put(l));
  await Promise.all([...writes, tx.done]);
  return { added, unchanged };
}

export async function getPapers(db: HotDb, ids: string[]): Promise<Map<string, Paper>> {
  const tx = db.transaction('papers');
  const found = await Promise.all(ids.map((id) => tx.store.get(id)));
  await tx.done;
  const out = new Map<string, Paper>();
  found.forEach((p) => p && out.set(p.id, p));
  return out;
}

export async function countPapers(db: HotDb): Promise<number> {
  return db.count('papers');
}

/** The most recent announcement day in the cache (any category), or null when empty. */
export async function latestDay(db: HotDb): Promise<string | null> {
  const cursor = await db.transaction('listings').store.openKeyCursor(null, 'prev');
  return cursor ? cursor.key[0] : null;
}

/**
 * The `n` most recent announcement days in the cache, newest first. Jumps from day to day with a
 * key cursor (one step per day), so it costs n steps however many papers are cached.
 */
export async function recentDays(db: HotDb, n: number): Promise<string[]> {
  const days: string[] = [];
  const store = db.transaction('listings').store;
  let upper: IDBKeyRange | null = null;
  while (days.length < n) {
    const cursor = await store.openKeyCursor(upper, 'prev');
    if (!cursor) break;
    const day = cursor.key[0];
    days.push(day);
    // [day] sorts before every [day, category, id], so this excludes the whole day.
    upper = IDBKeyRange.upperBound([day], true);
  }
  return days;
}

/**
 * Listing rows for days in [fromDay, toDay] — one key-range query over the listings store,
 * optionally narrowed to categories afterwards.
 */
export async function listingsBetween(
  db: HotDb,
  fromDay: string,
  toDay: string,
  categories?: readonly string[],
): Promise<ListingEntry[]> {
  const rows = await db.getAll('listings', IDBKeyRange.bound([fromDay], [toDay, []]));
  if (!categories) return rows;
  const wanted = new Set(categories);
  return rows.filter((r) => wanted.has(r.category) || wanted.has(r.category.split('.')[0]!));
}

// ---------------------------------------------------------------- meta

export async function getMeta<T>(db: HotDb, key: string): Promise<T | undefined> {
  return (await db.get('meta', key)) as T | undefined;
}

export async function setMeta(db: HotDb, key: string, value: unknown): Promise<void> {
  await db.put('meta', value, key);
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
  const tx = db.transaction(['signals', 'snapshots'], 'readwrite');
  const sig = tx.objectStore('signals');
  const snaps = tx.objectStore('snapshots');
  const previous = await Promise.all(records.map((r) => sig.get([r.paperId, r.source])));
  let changed = 0;
  const writes: Promise<unknown>[] = [];
  records.forEach((r, i) => {
    writes.push(sig.put(r));
    const old = previous[i];
    if (!old || !sameCounts(old.counts, r.counts)) {
      changed++;
      writes.push(snaps.put({ paperId: r.paperId, source: r.source, t: r.fetchedAt, counts: r.counts }));
    }
  });
  await Promise.all([...writes, tx.done]);
  return changed;
}

export async function getSignals(db: HotDb, ids: string[]): Promise<Map<string, SignalRecord[]>> {
  const tx = db.transaction('signals');
  const rows = await Promise.all(ids.map((id) => tx.store.getAll(prefixRange(id))));
  await tx.done;
  const out = new Map<string, SignalRecord[]>();
  ids.forEach((id, i) => {
    const r = rows[i];
    if (r && r.length) out.set(id, r);
  });
  return out;
}

/**
 * Latest signals of many papers (a long hot list) with as few requests as the data allows: when the
 * signals stored between the smallest and largest of `ids` are not many more than `ids`, one range
 * read replaces one request per paper (a day's new ids are close together; few papers have signals).
 */
export async function getSignalsMany(db: HotDb, ids: string[]): Promise<Map<string, SignalRecord[]>> {
  if (ids.length < 32) return getSignals(db, ids);
  const sorted = [...ids].sort();
  const range = IDBKeyRange.bound([sorted[0]!], [sorted[sorted.length - 1]!, []]);
  const tx = db.transaction('signals');
  const n = await tx.store.count(range);
  if (n > ids.length * 2) {
    await tx.done;
    return getSignals(db, ids);
  }
  const rows = await tx.store.getAll(range);
  await tx.done;
  const wanted = new Set(ids);
  const out = new Map<string, SignalRecord[]>();
  for (const r of rows) {
    if (!wanted.has(r.paperId)) continue;
    const list = out.get(r.paperId);
    if (list) list.push(r);
    else out.set(r.paperId, [r]);
  }
  return out;
}

export async function getSnapshots(db: HotDb, ids: string[]): Promise<Map<string, Snapshot[]>> {
  const tx = db.transaction('snapshots');
  const rows = await Promise.all(ids.map((id) => tx.store.getAll(prefixRange(id))));
  await tx.done;
  const out = new Map<string, Snapshot[]>();
  ids.forEach((id, i) => {
    const r = rows[i];
    if (r && r.length) out.set(id, r);
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
  const tx = db.transaction(['papers', 'listings', 'signals', 'snapshots'], 'readwrite');
  const papers = tx.objectStore('papers');
  const ids: string[] = [];
  let cursor = await papers.index('updatedAt').openKeyCursor(IDBKeyRange.upperBound(cutoff, true));
  while (cursor) {
    if (!keep.has(cursor.primaryKey)) ids.push(cursor.primaryKey);
    cursor = await cursor.continue();
  }
  const listingIdx = tx.objectStore('listings').index('id');
  for (const id of ids) {
    await papers.delete(id);
    let lc = await listingIdx.openCursor(id);
    while (lc) {
      await lc.delete();
      lc = await lc.continue();
    }
    await tx.objectStore('signals').delete(prefixRange(id));
    await tx.objectStore('snapshots').delete(prefixRange(id));
  }
  await tx.done;
  return ids.length;
}

/** Removes every cached paper, listing, signal and snapshot (the "clear cached data" action). */
export async function clearCache(db: HotDb): Promise<void> {
  const names = ['papers', 'listings', 'signals', 'snapshots', 'notified'] as const;
  const tx = db.transaction([...names, 'meta'], 'readwrite');
  await Promise.all([...names.map((n) => tx.objectStore(n).clear()), tx.done]);
}

export function isQuotaError(err: unknown): boolean {
  const name = (err as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || (err instanceof Error && /quota/i.test(err.message));
}
