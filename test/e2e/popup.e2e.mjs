/* global chrome, document, getComputedStyle, performance -- evaluated in the popup and the helper page */
/**
 * Issue 5, the popup in a real browser on recorded data: what a reader sees after the install
 * poll — the ranked rows with their links, the three tabs, search and category filters, the status
 * line and Refresh, keyboard opening, and readable light and dark themes.
 *
 * The settings add cs.IT to the default categories so Today holds all three papers of the recorded
 * joined feed: two cs.CV cross-lists that share a title ("Mysteries of the Universe") and one cs.IT
 * paper with its own title, so search and chips have something to tell apart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML', 'cs.IT'];

let server;
let session;
/** 'hotlist:get' Today after the polls: what the worker ranks. */
let today;

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server });
  await session.pollAndWait();
  const settings = await session.getStorage('settings');
  const since = Date.now();
  await session.setStorage({ settings: { ...(settings ?? {}), version: 1, categories: CATEGORIES } });
  // New categories mean a new joined feed URL: the worker polls it by itself; wait for that poll.
  await session.waitFor(
    async () => {
      const st = await session.pollState();
      return !st.running && st.lastPoll?.finishedAt >= since && st.lastPoll.feeds.some((f) => f.feed.includes('cs.IT'));
    },
    { timeout: 60_000, what: 'the poll of the new categories' },
  );
  const r = await session.sendMessage('hotlist:get', { view: 'today', limit: 200 });
  assert.ok(r?.ok, `hotlist:get: ${JSON.stringify(r)}`);
  today = r.value;
});

after(async () => {
  await session?.close();
  await server?.close();
});

async function openPopup() {
  const popup = await session.openPopup();
  await popup.locator('[data-arxiv-id]').first().waitFor({ timeout: 15_000 });
  return popup;
}

/** Ids of the rows on screen, top to bottom. */
const rowIds = (popup) => popup.locator('[data-arxiv-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-arxiv-id')));
/** Waits until the rows on screen are exactly `ids` (filters may apply after a round trip). */
async function expectRows(popup, ids, what) {
  let shown;
  try {
    await session.waitFor(async () => JSON.stringify((shown = await rowIds(popup))) === JSON.stringify(ids), { timeout: 10_000, what });
  } catch {
    assert.deepEqual(shown, ids, what);
  }
}
const row = (popup, id) => popup.locator(`[data-arxiv-id="${id}"]`);
const tab = (popup, name) => popup.getByRole('tab', { name, exact: true });
const paperOf = (id) => today.items.find((v) => v.paper.id === id).paper;

test('Today lists every recorded paper of the categories, hottest first, as the worker ranks them', async () => {
  const ids = today.items.map((v) => v.paper.id);
  assert.deepEqual([...ids].sort(), [...FEED_IDS].sort(), 'all three feed papers are in Today');
  const heats = today.items.map((v) => v.heat);
  assert.deepEqual(heats, [...heats].sort((a, b) => b - a), `the worker ranks Today by heat: ${heats}`);
  // The recorded engagement makes 2310.16646 (HF 84, HN 58, 2185 citations) clearly the hottest.
  assert.equal(ids[0], '2310.16646');
  assert.ok(heats[0] > heats[1], `a clear leader: ${heats}`);

  const popup = await openPopup();
  await expectRows(popup, ids, 'the rows in the worker’s order');
  assert.equal(await tab(popup, 'Today').getAttribute('aria-selected'), 'true');
  // The heat a reader sees, row by row, never goes up.
  const shownHeats = [];
  for (const id of ids) {
    const label = await row(popup, id).getByRole('img', { name: /^Heat [\d.]+(;|$)/ }).getAttribute('aria-label');
    shownHeats.push(Number(/^Heat ([\d.]+)/.exec(label)[1]));
  }
  for (let i = 1; i < shownHeats.length; i++) assert.ok(shownHeats[i] <= shownHeats[i - 1], `shown heats non-increasing: ${shownHeats}`);
  assert.ok(shownHeats[0] > shownHeats[1], `the leader's heat is higher: ${shownHeats}`);
  // Each row says its rank and title.
  assert.equal(await row(popup, ids[0]).getAttribute('aria-label'), `1. ${paperOf(ids[0]).title}`);
  await popup.close();
});

test('each row links its title to the abs page, its PDF, and its Hugging Face and Hacker News discussions', async () => {
  const popup = await openPopup();
  for (const v of today.items) {
    const { id, title } = v.paper;
    const r = row(popup, id);
    assert.equal(await r.getByRole('link', { name: title, exact: true }).getAttribute('href'), `https://arxiv.org/abs/${id}`, `${id} title`);
    assert.equal(await r.getByRole('link', { name: `PDF of ${title}` }).getAttribute('href'), `https://arxiv.org/pdf/${id}`, `${id} PDF`);
    for (const [source, name, host] of [
      ['hf', `Hugging Face page of ${title}`, 'huggingface.co'],
      ['hn', `Hacker News discussion of ${title}`, 'news.ycombinator.com'],
    ]) {
      const link = r.getByRole('link', { name, exact: true });
      const recorded = v.parts.find((p) => p.source === source)?.links[0]?.url;
      if (!recorded) {
        assert.equal(await link.count(), 0, `${id}: no ${source} link without a discussion`);
        continue;
      }
      const href = await link.getAttribute('href');
      assert.equal(href, recorded, `${id} ${source} link`);
      assert.equal(new URL(href).host, host);
    }
  }
  // The recorded HF and HN replies discuss the two cs.CV papers: their links are on screen.
  assert.equal(await row(popup, '2310.16646').getByRole('link', { name: /^Hugging Face page of / }).count(), 1);
  assert.equal(await row(popup, '2310.16646').getByRole('link', { name: /^Hacker News discussion of / }).count(), 1);
  await popup.close();
});

test('tabs switch between Today, This week and Watchlist; a watched paper shows up in Watchlist', async () => {
  const popup = await openPopup();
  const ids = today.items.map((v) => v.paper.id);
  await tab(popup, 'This week').click();
  assert.equal(await tab(popup, 'This week').getAttribute('aria-selected'), 'true');
  assert.equal(await tab(popup, 'Today').getAttribute('aria-selected'), 'false');
  const week = await session.sendMessage('hotlist:get', { view: 'week', limit: 200 });
  await expectRows(popup, week.value.items.map((v) => v.paper.id), 'This week’s rows');

  await tab(popup, 'Watchlist').click();
  assert.equal(await tab(popup, 'Watchlist').getAttribute('aria-selected'), 'true');
  await popup.getByText('Your watchlist is empty').waitFor({ timeout: 10_000 });
  assert.deepEqual(await rowIds(popup), []);

  // Watch the second paper of Today from its details.
  const watched = ids[1];
  await tab(popup, 'Today').click();
  await expectRows(popup, ids, 'Today again');
  await row(popup, watched).getByRole('button', { name: 'More' }).click();
  const watch = row(popup, watched).getByRole('button', { name: 'Watch', exact: true });
  assert.equal(await watch.getAttribute('aria-pressed'), 'false');
  await watch.click();
  await row(popup, watched).getByRole('button', { name: 'Unwatch', exact: true }).waitFor({ timeout: 10_000 });
  assert.deepEqual((await session.getStorage('settings')).watchlist.papers, [watched]);

  await tab(popup, 'Watchlist').click();
  await expectRows(popup, [watched], 'the watched paper in Watchlist');
  assert.equal(await popup.getByText('Your watchlist is empty').count(), 0);
  await popup.close();

  // A popup opened later still shows it there.
  const again = await session.openPopup();
  await again.locator('[data-arxiv-id]').first().waitFor({ timeout: 15_000 });
  await tab(again, 'Watchlist').click();
  await expectRows(again, [watched], 'Watchlist in a new popup');
  await again.close();
});

test('the search box filters by part of a title; a category chip filters by category', async () => {
  const popup = await openPopup();
  const ids = today.items.map((v) => v.paper.id);
  const other = today.items.find((v) => !/Mysteries/.test(v.paper.title)).paper;
  const search = popup.getByRole('searchbox', { name: 'Search titles and authors' });

  await search.fill('mysteries of the');
  await expectRows(popup, ids.filter((id) => paperOf(id).title === 'Mysteries of the Universe'), 'rows matching "mysteries of the"');
  const word = other.title.split(/\s+/).find((w) => w.length > 5).toLowerCase();
  await search.fill(word);
  await expectRows(popup, ids.filter((id) => paperOf(id).title.toLowerCase().includes(word) || paperOf(id).authors.some((a) => a.toLowerCase().includes(word))), `rows matching "${word}"`);
  assert.ok((await rowIds(popup)).includes(other.id));
  await search.fill('zzzz no such paper');
  await expectRows(popup, [], 'no rows for a search that matches nothing');
  await popup.getByText('No papers match').waitFor({ timeout: 10_000 });
  await search.fill('');
  await expectRows(popup, ids, 'all rows once the search is cleared');

  const chips = popup.getByRole('group', { name: 'Filter by category' });
  await chips.getByRole('button', { name: 'cs.IT', exact: true }).click();
  assert.equal(await chips.getByRole('button', { name: 'cs.IT', exact: true }).getAttribute('aria-pressed'), 'true');
  await expectRows(popup, ids.filter((id) => paperOf(id).categories.includes('cs.IT')), 'rows in cs.IT');
  assert.deepEqual(await rowIds(popup), [other.id]);
  await chips.getByRole('button', { name: 'All', exact: true }).click();
  await expectRows(popup, ids, 'all rows with the chip cleared');
  await popup.close();
});

test('the status line shows the last poll and each source; Refresh runs a new poll and the list stays', async () => {
  const popup = await openPopup();
  const ids = today.items.map((v) => v.paper.id);
  const before = await session.pollState();
  const status = popup.getByRole('region', { name: 'Status' });
  const lastPollText = (finishedAt) => popup.evaluate((t) => `Last poll: ${new Date(t).toLocaleString([], { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`, finishedAt);
  await status.getByText(await lastPollText(before.lastPoll.finishedAt), { exact: true }).waitFor({ timeout: 10_000 });
  const sources = await status.getByRole('list', { name: /source/i }).getByRole('listitem').allTextContents();
  // Recorded replies for HF, HN and S2; Bluesky is on by default but has no account; X is off.
  assert.deepEqual(sources, ['Hugging Face: ok', 'alphaXiv: ok', 'Hacker News: ok', 'Bluesky: ok', 'Semantic Scholar: ok']);

  const clicked = Date.now();
  await popup.getByRole('button', { name: 'Refresh', exact: true }).click();
  const report = await session.waitFor(
    async () => {
      const st = await session.pollState();
      return !st.running && st.lastPoll && st.lastPoll.startedAt >= clicked - 1000 && st.lastPoll.finishedAt > before.lastPoll.finishedAt ? st.lastPoll : null;
    },
    { timeout: 60_000, what: 'a new poll report after Refresh' },
  );
  assert.equal(report.reason, 'user');
  await session.waitFor(async () => !(await popup.getByRole('button', { name: 'Refresh', exact: true }).isDisabled()), { what: 'Refresh to be enabled again' });
  await status.getByText(await lastPollText(report.finishedAt), { exact: true }).waitFor({ timeout: 10_000 });
  await expectRows(popup, ids, 'the same rows after Refresh');
  assert.equal(await status.getByText(/failed/i).count(), 0, 'no refresh error shown');
  await popup.close();
});

test('keyboard: ↓ from the search box walks the rows, Enter opens the focused paper’s abs page in a new tab', async () => {
  const popup = await openPopup();
  const ids = today.items.map((v) => v.paper.id);
  await popup.getByRole('searchbox', { name: 'Search titles and authors' }).focus();
  await popup.keyboard.press('ArrowDown');
  await session.waitFor(async () => (await popup.evaluate(() => document.activeElement?.getAttribute('data-arxiv-id'))) === ids[0], { what: 'focus on the first row' });
  await popup.keyboard.press('ArrowDown');
  await session.waitFor(async () => (await popup.evaluate(() => document.activeElement?.getAttribute('data-arxiv-id'))) === ids[1], { what: 'focus on the second row' });
  const opened = session.context.waitForEvent('page', { timeout: 15_000 });
  await popup.keyboard.press('Enter');
  const tabPage = await opened;
  await tabPage.waitForURL(`https://arxiv.org/abs/${ids[1]}`, { timeout: 15_000, waitUntil: 'commit' });
  assert.ok(!popup.isClosed(), 'the popup tab stays');
  await tabPage.close();
  await popup.close();
});

/** The effective colours of the first row's title: its text and what is painted behind it (sRGB 0–255). */
function titleColors(popup) {
  return popup.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const toRgba = (css) => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      return [...ctx.getImageData(0, 0, 1, 1).data];
    };
    const title = document.querySelector('[data-arxiv-id] a[href*="/abs/"]');
    const chain = [];
    for (let el = title; el; el = el.parentElement) chain.unshift(getComputedStyle(el).backgroundColor);
    // Paint the backgrounds outermost first, then the text colour over them: the canvas blends.
    ctx.clearRect(0, 0, 1, 1);
    const paint = (css) => {
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
    };
    for (const bg of chain) paint(bg);
    const background = [...ctx.getImageData(0, 0, 1, 1).data];
    paint(getComputedStyle(title).color);
    const text = [...ctx.getImageData(0, 0, 1, 1).data];
    return { body: toRgba(getComputedStyle(document.body).backgroundColor), background, text };
  });
}

function contrast(a, b) {
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

test('light and dark themes: the background follows the system scheme and titles stay readable', async () => {
  const popup = await openPopup();
  await popup.emulateMedia({ colorScheme: 'light' });
  const light = await titleColors(popup);
  await popup.emulateMedia({ colorScheme: 'dark' });
  const dark = await titleColors(popup);
  assert.equal(light.body[3], 255, 'the light body background is opaque');
  assert.equal(dark.body[3], 255, 'the dark body background is opaque');
  assert.notDeepEqual(dark.body, light.body, 'dark mode changes the background');
  const bright = (c) => c[0] + c[1] + c[2];
  assert.ok(bright(dark.body) < bright(light.body), `the dark background is darker: ${dark.body} vs ${light.body}`);
  for (const [name, c] of [['light', light], ['dark', dark]]) {
    const ratio = contrast(c.text, c.background);
    assert.ok(ratio >= 4.5, `${name}: title contrast ${ratio.toFixed(2)} (text ${c.text}, background ${c.background})`);
  }
  await popup.close();
});

test("a second opening paints the worker's preview from storage.session: the rows of its answer, kept fresh by each poll", async () => {
  const readPreview = async () => (await session.helper()).evaluate(() => chrome.storage.session.get('popup:preview').then((r) => (r['popup:preview'] ? JSON.parse(r['popup:preview']) : undefined)));
  const ids = today.items.map((v) => v.paper.id);
  const first = await openPopup();
  await expectRows(first, ids, 'the first opening');
  // Its 'popup:seen' writes the preview again without the "new" marks.
  await session.waitFor(async () => (await readPreview())?.list?.items?.every((v) => !v.isNew), { timeout: 10_000, what: 'the preview after popup:seen' });
  await first.close();
  const stored = await readPreview();
  assert.equal(stored.v, 2, 'the preview is kept as JSON text (version 2)');
  assert.deepEqual(stored.list.items.map((v) => v.paper.id), ids.slice(0, 8), 'the preview holds the first screenful of Today, in rank order');

  const second = await openPopup();
  // The app loads once the boot script's frame is on screen: its marks come after the first rows.
  await second.waitForFunction(() => ['hp:rows', 'hp:app-start', 'hp:data'].every((n) => performance.getEntriesByName(n).length > 0), null, { timeout: 15_000 });
  const marks = await second.evaluate(() => Object.fromEntries(['hp:preview', 'hp:data', 'hp:rows', 'hp:request', 'hp:app-start'].map((n) => [n, performance.getEntriesByName(n)[0]?.startTime ?? null])));
  assert.ok(marks['hp:preview'] !== null, `the second opening took the preview: ${JSON.stringify(marks)}`);
  // Issue 17: the boot script painted the preview's rows before the Preact bundle ran, and the app
  // took them over; the worker was asked, and the app loaded, only once that frame was on screen.
  assert.ok(marks['hp:request'] >= marks['hp:rows'] && marks['hp:app-start'] >= marks['hp:rows'], `the request and the app came after the painted frame: ${JSON.stringify(marks)}`);
  const painted = await second.evaluate(() => performance.getEntriesByName('hp:rows')[0].detail);
  assert.equal(painted?.by, 'boot', `the second opening's first rows were painted by the boot script: ${JSON.stringify(painted)}`);
  assert.deepEqual(painted.ids, ids.slice(0, 8), "the boot script painted the preview's rows");
  await expectRows(second, ids, 'the second opening');
  await second.close();

  const report = await session.pollAndWait();
  await session.waitFor(async () => (await readPreview())?.list?.lastPoll?.finishedAt === report.finishedAt, { timeout: 10_000, what: 'the preview written again after the poll' });
});

test('no errors in the extension’s pages', () => {
  assert.deepEqual(extensionErrors(session.errors).filter((e) => e.url.startsWith('chrome-extension://')), []);
});
