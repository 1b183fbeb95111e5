/* global document -- evaluated in the popup, the options page and arxiv.org tabs */
/**
 * Issue 18, languages: Chromium started in German (--lang=de) shows the extension in German — the
 * popup, the options page and the toolbar and badges on an arXiv listing come from
 * _locales/de/messages.json, the pages say lang="de", and no English sentence of ours is left.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension, ROOT } from './harness.mjs';

const read = (lang) => JSON.parse(readFileSync(join(ROOT, 'public', '_locales', lang, 'messages.json'), 'utf8'));
const EN = read('en');
const DE = read('de');
/** English sentences of ours (two words or more, no substitution) that German says differently. */
const ENGLISH = Object.entries(EN)
  .filter(([key, e]) => !/\$/.test(e.message) && /[a-z]{2,}\s+[a-z]{2,}/i.test(e.message) && DE[key].message !== e.message)
  .map(([, e]) => e.message);

let server;
let session;

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server, lang: 'de' });
  await session.pollAndWait();
});

after(async () => {
  await session?.close();
  await server?.close();
});

/** Our English sentences found in `text`. */
const leftInEnglish = (text) => ENGLISH.filter((m) => text.includes(m));

test('the popup is in German', async () => {
  const popup = await session.openPopup();
  await popup.locator('[data-arxiv-id]').first().waitFor({ timeout: 15_000 });
  assert.equal(await popup.evaluate(() => document.documentElement.lang), 'de');
  await popup.getByRole('button', { name: DE.refresh.message, exact: true }).waitFor({ timeout: 5_000 });
  for (const tab of ['tab_today', 'tab_week', 'tab_watchlist']) await popup.getByRole('tab', { name: DE[tab].message }).waitFor({ timeout: 5_000 });
  assert.equal(await popup.getByPlaceholder(DE.searchPlaceholder.message).count(), 1);
  const text = await popup.evaluate(() => document.body.innerText + [...document.querySelectorAll('[aria-label],[title]')].map((e) => `${e.getAttribute('aria-label')} ${e.getAttribute('title')}`).join(' '));
  assert.deepEqual(leftInEnglish(text), []);
  await popup.close();
});

test('the options page is in German', async () => {
  const page = await session.openExtensionPage('options.html');
  await page.getByText(DE.optCategories.message, { exact: true }).waitFor({ timeout: 15_000 });
  assert.equal(await page.title(), DE.optTitle.message);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'de');
  for (const key of ['optSources', 'optNotifications', 'optWatchlist', 'optExportSettings']) assert.ok(await page.getByText(DE[key].message, { exact: true }).count(), key);
  assert.deepEqual(leftInEnglish(await page.evaluate(() => document.body.innerText)), []);
  await page.close();
});

test('the toolbar and badges on an arXiv listing are in German', async () => {
  const tab = await session.context.newPage();
  await tab.goto('https://arxiv.org/list/math/new');
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  await tab.getByText(DE.pageSort.message, { exact: true }).waitFor({ timeout: 10_000 });
  // On arXiv's English page, our words say they are German (screen readers read them so).
  assert.deepEqual([...new Set(await tab.$$eval('[data-arxiv-id][data-heat], .hp-tb', (els) => els.map((e) => e.getAttribute('lang'))))], ['de']);
  const labels = await tab.$$eval('[data-arxiv-id] [aria-label]', (els) => els.map((e) => e.getAttribute('aria-label')));
  assert.ok(labels.length > 0);
  // Every badge and star speaks German: "Hitze 12, warm. Details anzeigen", "… zur Merkliste hinzufügen".
  const german = [DE.pageBadgeLoading, DE.pageBadgeNoData, DE.pageBadgeNoSignal].map((e) => e.message);
  for (const l of labels) assert.ok(german.includes(l) || /Details anzeigen$|Merkliste/.test(l), l);
  assert.deepEqual(extensionErrors(session.errors), []);
  await tab.close();
});
