/**
 * Issue 20: credentials and account sessions live in their own extension-origin IndexedDB database,
 * not in storage.local (readable from content scripts); the keys older versions kept in
 * storage.local are moved once and deleted there.
 */
import { describe, expect, it } from 'vitest';
import { getCredentials, setCredentials, CREDENTIALS_KEY, accountStateKey } from '../../lib/credentials';
import { LEGACY_SECRET_KEYS, migrateSecrets, secretStore, type LegacyStorage } from '../../lib/store/secret-store';

let n = 0;
const dbName = () => `secrets-test-${n++}`;

function local(data: Record<string, unknown> = {}): LegacyStorage & { data: Record<string, unknown>; failRemove?: boolean } {
  const s = {
    data: structuredClone(data),
    failRemove: false,
    async get(key: string) {
      return key in s.data ? { [key]: structuredClone(s.data[key]) } : {};
    },
    async set(items: Record<string, unknown>) {
      Object.assign(s.data, structuredClone(items));
    },
    async remove(keys: string[]) {
      if (s.failRemove) throw new Error('quota');
      for (const k of keys) delete s.data[k];
    },
  };
  return s;
}

const OLD = {
  [CREDENTIALS_KEY]: { xBearer: 'tok-AAAAAAAAAAAAAAAA', s2Key: 's2-key-0000000000', bluesky: { handle: 'me.bsky.social', appPassword: 'aaaa-bbbb-cccc-dddd' } },
  [accountStateKey('bluesky')]: { session: { accessJwt: 'jwt-access', refreshJwt: 'jwt-refresh', did: 'did:plc:x' } },
  settings: { version: 1, hotThreshold: 12 },
};

describe('secret store', () => {
  it('keeps credentials and sessions, and reads them back after reopening', async () => {
    const name = dbName();
    const a = secretStore(local(), name);
    await setCredentials(a, { xBearer: 'tok-1234567890abcdef' });
    await a.set({ [accountStateKey('bluesky')]: { session: { accessJwt: 'j' } } });
    const b = secretStore(local(), name);
    expect(await getCredentials(b)).toEqual({ xBearer: 'tok-1234567890abcdef' });
    expect((await b.get(accountStateKey('bluesky')))[accountStateKey('bluesky')]).toEqual({ session: { accessJwt: 'j' } });
    expect(await b.get('nothing')).toEqual({});
  });

  it('moves the old storage.local keys on first use and deletes them there; settings stay', async () => {
    const old = local(OLD);
    const store = secretStore(old, dbName());
    expect(await getCredentials(store)).toEqual(OLD[CREDENTIALS_KEY]);
    expect((await store.get(accountStateKey('bluesky')))[accountStateKey('bluesky')]).toEqual(OLD[accountStateKey('bluesky')]);
    expect(old.data).toEqual({ settings: OLD.settings });
    expect(LEGACY_SECRET_KEYS).toEqual([CREDENTIALS_KEY, 'source-state:bluesky', 'source-state:x', 'source-state:s2']);
  });

  it('migrates once: a credential written into storage.local later (as a content script could) is never read', async () => {
    const name = dbName();
    const old = local(OLD);
    await getCredentials(secretStore(old, name));
    old.data[CREDENTIALS_KEY] = { xBearer: 'planted-by-a-page-000000' };
    expect((await getCredentials(secretStore(old, name))).xBearer).toBe(OLD[CREDENTIALS_KEY].xBearer);
  });

  it('a failed delete leaves the old keys in place and the copy made; nothing is lost', async () => {
    const old = local(OLD);
    old.failRemove = true;
    const target = local();
    await expect(migrateSecrets(old, target)).rejects.toThrow('quota');
    expect(old.data[CREDENTIALS_KEY]).toEqual(OLD[CREDENTIALS_KEY]);
    expect(target.data[CREDENTIALS_KEY]).toEqual(OLD[CREDENTIALS_KEY]);
    // The store's open failed with it and is retried on the next use, which then succeeds.
    const store = secretStore(old, dbName());
    await expect(getCredentials(store)).rejects.toThrow('quota');
    old.failRemove = false;
    expect(await getCredentials(store)).toEqual(OLD[CREDENTIALS_KEY]);
    expect(old.data[CREDENTIALS_KEY]).toBeUndefined();
  });

  it('nothing to move: storage.local is left as it was', async () => {
    const old = local({ settings: OLD.settings });
    expect(await migrateSecrets(old, local())).toEqual([]);
    expect(old.data).toEqual({ settings: OLD.settings });
  });
});
