/**
 * `npm run demo -- --screenshots` works headless on a clean machine: the demo day's first poll
 * stores Friday 2026-05-15 and Hugging Face's recorded counts, and every screenshot step finds what
 * it is meant to show (scripts/demo-session.mjs throws DemoError otherwise). The PNGs go to a
 * temporary folder, not docs/screenshots.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoError, openPopup, pollSummary, startDemo, stopDemo, takeScreenshots } from '../../scripts/demo-session.mjs';

let demo;
const dir = mkdtempSync(join(tmpdir(), 'hot-papers-demo-shots-'));

before(async () => {
  demo = await startDemo({ day: '2026-05-15' });
});

after(async () => {
  if (demo) await stopDemo(demo);
  rmSync(dir, { recursive: true, force: true });
});

test('the demo day\'s first poll stores the recorded day and Hugging Face\'s recorded counts', () => {
  pollSummary(demo);
  const feed = demo.poll.feeds[0];
  assert.equal(feed.status, 'ok');
  assert.equal(feed.added, 236, 'every paper of the recording in the default categories');
  const hf = demo.poll.sources.find((s) => s.source === 'hf');
  assert.equal(hf.papers, 15, 'the 15 papers of Friday the recorded Hugging Face list counts');
});

test('the screenshot step writes every screenshot with the product working in it', async () => {
  const shots = await takeScreenshots(demo, dir);
  for (const name of ['popup', 'listing', 'abs', 'notification', 'options']) assert.ok(statSync(shots[name].file).size > 5_000, `${name}.png written`);
  // The popup: 15 ranked papers with their Hugging Face counts, the recorded 84 upvotes first.
  const counted = shots.popup.rows.filter((r) => r.counts.length);
  assert.ok(counted.length >= 15);
  assert.deepEqual(counted[0].counts, ['HF 84']);
  assert.equal(counted[0].id, '2605.15141');
  // The listing sorted by heat has hot papers in its first screen; the abs page's breakdown names HF.
  assert.ok(shots.listing.hotInView.includes('2605.15141'));
  assert.match(shots.abs.breakdown.flat().join(' '), /Hugging Face.*84 upvotes, 3 comments/);
  assert.match(shots.notification.options.title, /^8 hot papers in cs\.CV/);
  assert.equal(shots.notification.options.items.length, 5);
});

test('a screenshot step that cannot show what it promises fails instead of writing the picture', async () => {
  // Friday has 15 papers with counts; asking the popup step for 40 must fail with the reason.
  await assert.rejects(openPopup(demo, { min: 40, timeout: 3_000 }), (err) => err instanceof DemoError && /did not list 40 papers with counts \(it shows \d+ rows, 15 with counts\)/.test(err.message));
});
