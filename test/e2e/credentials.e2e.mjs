/**
 * Issue 6: credentials only ever go to their own hosts. The user's Semantic Scholar key, X token and
 * Bluesky app password (and the Bluesky session token it yields) are fake strings here; the replay
 * server records in which requests — URL, headers or body — each one appears.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DERIVED, startReplayServer } from './replay-server.mjs';
import { ACCOUNT_SOURCES_SETTINGS, launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
const S2_KEY = 's2-key-E2E-0123456789';
const X_TOKEN = 'x-bearer-E2E-AAAAAAAAAAAAAAAAAAAA';
const BSKY_PASSWORD = 'e2e1-pass-word-bsky';
// The session token the replay server's (derived) Bluesky sign-in hands out.
const BSKY_JWT = JSON.parse(readFileSync(join(DERIVED, 'bluesky_create_session_derived.json'), 'utf8')).accessJwt;
const OWN_HOSTS = {
  [S2_KEY]: ['api.semanticscholar.org'],
  [X_TOKEN]: ['api.x.com', 'api.twitter.com'],
  [BSKY_PASSWORD]: ['bsky.social'],
  [BSKY_JWT]: ['bsky.social', 'api.bsky.app'],
};

let server;
let session;

before(async () => {
  server = await startReplayServer();
  server.watchSecrets(Object.keys(OWN_HOSTS));
  session = await launchExtension({ server, grantOptionalHosts: true });
  await session.pollAndWait();
  await session.setStorage({
    settings: ACCOUNT_SOURCES_SETTINGS,
    credentials: { s2Key: S2_KEY, xBearer: X_TOKEN, bluesky: { handle: 'reader.example.com', appPassword: BSKY_PASSWORD } },
  });
  await session.ageSourceStatuses(4 * HOUR);
  server.log.length = 0;
  await session.pollAndWait();
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('every credential was used, and only with its own host', async () => {
  const carried = (secret) => server.log.filter((e) => e.secrets.includes(secret));
  for (const [secret, hosts] of Object.entries(OWN_HOSTS)) {
    const reqs = carried(secret);
    const label = secret === BSKY_JWT ? 'Bluesky session token' : secret;
    assert.ok(reqs.length >= 1, `${label} was sent at least once (log: ${server.log.map((e) => `${e.method} ${e.host}${e.path.slice(0, 40)}`).join(' | ')})`);
    const strays = reqs.filter((e) => !hosts.includes(e.host)).map((e) => `${e.host}${e.path}`);
    assert.deepEqual(strays, [], `${label} leaked`);
  }
});

test('hosts without an account get no Authorization header or API key at all', async () => {
  const anonymous = ['arxiv.org', 'rss.arxiv.org', 'export.arxiv.org', 'huggingface.co', 'hn.algolia.com'];
  const withAuth = server.log.filter((e) => anonymous.includes(e.host) && (e.authorization || e.xApiKey));
  assert.deepEqual(withAuth, []);
  assert.ok(server.log.some((e) => e.host === 'api.semanticscholar.org' && e.xApiKey), 'S2 got its key as x-api-key');
});

test('the popup and source statuses never show a credential', async () => {
  const state = await session.pollState();
  const text = JSON.stringify(state);
  for (const secret of Object.keys(OWN_HOSTS)) assert.ok(!text.includes(secret), 'poll state is free of secrets');
  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
  const body = await popup.locator('body').innerText();
  for (const secret of Object.keys(OWN_HOSTS)) assert.ok(!body.includes(secret), 'popup is free of secrets');
  await popup.close();
});
