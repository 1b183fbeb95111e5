/**
 * Issue 20: a request that carries the user's credential never follows a redirect. Every credentialed
 * host (bsky.social's createSession with the app password, the search on api.bsky.app with the session token, X with
 * the bearer token, Semantic Scholar with the key) answers 307 and then 302 with
 * `Location: https://evil.example/collect`; evil.example (mapped to the replay server, so a request
 * there would be logged) must never be asked, and each source reports the refused redirect.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DERIVED, startReplayServer } from './replay-server.mjs';
import { ACCOUNT_SOURCES_SETTINGS, launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
const S2_KEY = 's2-key-E2E-redirect-0123456789';
const X_TOKEN = 'x-bearer-E2E-redirect-AAAAAAAAAAAA';
const BSKY_PASSWORD = 'e2e2-redi-rect-bsky';
const BSKY_JWT = JSON.parse(readFileSync(join(DERIVED, 'bluesky_create_session_derived.json'), 'utf8')).accessJwt;
const CREDENTIALED = ['bsky.social', 'api.x.com', 'api.semanticscholar.org'];
const SOURCE_OF = { 'bsky.social': 'bluesky', 'api.x.com': 'x', 'api.semanticscholar.org': 's2' };

// Notifications off: this suite looks at requests, not at what is shown.
const SETTINGS_ALL_SOURCES = { ...ACCOUNT_SOURCES_SETTINGS, notifications: { ...ACCOUNT_SOURCES_SETTINGS.notifications, enabled: false } };

let server;
let session;
/** status → { log, sources } of the poll whose credentialed hosts all redirected. */
const rounds = {};

async function pollWith(scenarios) {
  for (const [host, options] of Object.entries(scenarios)) server.setScenario(host, 'redirect', options);
  // Past every source's rest (X runs every 6 hours), so each round asks every credentialed host.
  await session.ageSourceStatuses(7 * HOUR);
  server.log.length = 0;
  await session.pollAndWait();
  const out = { log: [...server.log], sources: (await session.pollState()).sources };
  for (const host of Object.keys(scenarios)) server.setScenario(host, 'normal');
  return out;
}

before(async () => {
  server = await startReplayServer();
  server.watchSecrets([S2_KEY, X_TOKEN, BSKY_PASSWORD, BSKY_JWT]);
  session = await launchExtension({ server, grantOptionalHosts: true });
  await session.pollAndWait();
  await session.setStorage({
    settings: SETTINGS_ALL_SOURCES,
    credentials: { s2Key: S2_KEY, xBearer: X_TOKEN, bluesky: { handle: 'reader.example.com', appPassword: BSKY_PASSWORD } },
  });
  // No Bluesky session yet: its first request is createSession, carrying the app password.
  for (const status of [307, 302]) rounds[`sign-in ${status}`] = await pollWith(Object.fromEntries(CREDENTIALED.map((h) => [h, { status }])));
  // A normal poll signs in; then only the search (carrying the session token) redirects.
  rounds.normal = await pollWith({});
  for (const status of [307, 302]) {
    rounds[`search ${status}`] = await pollWith({ 'api.bsky.app': { status, paths: ['/xrpc/app.bsky.feed.searchPosts'] } });
  }
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('307 and 302 on createSession, X and Semantic Scholar: the redirect target never receives a request', () => {
  for (const status of [307, 302]) {
    const { log, sources } = rounds[`sign-in ${status}`];
    assert.deepEqual(log.filter((e) => e.host === 'evil.example').map((e) => `${e.method} ${e.path} ${e.secrets}`), [], `nothing reached evil.example after ${status}`);
    for (const host of CREDENTIALED) {
      const asked = log.filter((e) => e.host === host && e.status === status);
      assert.ok(asked.length >= 1, `${host} was asked and answered ${status}`);
      assert.ok(asked.every((e) => e.secrets.length === 1), `${host}'s request carried its credential`);
      const st = sources.find((s) => s.source === SOURCE_OF[host]);
      assert.equal(st?.state, 'error', `${host}: ${JSON.stringify(st)}`);
      assert.match(st.lastError ?? '', /redirect/i, `${host} says why`);
    }
    const signIn = log.find((e) => e.host === 'bsky.social' && e.path.startsWith('/xrpc/com.atproto.server.createSession'));
    assert.ok(signIn?.secrets.includes(BSKY_PASSWORD), 'the redirected request was the sign-in with the app password');
  }
});

test('307 and 302 on the Bluesky search (session token): not followed, the other sources keep working', () => {
  assert.ok(rounds.normal.log.some((e) => e.host === 'api.bsky.app' && e.secrets.includes(BSKY_JWT) && e.status === 200), 'a normal poll searched with the session');
  for (const status of [307, 302]) {
    const { log, sources } = rounds[`search ${status}`];
    assert.deepEqual(log.filter((e) => e.host === 'evil.example').map((e) => e.path), []);
    assert.ok(log.some((e) => e.host === 'api.bsky.app' && e.secrets.includes(BSKY_JWT) && e.status === status), 'the search with the token was redirected');
    const bsky = sources.find((s) => s.source === 'bluesky');
    assert.equal(bsky?.state, 'error');
    assert.match(bsky.lastError ?? '', /redirect/i);
    assert.equal(sources.find((s) => s.source === 'x')?.state, 'ok');
  }
});
