/**
 * Issue 6, "arXiv API 429: backs off, nothing lost": ids met on a page are looked up with arXiv's
 * API; a 429 with Retry-After pushes every later API request past that time (persisted, shared by
 * all callers), and the ids stay pending, so the next lookup asks for them again.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const PAGE = 'https://arxiv.org/list/math/new';
const PAGE_IDS = ['0906.3421', '0704.0046', '0806.4129', '0906.4150', 'math/0510544', '0704.0248'];
const RETRY_AFTER_S = 20;
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

const idsIn = (path) => PAGE_IDS.filter((id) => decodeURIComponent(path).includes(id));

test('a 429 from the API: one request, then nothing until Retry-After; the same ids are asked again afterwards', async () => {
  server.setScenario('export.arxiv.org', '429', { retryAfter: RETRY_AFTER_S });
  server.log.length = 0;
  const tab = await session.context.newPage();
  await tab.goto(PAGE);
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  await session.waitFor(() => server.requests({ host: 'export.arxiv.org' }).length >= 1, { what: 'the API lookup' });
  const [first] = server.requests({ host: 'export.arxiv.org' });
  assert.equal(first.status, 429);
  assert.deepEqual(idsIn(first.path), PAGE_IDS, 'all ids of the page in one batch');

  // Another page asking for the same ids inside the Retry-After window must not reach arXiv.
  server.setScenario('export.arxiv.org', 'normal');
  const again = await session.context.newPage();
  await again.goto(PAGE);
  await again.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  await again.waitForTimeout(5000);
  const early = server.requests({ host: 'export.arxiv.org' }).filter((e) => e.t < first.t + (RETRY_AFTER_S - 1) * 1000);
  assert.equal(early.length, 1, `no API request inside Retry-After (${early.map((e) => e.t - first.t)} ms)`);

  // After Retry-After, the ids (still pending, not given up) are asked for again.
  await session.waitFor(
    async () => {
      if (server.requests({ host: 'export.arxiv.org' }).length < 2) {
        const t = await session.context.newPage();
        await t.goto(PAGE);
        await t.waitForTimeout(3000);
        await t.close();
      }
      return server.requests({ host: 'export.arxiv.org' }).length >= 2;
    },
    { what: 'the lookup after Retry-After', timeout: (RETRY_AFTER_S + 30) * 1000, interval: 1000 },
  );
  const second = server.requests({ host: 'export.arxiv.org' })[1];
  assert.ok(second.t - first.t >= (RETRY_AFTER_S - 1) * 1000, `second request ${second.t - first.t} ms after the 429`);
  assert.deepEqual(idsIn(second.path), PAGE_IDS, 'nothing lost: the same ids asked again');
  assert.equal(second.status, 200);
  assert.deepEqual(extensionErrors(session.errors).filter((e) => e.url.startsWith('https://')), []);
});
