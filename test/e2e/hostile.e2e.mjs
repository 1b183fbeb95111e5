/* global window, document -- evaluated in the popup and arxiv.org tabs */
/**
 * Issue 6: hostile payloads (markup, event handlers, javascript: URLs, RTL overrides, a 10 KB title)
 * in titles, authors and abstracts stay inert and readable in the popup, the page and notifications.
 * The feed is the recorded joined feed with hand-made hostile text (replay-server.mjs, HOSTILE).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS_IN_DEFAULT_CATEGORIES, HOSTILE, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

let server;
let session;
let notified;

before(async () => {
  server = await startReplayServer();
  server.setScenario('rss.arxiv.org', 'normal', { hostile: true });
  session = await launchExtension({ server });
  const watch = session.watchNotifications();
  await session.pollAndWait();
  await new Promise((r) => setTimeout(r, 1000));
  notified = [...(await watch.stop())];
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('hostile titles and authors are stored as plain text', async () => {
  const db = await session.readDb(['papers']);
  const titles = db.papers.map((r) => r.value.title);
  assert.ok(titles.some((t) => t.includes('<script>window.__pwned=2</script>')), `titles: ${titles.map((t) => t.slice(0, 60))}`);
  assert.ok(db.papers.every((r) => r.value.authors.join(', ').includes('Mallory')));
});

test('popup: nothing runs, no injected elements, the text is readable, the long title does not break the layout', async () => {
  const popup = await session.openPopup();
  await popup.setViewportSize({ width: 800, height: 600 });
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
  await popup.locator('[data-arxiv-id]').first().hover();
  const facts = await popup.evaluate(() => ({
    pwned: window.__pwned ?? null,
    injectedImg: document.querySelectorAll('img[src="x"]').length,
    iframes: document.querySelectorAll('iframe').length,
    scripts: [...document.querySelectorAll('script')].filter((s) => s.textContent.includes('__pwned')).length,
    jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href'))).length,
    text: document.body.innerText,
    width: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    ids: [...new Set([...document.querySelectorAll('[data-arxiv-id]')].map((e) => e.getAttribute('data-arxiv-id')))].sort(),
  }));
  assert.deepEqual(facts.ids, [...FEED_IDS_IN_DEFAULT_CATEGORIES].sort());
  assert.equal(facts.pwned, null);
  assert.equal(facts.injectedImg, 0);
  assert.equal(facts.iframes, 0);
  assert.equal(facts.scripts, 0);
  assert.equal(facts.jsLinks, 0);
  assert.ok(facts.text.includes('<script>window.__pwned=2</script>'), 'the markup is shown as text');
  assert.ok(facts.text.includes('Mallory'));
  assert.ok(facts.width <= facts.viewport, `no horizontal overflow (${facts.width} > ${facts.viewport})`);
  assert.deepEqual(extensionErrors(session.errors), []);
  await popup.close();
});

test('notifications were shown for the hostile papers without breaking (text only)', async () => {
  // chrome.notifications takes plain strings only; what matters is that it was created at all.
  assert.equal(notified.length, 1, `one grouped notification, got ${notified}`);
});

test('arxiv.org page with the extension active: nothing runs', async () => {
  const tab = await session.context.newPage();
  await tab.goto('https://arxiv.org/list/math/new');
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 15_000 });
  assert.equal(await tab.evaluate(() => window.__pwned ?? null), null);
  assert.ok(HOSTILE.titles.length === 3);
  await tab.close();
});
