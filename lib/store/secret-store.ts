/**
 * The user's secrets — source credentials (Bluesky app password, X token, Semantic Scholar key) and
 * account sessions (Bluesky's tokens) — in their own small IndexedDB database on the extension's
 * origin. storage.local is readable from content scripts, which run inside arxiv.org pages; this
 * database is not (a content script's IndexedDB is the page's). It is apart from the `hot-papers`
 * cache, so clearing, repairing or upgrading the cache never touches a credential.
 *
 * Versions before issue 20 kept these keys in storage.local: the first open moves them here and
 * deletes them there (migrateSecrets), once; later writes to storage.local are never read back.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { accountStateKey, CREDENTIALS_KEY } from '../credentials';
import type { KeyValueStorage } from '../settings';

export const SECRETS_DB = 'hot-papers-secrets';
const STORE = 'secrets';
/** Set once the storage.local keys of older versions were moved (or there were none). */
export const MIGRATED_KEY = 'migrated-from-storage-local';

/** Every storage.local key older versions kept a secret under. */
export const LEGACY_SECRET_KEYS: readonly string[] = [CREDENTIALS_KEY, accountStateKey('bluesky'), accountStateKey('x'), accountStateKey('s2')];

export interface LegacyStorage extends KeyValueStorage {
  remove(keys: string[]): Promise<void>;
}

/**
 * Copies each legacy key found in `local` into `secrets`, and only once all are written deletes them
 * from `local` (a failure in between leaves them where they were, to be moved next time).
 */
export async function migrateSecrets(local: LegacyStorage, secrets: KeyValueStorage): Promise<string[]> {
  const found: Record<string, unknown> = {};
  for (const key of LEGACY_SECRET_KEYS) {
    const value = (await local.get(key))[key];
    if (value !== undefined) found[key] = value;
  }
  const keys = Object.keys(found);
  if (keys.length) {
    await secrets.set(found);
    await local.remove(keys);
  }
  return keys;
}

/**
 * The secret store as a KeyValueStorage. `legacy` (storage.local) is migrated on the first use; both
 * the worker and the options page pass it, and whichever opens first moves the keys (moving twice is
 * harmless: the same values are written).
 */
export function secretStore(legacy?: LegacyStorage, name = SECRETS_DB): KeyValueStorage {
  let ready: Promise<IDBPDatabase> | null = null;
  const raw = (db: IDBPDatabase): KeyValueStorage => ({
    async get(key) {
      const v: unknown = await db.get(STORE, key);
      return v === undefined ? {} : { [key]: v };
    },
    async set(items) {
      const tx = db.transaction(STORE, 'readwrite');
      for (const [k, v] of Object.entries(items)) void tx.store.put(v, k);
      await tx.done;
    },
  });
  const open = () =>
    (ready ??= (async () => {
      const db = await openDB(name, 1, {
        upgrade(d) {
          d.createObjectStore(STORE);
        },
      });
      if (legacy && (await db.get(STORE, MIGRATED_KEY)) === undefined) {
        await migrateSecrets(legacy, raw(db));
        await db.put(STORE, true, MIGRATED_KEY);
      }
      return db;
    })().catch((err: unknown) => {
      ready = null;
      throw err;
    }));
  return {
    get: async (key) => raw(await open()).get(key),
    set: async (items) => raw(await open()).set(items),
  };
}
