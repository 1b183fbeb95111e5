/**
 * Issue 6, "slow (beyond the client timeout)": Hugging Face answers only after 25 s, past the
 * source's 20 s timeout (three attempts, so this file takes about a minute — it runs beside the
 * others). Hacker News keeps working, HF keeps its last data and its status says it timed out.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.mjs';
import { launchExtension } from './harness.mjs';

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

test('a source slower than its timeout is abandoned with a plain-words status; the others are unaffected', async () => {
  const signals = async (source) => (await session.readDb(['signals'])).signals.filter((r) => r.value.source === source).map((r) => r.value);
  const hfBefore = await signals('hf');
  assert.ok(hfBefore.length >= 1);
  server.setScenario('huggingface.co', 'slow', { delayMs: 25_000 });
  await session.ageSourceStatuses(HOUR);
  const report = await session.pollAndWait({ timeout: 150_000 });
  const hf = report.sources.find((s) => s.source === 'hf');
  assert.equal(hf.state, 'error');
  assert.match(hf.error, /in time|timed? ?out/i);
  assert.equal(report.sources.find((s) => s.source === 'hn').state, 'ok');
  assert.deepEqual(await signals('hf'), hfBefore, 'HF data kept');
  const gaveUp = server.requests({ host: 'huggingface.co' }).filter((e) => e.status === 'client-gave-up');
  assert.ok(gaveUp.length >= 1, 'the extension hung up on the slow server');
  assert.ok(['ok', 'not-modified'].includes(report.feeds[0].status), 'the feed was not held up');
});
