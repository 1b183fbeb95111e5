/**
 * Issue 15: X alone reproduces the "Hot Papers" digest of a day. The replay serves the real
 * announcement of Monday 2026-05-18 (203 new papers and 16 cross-lists in the default categories,
 * the demo day's derived feed) and X recent-search replies built in the recorded replies' format
 * (test/fixtures/derived/make-x-day.mjs: scenario posts, not a capture) in which eight papers
 * scattered through the feed are much talked about. With X the only source and its default budget,
 * one poll must find them from the posts and the popup and the Markdown export must list exactly
 * them first, in retweets + favorites order, with their exact counts and top posts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DERIVED, startReplayServer } from './replay-server.mjs';
import { launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
const X_TOKEN = 'x-bearer-xday-AAAAAAAAAAAAAAAAAAAA';
const read = (name) => readFileSync(join(DERIVED, name));
const EXPECTED = JSON.parse(read('x_day_2026-05-18_expected.json').toString('utf8'));

const X_ONLY = {
  version: 1,
  categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'],
  includeCrossLists: true,
  sources: {
    hf: { enabled: false, weight: 1 },
    alphaxiv: { enabled: false, weight: 1 },
    hn: { enabled: false, weight: 1 },
    bluesky: { enabled: false, weight: 1 },
    x: { enabled: true, weight: 1 },
    s2: { enabled: false, weight: 0.5 },
  },
  signalsRefreshMinutes: 30,
  hotThreshold: 10,
  notifications: { enabled: false, quietHours: null, dailyCap: 10 },
  watchlist: { papers: [], authors: [], keywords: [] },
  retentionDays: 3650,
};

/** The digest's Markdown escaping of post text (lib/export/digest.ts), for the expected quotes. */
const mdText = (s) => s.replace(/[\\`*_[\]<>#|~&]/g, (c) => `\\${c}`);
const mdLine = (line) => {
  let out = '';
  let at = 0;
  for (const m of line.matchAll(/https?:\/\/[^\s<>"'`\\]+/g)) {
    out += mdText(line.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  return out + mdText(line.slice(at));
};
function expectedQuote(top) {
  const lines = top.text.split('\n').map((l) => l.trim()).filter(Boolean).map(mdLine);
  return [...lines.map((l, i) => `> ${l}${i < lines.length - 1 ? '\\' : ''}`), '>', `> — ${top.name} (@${mdText(top.handle)}) [May 18, 2026](${top.url})`].join('\n');
}

let server;
let session;
let report;

before(async () => {
  server = await startReplayServer({ demoDay: '2026-05-18' });
  server.addHandler('api.x.com', '/2/tweets/search/recent', (pathQuery) => {
    const q = new URL(`https://api.x.com${pathQuery}`).searchParams;
    if (q.get('query') !== 'url:arxiv.org -is:retweet') return { body: '{"meta":{"result_count":0}}' };
    const page = q.get('next_token') === 'b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul' ? 2 : 1;
    return { body: read(`x_day_2026-05-18_page${page}.json`), file: `derived/x_day_2026-05-18_page${page}.json` };
  });
  session = await launchExtension({ server, grantOptionalHosts: true });
  // The install poll (default settings: X off) first; then X alone, as a new user's first X run.
  await session.pollAndWait();
  await session.setStorage({ settings: X_ONLY, credentials: { xBearer: X_TOKEN } });
  await session.ageSourceStatuses(7 * HOUR);
  server.log.length = 0;
  report = await session.pollAndWait({ timeout: 120_000 });
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('the day: over 100 papers in the followed categories, the hot ones scattered, none first', () => {
  const feed = read('../demo-day/rss_cs.LG+cs.CL+cs.CV+cs.AI+stat.ML_2026-05-18.xml').toString('utf8');
  assert.ok((feed.match(/<item>/g) ?? []).length >= 100);
  const at = EXPECTED.map((e) => e.feedPosition);
  assert.equal(EXPECTED.length, 8);
  assert.ok(at.every((p) => p > 0), `hot papers at feed positions ${at.join(', ')}`);
  assert.ok(Math.max(...at) - Math.min(...at) > 100, 'spread through the feed');
  assert.notDeepEqual([...at].sort((a, b) => a - b), at, 'not in feed order');
});

test('X found them from the posts: a discovery search since the announcement, paged with next_token, within the default budget', async () => {
  const x = server.requests({ host: 'api.x.com' });
  assert.equal(x.length, 2, x.map((e) => e.path).join('\n'));
  const [first, second] = x.map((e) => new URL(`https://api.x.com${e.path}`).searchParams);
  assert.equal(first.get('query'), 'url:arxiv.org -is:retweet');
  assert.equal(first.get('sort_order'), 'relevancy');
  assert.equal(first.get('max_results'), '50');
  assert.ok(first.get('start_time'), 'start_time is set');
  assert.equal(second.get('next_token'), 'b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul');
  assert.equal(second.get('max_results'), '20');
  assert.ok(x.every((e) => e.authorization));
  const status = report.sources.find((s) => s.source === 'x');
  assert.equal(status.state, 'ok', JSON.stringify(status));
  const state = await session.pollState();
  const usage = state.sources.find((s) => s.source === 'x').usage;
  assert.deepEqual({ posts: usage.posts, requests: usage.requests, budget: usage.budget }, { posts: 50, requests: 2, budget: 200 });
  // The post about a paper the cache did not hold sent its id to the arXiv API (the page-lookup path).
  const api = server.requests({ host: 'export.arxiv.org' });
  assert.ok(api.some((e) => /id_list=[^&]*1706\.03762/.test(e.path)), api.map((e) => e.path).join('\n'));
});

test('the Markdown export starts with exactly the hot papers, in retweets + favorites order, with exact counts and top posts', async () => {
  const reply = await session.sendMessage('export:build', { format: 'markdown', view: 'today' });
  assert.ok(reply.ok, JSON.stringify(reply));
  const md = reply.value.text;
  const entries = md.split(/\n(?=# \d+\. )/).slice(1);
  assert.ok(entries.length >= 100, `${entries.length} entries`);
  EXPECTED.forEach((e, i) => {
    const entry = entries[i];
    assert.ok(entry.startsWith(`# ${i + 1}. ${e.title}\n`), `entry ${i + 1}: ${entry.slice(0, 120)}`);
    assert.match(entry, new RegExp(`\\n- retweets: ${e.retweets}, favorites: ${e.favorites} \\(`), `counts of ${e.id}`);
    assert.ok(entry.includes(`[abs](https://arxiv.org/abs/${e.id})`));
    assert.ok(entry.includes(`\n${expectedQuote(e.top)}\n`), `top post of ${e.id}:\n${entry.slice(entry.indexOf('\n>') + 1)}`);
  });
  // The ninth paper is one of the small talk (at most 3 + 6), not a hot one.
  const ninth = /- retweets: (\d+), favorites: (\d+)/.exec(entries[8]);
  assert.ok(Number(ninth[1]) + Number(ninth[2]) <= 9, entries[8].slice(0, 200));
  assert.doesNotMatch(md, /<blockquote|<script|platform\.twitter\.com/);
});

test('the popup lists the same papers first, shows the top posts with counts and the budget used', async () => {
  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 20_000 });
  const ids = await popup.locator('[data-arxiv-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-arxiv-id')));
  assert.deepEqual([...new Set(ids)].slice(0, 8), EXPECTED.map((e) => e.id));
  const xLine = await popup
    .locator('.sources li')
    .filter({ has: popup.locator('.source-name', { hasText: /^X$/ }) })
    .innerText();
  assert.match(xLine, /50 of 200 posts today \(≈ \$0\.25\)/);
  // The first paper's breakdown: its three posts, top first, with their counts, linked to x.com.
  const first = popup.locator(`[data-arxiv-id="${EXPECTED[0].id}"]`).first();
  await first.locator('button.expand').click();
  const posts = first.locator('.discussion.src-x li.top-post');
  await posts.first().waitFor({ timeout: 10_000 });
  assert.equal(await posts.count(), EXPECTED[0].posts);
  const top = posts.first();
  assert.equal(await top.locator('a').getAttribute('href'), EXPECTED[0].top.url);
  assert.equal(await top.locator('a').innerText(), `@${EXPECTED[0].top.handle}`);
  assert.equal(await top.locator('.post-counts').innerText(), '40 retweets, 120 likes');
  await popup.close();
});

test('once the day\'s budget is spent, no X request goes out and the status line says so', async () => {
  // 50 posts read today: a budget of 50 is spent.
  await session.setStorage({ settings: { ...X_ONLY, xDailyPosts: 50 } });
  await session.ageSourceStatuses(7 * HOUR);
  server.log.length = 0;
  await session.pollAndWait({ timeout: 120_000 });
  assert.equal(server.requests({ host: 'api.x.com' }).length, 0, 'no X request');
  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 20_000 });
  const xLine = await popup
    .locator('.sources li')
    .filter({ has: popup.locator('.source-name', { hasText: /^X$/ }) })
    .innerText();
  assert.match(xLine, /today's budget is spent \(50 of 50 posts\): no more X requests until 00:00 UTC/);
  // The counts found earlier stay.
  const ids = await popup.locator('[data-arxiv-id]').evaluateAll((els) => els.map((el) => el.getAttribute('data-arxiv-id')));
  assert.deepEqual([...new Set(ids)].slice(0, 8), EXPECTED.map((e) => e.id));
  await popup.close();
});
