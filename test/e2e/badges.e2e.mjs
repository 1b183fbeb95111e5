/* global chrome, document -- evaluated in extension pages and arxiv.org tabs */
/**
 * What a reader sees: badges on arXiv listing and abstract pages (issue 7's contract: one badge
 * host per entry carrying data-arxiv-id and data-heat), no network requests from the page itself,
 * the toolbar badge and one grouped notification after a poll, and no repeat after a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
// Entries of the recorded /list/math/new page (arxiv-browse meta: dt_count 6), in page order.
const MATH_NEW_IDS = ['0906.3421', '0704.0046', '0806.4129', '0906.4150', 'math/0510544', '0704.0248'];
const THIRD_PARTY = ['export.arxiv.org', 'rss.arxiv.org', 'huggingface.co', 'hn.algolia.com', 'bsky.social', 'api.x.com', 'api.twitter.com', 'api.semanticscholar.org'];

let server;
let session;
let installNotifications;

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server });
  const watch = session.watchNotifications();
  await session.pollAndWait();
  await new Promise((r) => setTimeout(r, 1000));
  installNotifications = [...(await watch.stop())];
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('listing page: exactly one badge per entry, with its id and a numeric heat; no page-origin requests', async () => {
  const tab = await session.context.newPage();
  await tab.goto('https://arxiv.org/list/math/new');
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  const pageIds = await tab.$$eval('dl dt a[title="Abstract"]', (as) => as.map((a) => a.getAttribute('id')));
  assert.deepEqual(pageIds, MATH_NEW_IDS);
  await session.waitFor(async () => (await tab.$$('[data-arxiv-id][data-heat]')).length >= pageIds.length, { what: 'all badges' });
  const badges = await tab.$$eval('[data-arxiv-id][data-heat]', (els) => els.map((e) => ({ id: e.getAttribute('data-arxiv-id'), heat: e.getAttribute('data-heat') })));
  assert.deepEqual(badges.map((b) => b.id).sort(), [...pageIds].sort(), 'one badge host per entry, nothing else');
  for (const b of badges) assert.ok(Number.isFinite(Number(b.heat)) && Number(b.heat) >= 0, `heat of ${b.id}: ${b.heat}`);
  // The page itself never talks to arXiv's API or any source: only the worker does.
  const fromPage = server.log.filter((e) => THIRD_PARTY.includes(e.host) && e.origin === 'https://arxiv.org');
  assert.deepEqual(fromPage, []);
  // The ids the page showed were looked up through the worker (batched id_list requests).
  assert.ok(server.requests({ host: 'export.arxiv.org' }).length <= 2, 'one batched API lookup, not one per entry');
  const errors = extensionErrors(session.errors).filter((e) => e.url.startsWith('https://'));
  assert.deepEqual(errors, []);
  await tab.close();
});

test('abs page: one badge for the paper', async () => {
  const tab = await session.context.newPage();
  await tab.goto('https://arxiv.org/abs/2103.17249');
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  const ids = await tab.$$eval('[data-arxiv-id][data-heat]', (els) => els.map((e) => e.getAttribute('data-arxiv-id')));
  assert.deepEqual(ids, ['2103.17249']);
  await tab.close();
});

test('after a poll: toolbar badge counts the unseen hot papers and one grouped notification was shown', async () => {
  const badge = await session.badgeText();
  const views = await session.sendMessage('hotlist:get', { view: 'today' });
  assert.equal(views.ok, true, JSON.stringify(views));
  const threshold = 10;
  const hot = views.value.items.filter((v) => v.heat >= threshold);
  assert.ok(hot.length >= 1, `recorded signals make papers hot: ${views.value.items.map((v) => v.heat)}`);
  assert.equal(badge, String(hot.length));
  const db = await session.readDb(['notified']);
  const claimed = db.notified.map((r) => r.key).sort();
  assert.deepEqual(claimed, hot.map((v) => `hot:${v.paper.id}`).sort(), 'each hot paper notified once');
  assert.equal(installNotifications.length, 1, `one grouped notification, got ${installNotifications}`);
});

test('no repeat notification after the worker restarts and polls again; opening the popup clears the badge', async () => {
  const page = await session.helper();
  await page.evaluate(async () => {
    for (const id of Object.keys(await chrome.notifications.getAll())) await chrome.notifications.clear(id);
  });
  await session.stopServiceWorker();
  const watch = session.watchNotifications();
  await session.ageSourceStatuses(HOUR);
  const report = await session.pollAndWait();
  await new Promise((r) => setTimeout(r, 1000));
  assert.ok(report.sources.some((s) => s.state === 'ok' && s.requests > 0), 'signals were fetched again');
  assert.deepEqual([...(await watch.stop())], [], 'the same hot papers are not announced twice');

  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
  await session.waitFor(async () => (await session.badgeText()) === '', { what: 'the badge to clear', timeout: 10_000 });
  assert.equal(await popup.evaluate(() => document.querySelectorAll('[data-arxiv-id]').length > 0), true);
  await popup.close();
});

test('the badge also counts a hot watched paper outside Today; opening the popup marks it seen, so the next poll leaves the badge clear', async () => {
  // 2310.16106 is listed in cs.IT only (not in the default categories): never a row of Today.
  const watched = '2310.16106';
  const settings = (await session.getStorage('settings')) ?? { version: 1 };
  await session.setStorage({ settings: { ...settings, watchlist: { papers: [watched], authors: [], keywords: [] } } });
  await session.ageSourceStatuses(HOUR);
  await session.pollAndWait();
  const list = await session.sendMessage('hotlist:get', { view: 'watchlist' });
  const view = list.value.items.find((v) => v.paper.id === watched);
  assert.ok(view && view.heat >= 10, `the watched paper is hot: ${view?.heat}`);
  assert.equal(await session.badgeText(), '1', 'Today was seen; the badge counts the watched paper');

  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
  await session.waitFor(async () => (await session.badgeText()) === '', { what: 'the badge to clear', timeout: 10_000 });
  // The popup marks seen only after its rows are in: wait for that write before polling again.
  await session.waitFor(async () => {
    const db = await session.readDb(['meta']);
    return db.meta.find((m) => m.key === 'popup:seen')?.value.ids.includes(watched);
  }, { what: 'the watched paper to be marked seen' });
  await session.pollAndWait();
  assert.equal(await session.badgeText(), '', 'the badge does not come back for what it already counted');
  await popup.close();
});
