/* global document -- evaluated in the popup */
/**
 * Issue 3's vertical slice in a real browser: install → first poll → IndexedDB filled → the popup
 * lists the recorded papers. Then a second poll is a conditional request that writes nothing twice.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS, startReplayServer } from './replay-server.mjs';
import { launchExtension, unexpectedErrors } from './harness.mjs';

const DEFAULT_CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'];
const JOINED_DEFAULT = '/rss/cs.LG+cs.CL+cs.CV+cs.AI+stat.ML';

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

const paperIds = (db) => (db?.papers ?? []).map((r) => r.value.id).sort();

test('install polls arXiv once, with all default categories joined in one feed request', async () => {
  const db = await session.waitFor(
    async () => {
      const d = await session.readDb(['papers', 'listings', 'meta']);
      return d && FEED_IDS.every((id) => paperIds(d).includes(id)) ? d : null;
    },
    { what: 'the install poll to fill IndexedDB', timeout: 30_000 },
  );
  assert.deepEqual(paperIds(db), [...FEED_IDS].sort());
  const feeds = server.requests({ host: 'rss.arxiv.org' });
  assert.ok(feeds.length >= 1, 'a feed was requested');
  assert.ok(feeds.every((e) => e.path === JOINED_DEFAULT), `one joined request, got ${feeds.map((e) => e.path)}`);
  // The paper's fields come from the recorded feed, not from thin air.
  const mysteries = db.papers.find((r) => r.value.id === '2310.16646').value;
  assert.equal(mysteries.title, 'Mysteries of the Universe');
  assert.ok(mysteries.categories.includes('cs.CV'));
  assert.ok(db.listings.length > 0, 'listing rows were written');
});

test('the popup lists the recorded papers of the default categories, with titles and the Refresh button', async () => {
  const db = await session.readDb(['papers']);
  const expected = db.papers
    .map((r) => r.value)
    .filter((p) => p.categories.some((c) => DEFAULT_CATEGORIES.includes(c)))
    .map((p) => p.id)
    .sort();
  assert.ok(expected.length >= 2, 'the recorded feed has papers in the default categories');

  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
  const rows = await popup.$$eval('[data-arxiv-id]', (els) => els.map((e) => ({ id: e.getAttribute('data-arxiv-id'), text: e.textContent })));
  const ids = [...new Set(rows.map((r) => r.id))].sort();
  assert.deepEqual(ids, expected);
  assert.ok(rows.some((r) => r.text.includes('Mysteries of the Universe')), 'titles are shown');
  const refresh = popup.getByRole('button', { name: 'Refresh' });
  assert.equal(await refresh.count(), 1);
  const links = await popup.$$eval('[data-arxiv-id] a[href*="/abs/"]', (els) => els.map((a) => a.getAttribute('href')));
  assert.ok(links.some((h) => h === 'https://arxiv.org/abs/2310.16646'), `title links to the abs page, got ${links.slice(0, 4)}`);
  assert.deepEqual(unexpectedErrors(session.errors), []);
  await popup.close();
});

test('Refresh polls again with the stored ETag: 304, nothing written twice', async () => {
  const before = await session.readDb(['papers', 'listings']);
  server.log.length = 0;
  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
  await popup.getByRole('button', { name: 'Refresh' }).click();
  await session.waitFor(() => server.requests({ host: 'rss.arxiv.org' }).length > 0, { what: 'the feed request' });
  const [feed] = server.requests({ host: 'rss.arxiv.org' });
  assert.equal(feed.path, JOINED_DEFAULT);
  assert.equal(feed.ifNoneMatch, '"5a394619748bbcf7e1889101e062ed3da2732d9f2dec4fec41e00eeae195a4dc"');
  assert.equal(feed.status, 304);
  await session.waitFor(async () => !(await popup.getByRole('button', { name: 'Refresh' }).isDisabled()), { what: 'the poll to finish' });
  const after = await session.readDb(['papers', 'listings']);
  assert.equal(after.papers.length, before.papers.length);
  assert.equal(after.listings.length, before.listings.length);
  assert.deepEqual(await popup.$$eval('[data-arxiv-id]', (els) => els.length > 0), true);
  assert.equal(await popup.evaluate(() => document.body.textContent.includes('Mysteries of the Universe')), true);
  await popup.close();
});
