/**
 * `npm run build:firefox` makes a Firefox add-on that loads and works (issue 6): in real Firefox
 * (Debian's firefox-esr), installed from .output/firefox-mv2, against the recorded responses of
 * the replay server under the real host names. What a user would notice:
 *   background  the install poll asks arXiv once (one joined feed) and the engagement sources;
 *   toolbar     the badge counts the hot papers, one grouped desktop notification is shown, and
 *               clicking it opens the hot list;
 *   popup       the toolbar button's popup (moz-extension://<uuid>/popup.html) lists the recorded
 *               feed papers and the worker keeps their preview in storage.session; Refresh polls
 *               again with the stored ETag (popup → background);
 *   arxiv.org   the content script puts one badge on each entry of a listing and on an abs page;
 *   console     no errors or warnings from the add-on: its background and popup pages, and its
 *               content script in the arxiv.org tabs.
 * The same checks in Chromium: test/e2e/foundation.e2e.mjs and badges.e2e.mjs.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS_IN_DEFAULT_CATEGORIES, startReplayServer } from '../e2e/replay-server.mjs';
import { EXTENSION_ORIGIN, launchFirefox } from './launch.mjs';

const JOINED_DEFAULT = '/rss/cs.LG+cs.CL+cs.CV+cs.AI+stat.ML';
// Entries of the recorded /list/math/new page (arxiv-browse meta: dt_count 6), in page order.
const MATH_NEW_IDS = ['0906.3421', '0704.0046', '0806.4129', '0906.4150', 'math/0510544', '0704.0248'];
const CANARY = 'firefox-smoke: console watch check';

let server;
let ff;
let bg;
/** Console errors and warnings, and uncaught errors, of every arxiv.org tab, over BiDi. */
const tabErrors = [];
/**
 * Those the add-on caused: its content script's code is at moz-extension://…, and its own log
 * lines start with [hot-papers]. (The recorded pages' own noise, e.g. arXiv's web fonts that were
 * not recorded, is the page's.) The same rule as the Chromium harness's extensionErrors().
 */
const fromExtension = (e) => e.source.includes('moz-extension://') || /\[hot-papers\]|Extension context invalidated/i.test(e.text);

before(async () => {
  server = await startReplayServer();
  ff = await launchFirefox({ server });
  bg = await ff.background();
});

after(async () => {
  await ff?.close();
  await server?.close();
});

async function openArxivTab(url) {
  const tab = await ff.browser.newPage();
  tab.on('console', (m) => {
    const source = [m.location()?.url, ...m.stackTrace().map((f) => f.url)].filter(Boolean).join(' ');
    if (m.type() === 'error' || m.type() === 'warn') tabErrors.push({ url, text: m.text(), source });
  });
  tab.on('pageerror', (e) => tabErrors.push({ url, text: `uncaught: ${e.message}`, source: e.stack ?? '' }));
  await tab.goto(url);
  return tab;
}

test('the add-on is installed as the Firefox build (MV2, gecko id) and its console is watched', async () => {
  assert.equal(ff.manifest.manifest_version, 2);
  assert.equal(await ff.evaluate(bg, 'browser.runtime.getURL("/")'), `${EXTENSION_ORIGIN}/`);
  assert.equal(await ff.evaluate(bg, 'browser.runtime.getManifest().browser_specific_settings.gecko.id'), 'hot-papers@arxiv-hot-papers.example');
  assert.ok((await ff.evaluate(bg, 'browser.i18n.getMessage("extName")')).length > 0, 'the localized name resolves');
  // The "no errors" checks below only mean something if the watch sees what the add-on logs.
  await ff.evaluate(bg, `console.error(${JSON.stringify(CANARY)})`);
  await ff.waitFor(() => ff.extensionMessages().some((m) => m.text === CANARY), { what: 'the canary in the background console' });
});

test('install: the background polls arXiv once (one joined feed) and the sources, all through the replay server', async () => {
  await ff.waitFor(
    () => ['rss.arxiv.org', 'huggingface.co', 'hn.algolia.com'].every((host) => server.requests({ host }).some((e) => e.status === 200)),
    { what: 'the install poll to ask the feed, Hugging Face and Hacker News', timeout: 30_000 },
  );
  const feeds = server.requests({ host: 'rss.arxiv.org' });
  assert.deepEqual(feeds.map((e) => e.path), [JOINED_DEFAULT], 'one joined feed request for all default categories');
  assert.ok(server.requests({ host: 'huggingface.co', pathPrefix: '/api/daily_papers' }).length >= 1);
  assert.ok(server.requests({ host: 'hn.algolia.com', pathPrefix: '/api/v1/search_by_date' }).length === 1);
  // Every request of the add-on had a recorded answer, and it tried no other host: so far (no
  // arxiv.org page is open yet) the proxy refused only Firefox's own services.
  assert.deepEqual(server.log.filter((e) => e.unmatched).map((e) => `${e.host}${e.path}`), []);
  const hostOf = (target) => (/^[a-z]+:\/\//.test(target) ? new URL(target).hostname : target.split(':')[0]);
  const notFirefox = ff.proxy.refused.map((r) => hostOf(r.target)).filter((h) => !/(^|\.)(mozilla\.(com|net|org)|firefox\.com)$/.test(h));
  assert.deepEqual(notFirefox, []);
});

test('after the install poll: the toolbar badge counts the hot papers and one grouped notification is on the desktop', async () => {
  const [shown] = await ff.waitFor(() => (ff.notifications.length ? ff.notifications : null), { what: 'a desktop notification', timeout: 30_000 });
  // Firefox sends it to the desktop's notification server (here, ours) with the add-on's text.
  assert.match(shown.summary, /hot papers? in cs\.CV/);
  assert.match(shown.body, /Mysteries of the Universe/);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(ff.notifications.length, 1, `one grouped notification, got ${JSON.stringify(ff.notifications.map((n) => n.summary))}`);
  // And the add-on sees its own notification as shown (Firefox drops it from getAll() once closed).
  const ids = JSON.parse(await ff.evaluate(bg, 'browser.notifications.getAll().then((all) => JSON.stringify(Object.keys(all)))'));
  assert.equal(ids.length, 1);
  assert.match(ids[0], /^hp:list:\d+$/);
  const badge = await ff.evaluate(bg, 'browser.browserAction.getBadgeText({})');
  assert.match(badge, /^[1-9]\d*$/, `badge text ${JSON.stringify(badge)}`);
  assert.ok(shown.summary.startsWith(`${badge} `), `badge ${badge} and notification "${shown.summary}" count the same papers`);
});

test('the toolbar popup lists the recorded papers of the default categories; Refresh polls again with the stored ETag (304)', async () => {
  const popup = await ff.openPopup();
  const rowsOf = async () =>
    JSON.parse(
      await ff.evaluate(popup, `JSON.stringify([...document.querySelectorAll('[data-arxiv-id]')].map((e) => ({ id: e.getAttribute('data-arxiv-id'), text: e.textContent })))`),
    );
  const rows = await ff.waitFor(async () => {
    const r = await rowsOf();
    return r.length ? r : null;
  }, { what: 'rows in the popup' });
  assert.deepEqual([...new Set(rows.map((r) => r.id))].sort(), [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());
  assert.ok(rows.some((r) => r.text.includes('Mysteries of the Universe')), 'titles are shown');
  // Opening the popup marks the hot papers seen: the toolbar badge clears, as in Chromium.
  await ff.waitFor(async () => (await ff.evaluate(bg, 'browser.browserAction.getBadgeText({})')) === '', { what: 'the badge to clear' });
  // The worker keeps the preview of the first screenful in storage.session (Firefox 115+) for the next opening.
  const preview = await ff.waitFor(async () => JSON.parse(await ff.evaluate(bg, `browser.storage.session.get('popup:preview').then((r) => JSON.stringify(r['popup:preview'] ? JSON.parse(r['popup:preview']).list.items.map((v) => v.paper.id) : null))`)), { what: 'the popup preview in storage.session' });
  assert.deepEqual([...preview].sort(), [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());

  server.log.length = 0;
  assert.equal(await ff.evaluate(popup, `(() => { const b = document.querySelector('button[aria-label="Refresh"]'); b.click(); return b.tagName; })()`), 'BUTTON');
  const [feed] = await ff.waitFor(() => {
    const r = server.requests({ host: 'rss.arxiv.org' });
    return r.length && r[0].status ? r : null;
  }, { what: 'the feed request after Refresh' });
  assert.equal(feed.path, JOINED_DEFAULT);
  assert.equal(feed.ifNoneMatch, '"5a394619748bbcf7e1889101e062ed3da2732d9f2dec4fec41e00eeae195a4dc"');
  assert.equal(feed.status, 304);
  await ff.waitFor(async () => (await ff.evaluate(popup, `document.querySelector('button[aria-label="Refresh"]')?.disabled === false`)) === true, { what: 'the poll to finish' });
  assert.deepEqual([...new Set((await rowsOf()).map((r) => r.id))].sort(), [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort(), 'a 304 keeps the list');
});

test('clicking the notification opens the hot list in a tab and clears the notification', async () => {
  const [shown] = ff.notifications;
  const url = `${EXTENSION_ORIGIN}/popup.html`;
  const known = new Set(ff.addon.targets.map((t) => t.actor));
  ff.clickNotification(shown.id);
  const opened = await ff.waitFor(() => ff.addon.targets.find((t) => t.url === url && !known.has(t.actor)), { what: 'popup.html opened by the click' });
  assert.equal(await ff.evaluate(opened, 'browser.tabs.getCurrent().then((t) => t?.url ?? null)'), url, 'in a tab of its own');
  await ff.waitFor(async () => (await ff.evaluate(bg, 'browser.notifications.getAll().then((all) => Object.keys(all).length)')) === 0, { what: 'the notification to be cleared' });
});

test('content script: one badge per entry of an arXiv listing, with its id and a numeric heat; one on an abs page', async () => {
  const tab = await openArxivTab('https://arxiv.org/list/math/new');
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  const pageIds = await tab.$$eval('dl dt a[title="Abstract"]', (as) => as.map((a) => a.getAttribute('id')));
  assert.deepEqual(pageIds, MATH_NEW_IDS);
  await ff.waitFor(async () => (await tab.$$('[data-arxiv-id][data-heat]')).length >= pageIds.length, { what: 'all badges' });
  await new Promise((r) => setTimeout(r, 300));
  const badges = await tab.$$eval('[data-arxiv-id][data-heat]', (els) => els.map((e) => ({ id: e.getAttribute('data-arxiv-id'), heat: e.getAttribute('data-heat') })));
  assert.deepEqual(badges.map((b) => b.id).sort(), [...pageIds].sort(), 'one badge host per entry, nothing else');
  for (const b of badges) assert.ok(Number.isFinite(Number(b.heat)) && Number(b.heat) >= 0, `heat of ${b.id}: ${b.heat}`);
  // The page itself never talks to arXiv's API or any source: only the background does.
  assert.deepEqual(server.log.filter((e) => e.host !== 'arxiv.org' && e.origin === 'https://arxiv.org'), []);
  await tab.close();

  const abs = await openArxivTab('https://arxiv.org/abs/2103.17249');
  await abs.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await abs.$$eval('[data-arxiv-id][data-heat]', (els) => els.map((e) => e.getAttribute('data-arxiv-id'))), ['2103.17249']);
  await abs.close();
});

test('no errors or warnings from the add-on: background and popup consoles, content script in the arxiv.org tabs', async () => {
  await new Promise((r) => setTimeout(r, 300));
  const found = { addonPages: ff.extensionMessages().filter((m) => m.text !== CANARY), arxivTabs: tabErrors.filter(fromExtension) };
  assert.deepEqual(found, { addonPages: [], arxivTabs: [] });
});
