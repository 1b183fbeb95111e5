/**
 * Issue 6: the arXiv feed misbehaving (malformed, truncated, an HTML page, 5xx, reset, 429, empty on
 * a weekday) and the whole network gone (at install and during a poll). The cache is never wiped by
 * a failed refresh, the popup keeps listing what it had and says what went wrong.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS, FEED_IDS_IN_DEFAULT_CATEGORIES, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const popupIds = async (popup) => [...new Set(await popup.$$eval('[data-arxiv-id]', (els) => els.map((e) => e.getAttribute('data-arxiv-id'))))].sort();
const paperCount = async (session) => (await session.readDb(['papers']))?.papers?.length ?? 0;

describe('feed failures after a good poll', () => {
  let server;
  let session;
  before(async () => {
    server = await startReplayServer();
    session = await launchExtension({ server });
    await session.pollAndWait();
    assert.equal(await paperCount(session), FEED_IDS.length);
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  const MODES = [
    { mode: 'garbage', status: 'error' },
    { mode: 'truncated', status: 'error' },
    { mode: 'html', status: 'error' },
    { mode: '500', status: 'error' },
    { mode: 'reset', status: 'error' },
    { mode: '429', status: 'error', options: { retryAfter: 120 } },
    { mode: 'empty', status: 'empty' },
  ];
  for (const { mode, status, options } of MODES) {
    test(`feed ${mode}: report says ${status}, cached papers stay listed`, async (t) => {
      t.after(() => server.setScenario('rss.arxiv.org', 'normal'));
      server.setScenario('rss.arxiv.org', mode, options);
      server.log.length = 0;
      const report = await session.pollAndWait();
      assert.ok(server.requests({ host: 'rss.arxiv.org' }).length >= 1, 'the feed was requested');
      const [feed] = report.feeds;
      assert.equal(feed.status, status, JSON.stringify(feed));
      assert.equal(feed.added, 0);
      if (status === 'error') {
        assert.match(feed.error ?? '', /\w{3,}/);
        assert.doesNotMatch(feed.error, /undefined|\[object|TypeError/);
      }
      assert.equal(await paperCount(session), FEED_IDS.length, 'nothing was deleted');
      const popup = await session.openPopup();
      await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
      assert.deepEqual(await popupIds(popup), [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());
      if (status === 'error') {
        const text = await popup.locator('body').innerText();
        assert.ok(text.includes(feed.error), `the popup shows the feed error "${feed.error}"`);
      }
      await popup.close();
      server.setScenario('rss.arxiv.org', 'normal');
      assert.deepEqual(extensionErrors(session.errors), []);
    });
  }

  test('the network goes away during a poll: cached papers stay, the popup explains, then it recovers', async () => {
    await server.setOffline(true);
    try {
      const report = await session.pollAndWait();
      assert.equal(report.feeds[0].status, 'error');
      assert.match(report.feeds[0].error, /reach|offline|connect/i);
      const popup = await session.openPopup();
      await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
      assert.deepEqual(await popupIds(popup), [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());
      assert.ok((await popup.locator('body').innerText()).includes(report.feeds[0].error));
      await popup.close();
    } finally {
      await server.setOffline(false);
    }
    const back = await session.pollAndWait();
    assert.ok(['ok', 'not-modified'].includes(back.feeds[0].status), JSON.stringify(back.feeds[0]));
  });
});

describe('offline at install', () => {
  let server;
  let session;
  before(async () => {
    server = await startReplayServer();
    await server.setOffline(true);
    session = await launchExtension({ server });
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  test('the install poll fails without a crash, the popup explains, Refresh fills it once online', async () => {
    const report = await session.pollAndWait();
    assert.equal(report.feeds[0].status, 'error');
    assert.equal((await session.readDb(['papers']))?.papers?.length ?? 0, 0);
    const popup = await session.openPopup();
    await popup.getByRole('button', { name: 'Refresh' }).waitFor({ timeout: 15_000 });
    const text = await popup.locator('body').innerText();
    assert.ok(text.includes(report.feeds[0].error), `the popup explains: "${report.feeds[0].error}"`);
    assert.equal(await popup.locator('[data-arxiv-id]').count(), 0);

    await server.setOffline(false);
    await popup.getByRole('button', { name: 'Refresh' }).click();
    await popup.waitForSelector('[data-arxiv-id]', { timeout: 30_000 });
    assert.deepEqual(await popupIds(popup), [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());
    assert.deepEqual(extensionErrors(session.errors), []);
  });
});
