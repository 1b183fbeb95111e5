/**
 * Issue 20: what a hostile arxiv.org page (or a script injected into it) can make the extension do.
 * "From the content script" means code evaluated in the extension's content-script world of a real
 * arxiv.org tab (harness inContentScript): whatever a page could get that world to send.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.mjs';
import { launchExtension } from './harness.mjs';

let server;
let session;
let tab;

const send = (type, payload) => `chrome.runtime.sendMessage(${JSON.stringify({ type, payload })})`;

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server });
  await session.pollAndWait();
  tab = await session.context.newPage();
  await tab.goto('https://arxiv.org/list/math/new');
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('from a tab, export:build, cache:clear and poll:run are refused; nothing is exported, cleared or polled', async () => {
  const before = await session.readDb(['papers']);
  assert.ok(before.papers.length > 0, 'the cache holds papers');
  const lastPoll = (await session.pollState()).lastPoll;
  server.log.length = 0;
  const replies = {
    exp: await session.inContentScript(tab, send('export:build', { format: 'json', view: 'today' })),
    clear: await session.inContentScript(tab, send('cache:clear', {})),
    poll: await session.inContentScript(tab, send('poll:run', { reason: 'user' })),
    state: await session.inContentScript(tab, send('poll:state', {})),
  };
  for (const [name, r] of Object.entries(replies)) {
    assert.equal(r?.ok, false, `${name}: ${JSON.stringify(r)?.slice(0, 200)}`);
    assert.match(r.error, /not accepted from a web page/);
  }
  assert.equal((await session.readDb(['papers'])).papers.length, before.papers.length, 'the cache was not cleared');
  assert.deepEqual((await session.pollState()).lastPoll, lastPoll, 'no poll ran');
  assert.deepEqual(server.log.filter((e) => e.host === 'rss.arxiv.org'), [], 'no feed request');
  // The extension's own pages still may.
  assert.equal((await session.sendMessage('export:build', { format: 'json', view: 'today' }))?.ok, true);
});

test('from a tab, the content script\'s own messages are answered', async () => {
  const id = await tab.getAttribute('[data-arxiv-id][data-heat]', 'data-arxiv-id');
  const r = await session.inContentScript(tab, send('papers:lookup', { ids: [id] }));
  assert.equal(r?.ok, true, JSON.stringify(r));
});
