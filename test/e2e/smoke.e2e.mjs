/* global chrome -- evaluated inside the extension */
/**
 * The built extension loads into real Chromium, its service worker starts, and it can be stopped
 * and woken again — the ground every other end-to-end test stands on.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.mjs';
import { launchExtension } from './harness.mjs';

let server;
let session;

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server });
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('the MV3 service worker starts and the manifest is the product', async () => {
  const sw = await session.sw();
  const manifest = await sw.evaluate(() => chrome.runtime.getManifest());
  assert.equal(manifest.manifest_version, 3);
  assert.match(session.extensionId, /^[a-p]{32}$/);
  const name = await sw.evaluate(() => chrome.i18n.getMessage('extName'));
  assert.ok(name.length > 0, 'the localized name resolves');
  assert.ok(manifest.host_permissions.includes('https://rss.arxiv.org/*'));
});

test('a page on arxiv.org is served by the replay server, not the internet', async () => {
  const page = await session.context.newPage();
  const res = await page.goto('https://arxiv.org/abs/2103.17249');
  assert.equal(res.status(), 200);
  assert.ok(server.requests({ host: 'arxiv.org', pathPrefix: '/abs/2103.17249' }).length >= 1);
  await page.close();
});

test('a stopped service worker is started again by the next message', async () => {
  const before = await session.sw();
  await before.evaluate(() => {
    globalThis.__e2eMarker = 'before-stop';
  });
  await session.stopServiceWorker();
  const page = await session.helper();
  // Any runtime message wakes the worker; the reply itself is not the point here.
  await page.evaluate(() => chrome.runtime.sendMessage({ type: 'poll:state', payload: {} }).catch(() => null));
  const marker = await session.waitFor(
    async () => {
      const sw = await session.sw();
      return { value: await sw.evaluate(() => globalThis.__e2eMarker ?? null) };
    },
    { what: 'a fresh worker', timeout: 10_000 },
  );
  // A fresh global scope proves the worker really stopped and started again (no state in memory).
  assert.equal(marker.value, null);
});
