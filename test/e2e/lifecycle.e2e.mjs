/* global chrome -- evaluated in extension pages */
/**
 * Issue 6: the service worker stopped in the middle of a poll (through the DevTools protocol, as
 * Chrome does to idle workers), and the extension reloaded/updated while arxiv.org tabs are open.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS, FEED_IDS_IN_DEFAULT_CATEGORIES, startReplayServer } from './replay-server.mjs';
import { bumpVersion, extensionErrors, launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;

describe('service worker stopped mid-poll', () => {
  let server;
  let session;
  before(async () => {
    server = await startReplayServer();
    session = await launchExtension({ server });
    await session.pollAndWait();
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  test('the next run completes: no stuck lock, nothing duplicated', async () => {
    const before = await session.readDb(['papers', 'listings', 'signals']);
    // Hold the poll in its signals phase: HF answers only after 8 s.
    server.setScenario('huggingface.co', 'slow', { delayMs: 8000 });
    await session.ageSourceStatuses(HOUR);
    server.log.length = 0;
    const page = await session.helper();
    await page.evaluate(() => {
      // Not awaited: the worker is stopped before it can answer.
      chrome.runtime.sendMessage({ type: 'poll:run', payload: { reason: 'user' } }).catch(() => {});
    });
    await session.waitFor(() => server.requests({ host: 'huggingface.co' }).length > 0, { what: 'the poll to reach Hugging Face' });
    assert.equal((await session.pollState()).running, true, 'a poll is under way');
    await session.stopServiceWorker();
    server.setScenario('huggingface.co', 'normal');

    // A new worker starts for the next message; the next poll must run to the end.
    await session.ageSourceStatuses(HOUR);
    const report = await session.pollAndWait({ timeout: 20_000 });
    assert.ok(['ok', 'not-modified'].includes(report.feeds[0].status), JSON.stringify(report.feeds[0]));
    assert.equal(report.sources.find((s) => s.source === 'hf').state, 'ok');
    assert.equal((await session.pollState()).running, false, 'no lease left behind');

    const after = await session.readDb(['papers', 'listings', 'signals']);
    assert.equal(after.papers.length, before.papers.length);
    assert.equal(after.listings.length, before.listings.length);
    assert.equal(after.signals.length, before.signals.length);
    assert.deepEqual(after.papers.map((r) => r.key).sort(), [...FEED_IDS].sort());

    // And a Refresh right after starts a new poll (the lease was released).
    const again = await session.poll();
    assert.equal(again.ok, true);
    assert.equal(again.value.started, true, 'Refresh was not blocked by a stale lock');
  });
});

describe('extension reloaded with arxiv.org tabs open', () => {
  let server;
  let session;
  before(async () => {
    server = await startReplayServer();
    session = await launchExtension({ server });
    await session.pollAndWait();
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  test('no errors thrown into the page, the database keeps its data, the new version works', async () => {
    const tab = await session.context.newPage();
    await tab.goto('https://arxiv.org/list/math/new');
    await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
    const papersBefore = (await session.readDb(['papers'])).papers.length;
    const errorsBefore = session.errors.length;

    bumpVersion(session.extDir, '0.1.1');
    await session.reloadExtension();
    // The reloaded extension starts a new worker with the new manifest.
    await session.waitFor(
      async () => {
        const sw = await session.sw();
        return (await sw.evaluate(() => chrome.runtime.getManifest().version)) === '0.1.1';
      },
      { what: 'the updated worker', timeout: 20_000 },
    );

    // The old content script is orphaned: using the page must not throw anything.
    await tab.mouse.move(200, 300);
    const buttons = tab.getByRole('button');
    if (await buttons.count()) await buttons.first().click().catch(() => {});
    await tab.waitForTimeout(1500);
    const pageErrors = extensionErrors(session.errors.slice(errorsBefore)).filter((e) => e.url.startsWith('https://'));
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(
      session.errors.slice(errorsBefore).filter((e) => e.text.startsWith('uncaught') && e.url.startsWith('https://arxiv.org')),
      [],
      'nothing uncaught in the arxiv.org tab',
    );

    // The previous version's database opens with its data.
    assert.equal((await session.readDb(['papers'])).papers.length, papersBefore);
    const popup = await session.openPopup();
    await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
    const ids = [...new Set(await popup.$$eval('[data-arxiv-id]', (els) => els.map((e) => e.getAttribute('data-arxiv-id'))))].sort();
    assert.deepEqual(ids, [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());

    // A page loaded after the update gets badges from the new version.
    const fresh = await session.context.newPage();
    await fresh.goto('https://arxiv.org/list/math/new');
    await fresh.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  });
});
