/* global chrome, indexedDB -- evaluated in extension pages */
/**
 * Issue 20: credentials and the Bluesky session that an older version left in storage.local (where
 * content scripts can read them) are moved into the extension's secret store on the first use and
 * deleted from storage.local, and the sources keep working with them.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DERIVED, startReplayServer } from './replay-server.mjs';
import { launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
const X_TOKEN = 'x-bearer-E2E-migrate-AAAAAAAAAAAA';
const BSKY_PASSWORD = 'e2e4-migr-ated-bsky';
const OLD_JWT = 'old-session-jwt-E2E-0123456789';
const NEW_JWT = JSON.parse(readFileSync(join(DERIVED, 'bluesky_create_session_derived.json'), 'utf8')).accessJwt;
const OLD_KEYS = {
  credentials: { xBearer: X_TOKEN, bluesky: { handle: 'reader.example.com', appPassword: BSKY_PASSWORD } },
  'source-state:bluesky': { session: { accessJwt: OLD_JWT, refreshJwt: `${OLD_JWT}-refresh`, did: 'did:plc:e2e', handle: 'reader.example.com' } },
};
const SETTINGS = {
  version: 1,
  categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'],
  includeCrossLists: true,
  sources: { hf: { enabled: true, weight: 1 }, hn: { enabled: true, weight: 1 }, bluesky: { enabled: true, weight: 1 }, x: { enabled: true, weight: 1 }, s2: { enabled: false, weight: 0.5 } },
  signalsRefreshMinutes: 30,
  hotThreshold: 10,
  notifications: { enabled: false, quietHours: null, dailyCap: 10 },
  watchlist: { papers: [], authors: [], keywords: [] },
  retentionDays: 30,
};

let server;
let session;
let oldState;

before(async () => {
  server = await startReplayServer();
  server.watchSecrets([X_TOKEN, BSKY_PASSWORD, OLD_JWT, NEW_JWT]);
  session = await launchExtension({ server, grantOptionalHosts: true });
  await session.pollAndWait();
  // What an older version left behind: its secrets in storage.local and no secret store (the
  // worker is stopped first so its connection does not hold the delete back).
  await session.stopServiceWorker();
  const page = await session.helper();
  oldState = await page.evaluate(async ({ keys, settings }) => {
    await new Promise((res, rej) => {
      const r = indexedDB.deleteDatabase('hot-papers-secrets');
      r.onsuccess = res;
      r.onerror = () => rej(r.error);
    });
    await chrome.storage.local.set({ ...keys, settings });
    return Object.keys(await chrome.storage.local.get(null)).sort();
  }, { keys: OLD_KEYS, settings: SETTINGS });
  await session.ageSourceStatuses(7 * HOUR);
  server.log.length = 0;
  await session.pollAndWait();
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('the old storage.local credentials and session are moved to the secret store and deleted there', async () => {
  assert.ok(oldState.includes('credentials') && oldState.includes('source-state:bluesky'), `set up: ${oldState}`);
  const page = await session.helper();
  const left = await page.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
  for (const s of [X_TOKEN, BSKY_PASSWORD, OLD_JWT]) assert.ok(!left.includes(s), `${s.slice(0, 14)}… left storage.local`);
  assert.ok(left.includes('"settings"'), 'settings stay where they were');
  assert.deepEqual(await session.getSecret('credentials'), OLD_KEYS.credentials);
});

test('the sources go on with the moved credentials: X with its token, Bluesky with the old session, no new sign-in', () => {
  assert.ok(server.log.some((e) => e.host === 'api.x.com' && e.secrets.includes(X_TOKEN)), 'X used the moved token');
  assert.ok(server.log.some((e) => e.host === 'api.bsky.app' && e.secrets.includes(OLD_JWT)), 'Bluesky searched with the moved session');
  assert.ok(!server.log.some((e) => e.secrets.includes(BSKY_PASSWORD)), 'no new sign-in was needed');
});
