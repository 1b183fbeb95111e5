/* global document, window, MouseEvent, CustomEvent -- evaluated in arxiv.org tabs */
/**
 * Issue 20: what a hostile arxiv.org page (or a script injected into it) can make the extension do.
 * "From the content script" means code evaluated in the extension's content-script world of a real
 * arxiv.org tab (harness inContentScript): whatever a page could get that world to send.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DERIVED, startReplayServer } from './replay-server.mjs';
import { launchExtension } from './harness.mjs';

let server;
let session;
let tab;

const HOUR = 60 * 60_000;
const S2_KEY = 's2-key-E2E-page-0123456789';
const X_TOKEN = 'x-bearer-E2E-page-AAAAAAAAAAAAAAAA';
const BSKY_PASSWORD = 'e2e3-page-read-bsky';
const BSKY_JWT = JSON.parse(readFileSync(join(DERIVED, 'bluesky_create_session_derived.json'), 'utf8')).accessJwt;
const SECRETS = [S2_KEY, X_TOKEN, BSKY_PASSWORD, BSKY_JWT];
const ALL_SOURCES = {
  version: 1,
  categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'],
  includeCrossLists: true,
  sources: { hf: { enabled: true, weight: 1 }, hn: { enabled: true, weight: 1 }, bluesky: { enabled: true, weight: 1 }, x: { enabled: true, weight: 1 }, s2: { enabled: true, weight: 0.5 } },
  signalsRefreshMinutes: 30,
  hotThreshold: 10,
  notifications: { enabled: false, quietHours: null, dailyCap: 10 },
  watchlist: { papers: [], authors: [], keywords: [] },
  retentionDays: 30,
};

const send = (type, payload) => `chrome.runtime.sendMessage(${JSON.stringify({ type, payload })})`;

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server, grantOptionalHosts: true });
  await session.pollAndWait();
  tab = await session.context.newPage();
  await tab.goto('https://arxiv.org/list/math/new');
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('from a tab, export:build, cache:clear and poll:run are refused; nothing is exported, cleared or polled', async () => {
  const before = await session.readDb(['papers']);
  assert.ok(before.papers.length > 0, 'the cache holds papers');
  const lastPoll = (await session.pollState()).lastPoll;
  server.log.length = 0;
  const replies = {
    exp: await session.inContentScript(tab, send('export:build', { format: 'json', view: 'today' })),
    clear: await session.inContentScript(tab, send('cache:clear', {})),
    poll: await session.inContentScript(tab, send('poll:run', { reason: 'user' })),
    state: await session.inContentScript(tab, send('poll:state', {})),
  };
  for (const [name, r] of Object.entries(replies)) {
    assert.equal(r?.ok, false, `${name}: ${JSON.stringify(r)?.slice(0, 200)}`);
    assert.match(r.error, /not accepted from a web page/);
  }
  assert.equal((await session.readDb(['papers'])).papers.length, before.papers.length, 'the cache was not cleared');
  assert.deepEqual((await session.pollState()).lastPoll, lastPoll, 'no poll ran');
  assert.deepEqual(server.log.filter((e) => e.host === 'rss.arxiv.org'), [], 'no feed request');
  // The extension's own pages still may.
  assert.equal((await session.sendMessage('export:build', { format: 'json', view: 'today' }))?.ok, true);
});

test('from a tab, the content script\'s own messages are answered', async () => {
  const id = await tab.getAttribute('[data-arxiv-id][data-heat]', 'data-arxiv-id');
  const r = await session.inContentScript(tab, send('papers:lookup', { ids: [id] }));
  assert.equal(r?.ok, true, JSON.stringify(r));
});

test('the content script\'s world cannot read a credential or session token from storage', async () => {
  server.watchSecrets(SECRETS);
  await session.setStorage({
    settings: ALL_SOURCES,
    credentials: { s2Key: S2_KEY, xBearer: X_TOKEN, bluesky: { handle: 'reader.example.com', appPassword: BSKY_PASSWORD } },
  });
  await session.ageSourceStatuses(4 * HOUR);
  server.log.length = 0;
  await session.pollAndWait();
  // The credentials were used (so they are stored somewhere the worker reads), and Bluesky signed in.
  for (const secret of SECRETS) assert.ok(server.log.some((e) => e.secrets.includes(secret)), `${secret.slice(0, 12)}… was used`);
  assert.equal((await session.getSecret('source-state:bluesky'))?.session?.accessJwt, BSKY_JWT, 'the session is kept in the secret store');
  const seen = await session.inContentScript(tab, 'chrome.storage.local.get(null).then((all) => JSON.stringify(all))');
  for (const secret of SECRETS) assert.ok(!seen.includes(secret), `${secret.slice(0, 12)}… is not readable from the content script`);
  assert.ok(seen.includes('"settings"'), 'the read itself worked (settings are there)');
  // Nor through the page's IndexedDB (a content script's IndexedDB is the page's origin).
  const dbs = await session.inContentScript(tab, 'indexedDB.databases().then((l) => l.map((d) => d.name))');
  assert.ok(!dbs.includes('hot-papers-secrets'), JSON.stringify(dbs));
});

/** A fresh arxiv.org tab whose page records every window message it receives from the start. */
async function listingTab() {
  const t = await session.context.newPage();
  await t.addInitScript(() => {
    window.__hpMessages = [];
    window.addEventListener('message', (e) => window.__hpMessages.push(JSON.stringify(e.data)));
  });
  await t.goto('https://arxiv.org/list/math/new');
  await t.waitForSelector('[data-arxiv-id][data-heat] .hp-s', { timeout: 15_000 });
  return t;
}
const watchlist = async () => (await session.getStorage('settings'))?.watchlist?.papers ?? [];
const starOf = (id) => `[data-arxiv-id="${id}"][data-heat] .hp-s`;

test('a page script clicking a star (untrusted event) does not change the watchlist; the user\'s click does', async () => {
  const t = await listingTab();
  const ids = await t.$$eval('[data-arxiv-id][data-heat]', (hs) => hs.map((h) => h.getAttribute('data-arxiv-id')));
  const [forged, real] = ids;
  const before = await watchlist();
  assert.ok(!before.includes(forged) && !before.includes(real));
  await t.evaluate((s) => {
    document.querySelector(s).click();
    document.querySelector(s).dispatchEvent(new MouseEvent('click', { bubbles: true }));
  }, starOf(forged));
  // The user's click is sent after the page's: once it is stored, the page's would have been too.
  await t.click(starOf(real));
  await session.waitFor(async () => (await watchlist()).includes(real), { what: `${real} in the watchlist` });
  assert.ok(!(await watchlist()).includes(forged), 'the page script\'s click changed nothing');
  assert.equal(await t.getAttribute(starOf(forged), 'aria-pressed'), 'false');
  await t.click(starOf(real));
  await session.waitFor(async () => !(await watchlist()).includes(real), { what: `${real} out of the watchlist` });
  await t.close();
});

test('a forged WXT "newer script started" announcement does not switch the content script off', async () => {
  const t = await listingTab();
  const name = `${session.extensionId}:arxiv:wxt:content-script-started`;
  // WXT's postMessage announcement is off: the page is not told the event name.
  const heard = await t.evaluate(() => window.__hpMessages);
  assert.ok(!heard.some((m) => m.includes('content-script-started')), `the page heard: ${heard}`);
  await t.evaluate((type) => {
    const detail = { contentScriptName: 'arxiv', messageId: 'forged-by-the-page' };
    document.dispatchEvent(new CustomEvent(type, { detail }));
    window.postMessage({ type, ...detail }, '*');
  }, name);
  await t.evaluate(() => new Promise((r) => setTimeout(r, 0)));
  const id = await t.getAttribute('[data-arxiv-id][data-heat]', 'data-arxiv-id');
  await t.click(starOf(id));
  await session.waitFor(async () => (await watchlist()).includes(id), { what: `${id} in the watchlist after the forged announcement` });
  await session.waitFor(() => t.evaluate((s) => document.querySelector(s)?.getAttribute('aria-pressed') === 'true', starOf(id)), { what: 'the star pressed' });
  await t.click(starOf(id));
  await session.waitFor(async () => !(await watchlist()).includes(id), { what: `${id} out again` });
  await t.close();
});
