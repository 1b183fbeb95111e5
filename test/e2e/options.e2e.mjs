/**
 * Issue 5, the options page in a real browser: settings typed into the page are saved, exported as
 * a file the browser downloads, and come back (in the page and in storage.local) when that file is
 * imported after the user changed everything again. Files that are not a settings export are
 * refused with a message saying why, and leave the settings as they were.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const S2_KEY = 's2-key-E2E-options-0123456789';

let server;
let session;
let page;
/** The downloaded export of the first test, used by the next ones. */
let exportedPath;
let exportedText;

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server });
  // Let the install poll finish first: it reads settings, and the page's changes below start
  // another one (categories changed) that should not overlap it.
  await session.pollAndWait();
  await session.setStorage({ credentials: { s2Key: S2_KEY } });
  page = await session.openExtensionPage('options.html');
  await page.getByRole('heading', { name: 'Hot Papers for arXiv — Settings' }).waitFor({ timeout: 15_000 });
});

after(async () => {
  await session?.close();
  await server?.close();
});

const categories = () => page.getByLabel('Categories', { exact: true });
const threshold = () => page.getByLabel('Hot threshold', { exact: true });
const authors = () => page.getByLabel('Authors', { exact: true });
const picker = () => page.getByLabel('Import settings…');
/** The Data section's message line (import results and errors). */
const dataMessage = () => page.getByRole('group', { name: 'Data' }).getByRole('status');

/** Types into the three fields, then waits until storage.local holds what was typed. */
async function typeSettings({ cats, hot, author }) {
  await categories().fill(cats);
  await threshold().fill(String(hot));
  await authors().fill(author);
  const want = cats.split(',').map((c) => c.trim());
  return session.waitFor(
    async () => {
      const s = await session.getStorage('settings');
      return s && JSON.stringify(s.categories) === JSON.stringify(want) && s.hotThreshold === hot && s.watchlist.authors.join() === author ? s : null;
    },
    { what: `settings ${cats} / ${hot} / ${author} to be saved` },
  );
}

async function shownValues() {
  return { cats: await categories().inputValue(), hot: await threshold().inputValue(), author: await authors().inputValue() };
}

test('settings typed into the page are saved and exported as a downloaded file without credentials', async () => {
  const saved = await typeSettings({ cats: 'cs.CL, q-bio.NC', hot: 25, author: 'Yoshua Bengio' });
  assert.equal(await page.getByText('Settings saved.').count(), 1, 'the page says it saved');

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.getByRole('button', { name: 'Export settings' }).click()]);
  assert.equal(download.suggestedFilename(), 'hot-papers-settings.json');
  exportedPath = await download.path();
  exportedText = readFileSync(exportedPath, 'utf8');
  const doc = JSON.parse(exportedText);
  assert.equal(doc.format, 'hot-papers-settings');
  assert.equal(doc.version, 2, 'settings version 2 (issue 21 added For you)');
  assert.deepEqual(doc.settings, saved, 'the file holds exactly the saved settings');
  assert.deepEqual(doc.settings.categories, ['cs.CL', 'q-bio.NC']);
  assert.equal(doc.settings.hotThreshold, 25);
  assert.deepEqual(doc.settings.watchlist.authors, ['Yoshua Bengio']);
  assert.ok(!exportedText.includes(S2_KEY), 'the stored Semantic Scholar key is not in the export');
});

test('importing the exported file after changing everything brings the settings back, in the page and in storage', async () => {
  assert.ok(exportedPath, 'the export test ran');
  await typeSettings({ cats: 'cs.AI', hot: 40, author: 'Geoffrey Hinton' });

  await picker().setInputFiles(exportedPath);
  await dataMessage().filter({ hasText: 'Settings imported.' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(await shownValues(), { cats: 'cs.CL, q-bio.NC', hot: '25', author: 'Yoshua Bengio' });
  const stored = await session.waitFor(async () => {
    const s = await session.getStorage('settings');
    return s?.hotThreshold === 25 ? s : null;
  }, { what: 'the imported settings in storage.local' });
  assert.deepEqual(stored, JSON.parse(exportedText).settings);
  assert.equal(await page.getByRole('alert').filter({ hasText: 'invalid' }).count(), 0, 'no problems listed');
  // The credential stays where it was: importing settings does not touch it.
  assert.deepEqual(await session.getStorage('credentials'), { s2Key: S2_KEY });

  // A freshly opened options page reads them back from storage.
  const again = await session.openExtensionPage('options.html');
  await again.getByLabel('Categories', { exact: true }).waitFor({ timeout: 15_000 });
  assert.equal(await again.getByLabel('Categories', { exact: true }).inputValue(), 'cs.CL, q-bio.NC');
  assert.equal(await again.getByLabel('Hot threshold', { exact: true }).inputValue(), '25');
  assert.equal(await again.getByLabel('Authors', { exact: true }).inputValue(), 'Yoshua Bengio');
  await again.close();
});

test('a file that is not a settings export is refused with the reason, and changes nothing', async () => {
  const before = await session.getStorage('settings');
  const shown = await shownValues();
  const newer = JSON.parse(exportedText ?? '{"format":"hot-papers-settings","settings":{}}');
  newer.version = 9;
  newer.settings.hotThreshold = 99;
  const cases = [
    ['notes.json', 'categories = cs.LG\n', 'This file is not JSON. Choose a file exported from Hot Papers settings.'],
    ['other.json', JSON.stringify({ format: 'zotero-prefs', settings: { hotThreshold: 99 } }), 'This JSON file is not a Hot Papers settings export.'],
    ['newer.json', JSON.stringify(newer), 'The settings file is from a newer version of the extension (format 9); update the extension first.'],
  ];
  for (const [name, text, reason] of cases) {
    await picker().setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await dataMessage().filter({ hasText: reason }).waitFor({ timeout: 15_000 });
    assert.deepEqual(await shownValues(), shown, `${name}: the form is unchanged`);
    assert.deepEqual(await session.getStorage('settings'), before, `${name}: storage is unchanged`);
  }
  // Importing the good file again still works after the refusals (the picker was reset each time).
  await picker().setInputFiles(exportedPath);
  await dataMessage().filter({ hasText: 'Settings imported.' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(extensionErrors(session.errors), []);
});
