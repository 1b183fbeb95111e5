/**
 * Issue 16, "done when": with the default settings and no account, the badges of a recorded day's
 * listing (the demo day 2026-05-18: arXiv's real /list/cs.AI/new of that day and the real Hugging
 * Face reply, test/fixtures/demo-day) show alphaXiv and Bluesky-bot signals beside Hugging Face and
 * Hacker News, and the popup's status line says how many of the day's papers have a signal.
 *
 * No alphaXiv, Bluesky or Hacker News reply of that day was recorded: those three are SCENARIO data
 * in their recorded formats (test/fixtures/README.md): the real alphaXiv feed recording with two
 * cards re-keyed to the day's papers 2605.15963 and 2605.15220; the cs.LG bot feed format recording
 * as it is (its posts link the day's 2605.15220, 2605.15320, 2605.15217); the Algolia format
 * recording with its arXiv links re-pointed at 2605.15220 and 2605.15963.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const read = (name) => readFileSync(join(FIXTURES, name), 'utf8');
let server;
let session;
let report;

before(async () => {
  server = await startReplayServer({ demoDay: '2026-05-18' });
  const ax = JSON.parse(read('alphaxiv_feed_v3_2025-11-04.json'));
  ax.papers[2].universal_paper_id = '2605.15963';
  ax.papers[1].universal_paper_id = '2605.15220';
  server.addHandler('api.alphaxiv.org', '/papers/v3/feed', () => ({ body: JSON.stringify(ax) }));
  server.addHandler('public.api.bsky.app', '/xrpc/app.bsky.feed.getAuthorFeed', () => ({ body: read('bluesky_author_feed_format.json') }));
  const hn = read('hn_algolia_search_by_date_arxiv_format.json').replaceAll('2605.13301', '2605.15220').replaceAll('2605.15141', '2605.15963');
  server.addHandler('hn.algolia.com', '/api/v1/search_by_date', () => ({ body: hn }));
  session = await launchExtension({ server });
  report = await session.pollAndWait({ timeout: 120_000 });
});

after(async () => {
  await session?.close();
  await server?.close();
});

/** The page breakdown's rows (source, counts) of one paper's badge. */
async function breakdown(tab, id) {
  const host = `[data-arxiv-id="${id}"][data-heat]`;
  await tab.waitForSelector(`${host}[data-state="ok"]`, { timeout: 20_000 });
  await tab.focus(`${host} .hp-b`);
  await tab.waitForSelector(`${host} .hp-p tr`, { timeout: 10_000 });
  return tab.$$eval(`${host} .hp-p tr`, (trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
}

test('no account, default settings: every default source ran, Bluesky on its public AppView only', () => {
  for (const s of ['hf', 'alphaxiv', 'hn', 'bluesky']) assert.equal(report.sources.find((r) => r.source === s)?.state, 'ok', JSON.stringify(report.sources));
  assert.equal(server.requests({ host: 'bsky.social' }).length, 0, 'no sign-in');
  assert.ok(server.requests({ host: 'public.api.bsky.app' }).length <= 3, 'at most 3 bot feeds a poll');
  assert.ok(server.requests({ host: 'public.api.bsky.app' }).every((e) => !e.authorization));
});

test("the listing's badges show alphaXiv and Bluesky-bot signals beside Hugging Face and Hacker News", async () => {
  const tab = await session.context.newPage();
  await tab.goto('https://arxiv.org/list/cs.AI/new');
  const a = await breakdown(tab, '2605.15220');
  const names = a.map((r) => r[0]);
  for (const s of ['alphaXiv', 'Hacker News', 'Bluesky']) assert.ok(names.includes(s), `2605.15220: ${JSON.stringify(a)}`);
  // The bot's post, counted as a bot post and shown apart.
  assert.match(a.find((r) => r[0] === 'Bluesky')[1], /bot posts: 12 likes, 3 reposts/);
  const b = await breakdown(tab, '2605.15963');
  for (const s of ['Hugging Face', 'alphaXiv', 'Hacker News']) assert.ok(b.map((r) => r[0]).includes(s), `2605.15963: ${JSON.stringify(b)}`);
  assert.deepEqual(extensionErrors(session.errors).filter((e) => e.url.startsWith('https://')), []);
  await tab.close();
});

test('the popup says for how many of the day’s papers there are signals, per source', async () => {
  const popup = await session.openPopup();
  await popup.waitForSelector('.status .coverage', { timeout: 15_000 });
  const text = await popup.textContent('.status .coverage');
  assert.match(text, /^Signals for \d+ of \d+ papers today \(Hugging Face \d+, alphaXiv [1-9]\d*, Hacker News [1-9]\d*, Bluesky [1-9]\d*, Semantic Scholar 0\)$/, text);
  await popup.close();
});
