/* global document -- evaluated in the listing page */
/**
 * Issue 21, For you in a real browser on the recorded day (the replay server's demo day
 * 2026-05-15: arXiv's feed, /new listings and abstract pages derived from the recorded metadata,
 * Hugging Face's recorded counts). A reader stars ten papers of one topic (cs.CL, computation and
 * language); the For you tab then lists that topic's other papers first, says why, and takes "not
 * for me"; the listing's badges mark papers for them and take "not for me" too; and a paper that is
 * hot by For you's own threshold and close to the stars is notified.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const DAY = '2026-05-15';
const TOPIC = 'cs.CL';

/** Primary category of each paper of the recorded day (the recording lists it first). */
const primary = new Map();
for (const line of readFileSync(join(FIXTURES, `arxiv_new_daily-arXiv-ai-enhanced_${DAY}.jsonl`), 'utf8').split('\n').filter(Boolean)) {
  const r = JSON.parse(line);
  if (!primary.has(r.id)) primary.set(r.id, r.categories[0]);
}

let server;
let session;
let stars;

async function forYou(limit = 20) {
  const r = await session.sendMessage('hotlist:get', { view: 'foryou', limit });
  assert.ok(r?.ok, `hotlist:get foryou: ${JSON.stringify(r)}`);
  return r.value;
}
const onTopic = (items) => items.filter((v) => primary.get(v.paper.id) === TOPIC).length;

before(async () => {
  server = await startReplayServer({ demoDay: DAY });
  session = await launchExtension({ server });
  await session.pollAndWait();
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('before three stars, For you says what it needs and shows today’s ranking', async () => {
  const list = await forYou();
  assert.equal(list.forYou.ready, false);
  assert.equal(list.forYou.needed, 3);
  const today = (await session.sendMessage('hotlist:get', { view: 'today', limit: 20 })).value;
  assert.deepEqual(list.items.map((v) => v.paper.id), today.items.map((v) => v.paper.id));
  const popup = await session.openPopup();
  await popup.getByRole('tab', { name: 'For you', exact: true }).click();
  await popup.getByText('Star at least 3 papers (you have 0)').waitFor({ timeout: 15_000 });
  await popup.close();
});

test('after ten stars of one topic, that topic’s other papers rise to the top of For you, each saying why', async () => {
  const before = await forYou();
  const all = (await session.sendMessage('hotlist:get', { view: 'today', limit: 1000 })).value.items;
  stars = all.filter((v) => primary.get(v.paper.id) === TOPIC).slice(0, 10).map((v) => v.paper.id);
  assert.equal(stars.length, 10);
  for (const id of stars) {
    const r = await session.sendMessage('watchlist:toggle', { id });
    assert.deepEqual(r, { ok: true, value: { watched: true } });
  }
  // The worker learns on the star (settings change); the list waits for the model either way.
  const after = await session.waitFor(async () => {
    const l = await forYou();
    return l.forYou.ready ? l : null;
  }, { timeout: 60_000, what: 'the For you model' });
  const share = (n) => `${n} of 20`;
  const was = onTopic(before.items);
  const now = onTopic(after.items);
  assert.ok(now >= 12 && now >= was + 6, `${TOPIC} papers in the first 20: ${share(was)} before the stars, ${share(now)} after`);
  for (const v of after.items) assert.ok(!stars.includes(v.paper.id), 'starred papers are not listed again');
  assert.equal(after.forYou.positives, 10);

  const popup = await session.openPopup();
  await popup.getByRole('tab', { name: 'For you', exact: true }).click();
  await popup.getByText('Ordered by heat and closeness to your 10 starred papers').waitFor({ timeout: 15_000 });
  const firstClose = after.items.find((v) => v.forYou?.close);
  assert.ok(firstClose, 'a paper close enough to be marked');
  const row = popup.locator(`[data-arxiv-id="${firstClose.paper.id}"]`);
  await row.locator('.for-you-mark').waitFor({ timeout: 15_000 });
  await row.locator('button.expand').click();
  await row.getByText('Nearest starred:').waitFor({ timeout: 10_000 });
  await row.getByText(/Closer to your stars than \d+% of recent papers/).waitFor();
  // "Not for me" on the row: a negative example, in the settings, and undone the same way.
  await row.getByRole('button', { name: 'Not for me' }).click();
  await session.waitFor(async () => (await session.getStorage('settings')).forYou.notForMe.includes(firstClose.paper.id), { what: 'the row’s "not for me" in the settings' });
  const status = await session.waitFor(async () => {
    const s = (await session.sendMessage('relevance:status', {})).value;
    return s.ready && s.negatives === 1 ? s : null;
  }, { timeout: 30_000, what: 'the model learning the "not for me"' });
  assert.deepEqual(status.dismissed.map((d) => d.id), [firstClose.paper.id]);
  await (await session.sendMessage('relevance:dismiss', { id: firstClose.paper.id, on: false }));
  await popup.close();
});

test('the listing’s badges mark papers for the reader, and take "not for me" from a click', async () => {
  const tab = await session.context.newPage();
  await tab.goto(`https://arxiv.org/list/${TOPIC}/new`);
  await tab.waitForSelector('[data-arxiv-id][data-heat]:not([data-state="pending"])', { timeout: 20_000 });
  const marked = await session.waitFor(async () => {
    const ids = await tab.$$eval('[data-arxiv-id][data-heat][data-fy]', (els) => els.map((e) => e.getAttribute('data-arxiv-id')));
    return ids.length ? ids : null;
  }, { what: 'badges marked for you' });
  const all = await tab.$$eval('[data-arxiv-id][data-heat]', (els) => els.map((e) => e.getAttribute('data-arxiv-id')));
  for (const id of marked) assert.ok(!stars.includes(id), 'a starred paper is not marked: it is one of the examples');
  assert.ok(marked.length < all.length, `only some papers are marked (${marked.length} of ${all.length})`);
  const id = marked[0];
  const host = tab.locator(`[data-arxiv-id="${id}"][data-heat]`);
  assert.match(await host.locator('.hp-b').getAttribute('aria-label'), /; for you$/);
  // Hovering the badge opens its breakdown (a click would toggle it closed again).
  await host.locator('.hp-b').hover();
  await host.locator('.hp-fy').waitFor();
  assert.match(await host.locator('.hp-fy').textContent(), /^For you: closer to your stars than \d+% of recent papers/);
  await host.locator('.hp-nfm').click();
  await session.waitFor(async () => (await session.getStorage('settings')).forYou.notForMe.includes(id), { what: 'the badge’s "not for me" in the settings' });
  await session.waitFor(async () => !(await host.getAttribute('data-fy') !== null), { what: 'the mark gone' }).catch(() => undefined);
  assert.equal(await host.getAttribute('data-fy'), null);
  assert.equal(await host.locator('.hp-nfm').textContent(), 'Undo “not for me”');
  // A page script's click (not trusted) on the undo changes nothing.
  await tab.evaluate((sel) => document.querySelector(sel).click(), `[data-arxiv-id="${id}"][data-heat] .hp-nfm`);
  await new Promise((r) => setTimeout(r, 500));
  assert.ok((await session.getStorage('settings')).forYou.notForMe.includes(id));
  const errors = extensionErrors(session.errors).filter((e) => e.url.startsWith('https://'));
  assert.deepEqual(errors, []);
  await tab.close();
});

test('a paper hot by For you’s own threshold and close to the stars is notified, once', async () => {
  // Hugging Face's recorded counts make a few of the day's papers warm; For you notifies from heat 5.
  const list = await forYou(1000);
  const candidates = list.items.filter((v) => v.heat >= 5 && v.forYou?.close && !v.notForMe);
  const settings = await session.getStorage('settings');
  // If no hot paper is close at the default closeness, use the closeness of the closest hot one.
  const warm = list.items.filter((v) => v.heat >= 5 && !v.notForMe).sort((a, b) => b.forYou.closeness - a.forYou.closeness);
  assert.ok(warm.length > 0, 'the recorded day has warm papers');
  const closeness = candidates.length ? settings.forYou.closeness : Math.max(0.5, Math.floor(warm[0].forYou.closeness * 100) / 100);
  await session.setStorage({ settings: { ...settings, forYou: { ...settings.forYou, closeness, notifyHeat: 5 } } });
  const close = list.items.filter((v) => v.heat >= 5 && v.forYou.closeness >= closeness && !v.notForMe).map((v) => v.paper.id);
  const isForYou = (i) => i.includes(':fy:') || close.some((c) => i.includes(`:${c}:`));
  const watcher = session.watchNotifications();
  await session.pollAndWait();
  // Wait for the For you notification itself (other notifications may be on screen already).
  await session.waitFor(async () => [...watcher.ids].some(isForYou), { timeout: 30_000, what: 'the For you notification' }).catch(() => undefined);
  const ids = [...(await watcher.stop())];
  assert.ok(ids.some(isForYou), `a For you notification (${close.join(', ')}): ${ids.join(', ')}`);
  // Once: the next poll shows nothing new for it.
  const again = session.watchNotifications();
  await session.pollAndWait();
  await new Promise((r) => setTimeout(r, 1000));
  const more = [...(await again.stop())].filter((i) => !ids.includes(i) && isForYou(i));
  assert.deepEqual(more, []);
});
