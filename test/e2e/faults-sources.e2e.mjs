/**
 * Issue 6, "each source failing in each way while the others work": Hugging Face (the source with
 * recorded data for the feed papers) fails each way in turn; Hacker News keeps working. After every
 * failure the good source's data is there, the failed source's last good data stays, its status says
 * in words what happened (in the popup too), and the next poll recovers.
 *
 * Sources rest 10 minutes between runs; the test lets that time pass by ageing the persisted source
 * statuses (harness.ageSourceStatuses) instead of waiting.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS_IN_DEFAULT_CATEGORIES, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
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

const signalsOf = async (source) => {
  const db = await session.readDb(['signals']);
  return Object.fromEntries(db.signals.filter((r) => r.value.source === source).map((r) => [r.value.paperId, r.value.counts]));
};
const statusOf = async (source) => (await session.pollState()).sources.find((s) => s.source === source);

test('baseline: the first poll stores Hugging Face and Hacker News signals for the feed papers', async () => {
  const hf = await signalsOf('hf');
  const hn = await signalsOf('hn');
  // Signals are gathered for the papers of the user's categories (2310.16106 is cs.IT only).
  assert.deepEqual(Object.keys(hf).sort(), [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());
  assert.ok(Object.keys(hn).length >= 2, `HN signals for the feed papers, got ${Object.keys(hn)}`);
  assert.equal((await statusOf('hf')).state, 'ok');
  assert.equal((await statusOf('hn')).state, 'ok');
});

const SOURCES = {
  hf: { host: 'huggingface.co', label: 'Hugging Face', other: 'hn' },
  hn: { host: 'hn.algolia.com', label: 'Hacker News', other: 'hf' },
};
const MODES = [
  { source: 'hf', mode: '500', state: 'error' },
  { source: 'hf', mode: '429', state: 'rate-limited', options: { retryAfter: 600 } },
  { source: 'hf', mode: 'reset', state: 'error' },
  { source: 'hf', mode: 'html', state: 'error' },
  { source: 'hf', mode: 'truncated', state: 'error' },
  { source: 'hf', mode: 'garbage', state: 'error' },
  { source: 'hf', mode: 'empty', state: 'error' },
  { source: 'hf', mode: 'offline', state: 'error' },
  { source: 'hn', mode: '500', state: 'error' },
  { source: 'hn', mode: '429', state: 'rate-limited', options: { retryAfter: 600 } },
  { source: 'hn', mode: 'html', state: 'error' },
  { source: 'hn', mode: 'offline', state: 'error' },
];

for (const { source, mode, state, options } of MODES) {
  const { host, label, other } = SOURCES[source];
  test(`${label} ${mode}: ${SOURCES[other].label} still works, ${label} keeps its last data and says what happened; next poll recovers`, async (t) => {
    t.after(() => server.setScenario(host, 'normal'));
    const good = await signalsOf(source);
    server.setScenario(host, mode, options);
    server.log.length = 0;
    await session.ageSourceStatuses(HOUR);
    const report = await session.pollAndWait();

    assert.ok(server.requests({ host }).length >= 1, `${label} was asked`);
    const failed = report.sources.find((s) => s.source === source);
    const working = report.sources.find((s) => s.source === other);
    assert.equal(failed.state, state, JSON.stringify(failed));
    assert.equal(working.state, 'ok', JSON.stringify(working));
    const status = await statusOf(source);
    assert.equal(status.state, state);
    assert.match(status.lastError ?? '', /\w{3,}/, 'the status explains in words');
    assert.doesNotMatch(status.lastError, /undefined|\[object|TypeError|SyntaxError/);
    assert.deepEqual(await signalsOf(source), good, `the last good ${label} data stays`);
    assert.ok(Object.keys(await signalsOf(other)).length >= 2, `${SOURCES[other].label} data is there`);

    const popup = await session.openPopup();
    await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
    const line = await popup.locator('.sources li', { hasText: label }).innerText();
    if (state === 'rate-limited') assert.match(line, /slow|limit|until|later/i, `the popup says ${label} is rate-limited: "${line}"`);
    else assert.ok(line.includes(status.lastError), `the popup shows "${status.lastError}", got "${line}"`);
    await popup.close();

    server.setScenario(host, 'normal');
    // Past any Retry-After and the per-source rest.
    await session.ageSourceStatuses(2 * HOUR);
    const next = await session.pollAndWait();
    assert.equal(next.sources.find((s) => s.source === source).state, 'ok');
    assert.equal((await statusOf(source)).state, 'ok');
    assert.deepEqual(extensionErrors(session.errors), []);
  });
}

test('Hugging Face 429 with Retry-After: no request to it until that time has passed', async (t) => {
  t.after(() => server.setScenario('huggingface.co', 'normal'));
  server.setScenario('huggingface.co', '429', { retryAfter: 3600 });
  await session.ageSourceStatuses(HOUR);
  await session.pollAndWait();
  assert.equal((await statusOf('hf')).state, 'rate-limited');
  const retryAt = (await statusOf('hf')).retryAt;
  assert.ok(retryAt > Date.now() + 50 * 60_000, 'Retry-After of an hour is kept');
  server.log.length = 0;
  // Past the per-source rest, but not past Retry-After.
  await session.ageSourceStatuses(15 * 60_000);
  await session.pollAndWait();
  assert.equal(server.requests({ host: 'huggingface.co' }).length, 0, 'HF was left alone');
  assert.ok(server.requests({ host: 'hn.algolia.com' }).length >= 1, 'HN was still asked');
  server.setScenario('huggingface.co', 'normal');
});
