/* global document, window, PerformanceObserver, requestAnimationFrame -- evaluated in arxiv.org tabs */
/**
 * Issue 18: nothing the extension adds to an arXiv page moves what the reader already sees, and a
 * mouse user can keep a badge's breakdown open.
 *
 * Layout shift is measured as Chromium reports it (PerformanceObserver 'layout-shift', buffered,
 * from the page's first frame) at 1280×720, on arXiv's recorded abs and listing pages with arXiv's
 * own stylesheets (test/fixtures/arxiv-static): before the fix, the abs widget inserted at the top
 * of the right-hand column pushed "Access Paper" down by ~116 px (CLS ~0.014). The pages' own
 * images are hidden (a style added to the recorded HTML served here): their late loading shifts
 * arXiv's column by a few pixels on its own, with or without the extension, and would make the
 * figure depend on timing. Everything else is the recorded page.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const PAGES = {
  'https://arxiv.org/abs/2103.17249': 'abs_2103.17249.html',
  'https://arxiv.org/abs/2310.08262': 'abs_2310.08262.html',
  'https://arxiv.org/list/math/new': 'db_list_math_new.html',
};
const HOST = '[data-arxiv-id][data-heat]';

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

/** Opens `url` at 1280×720 recording every layout shift from the first frame. */
async function openMeasured(url) {
  const tab = await session.context.newPage();
  await tab.setViewportSize({ width: 1280, height: 720 });
  const html = readFileSync(join(FIXTURES, PAGES[url]), 'utf8').replace('</head>', '<style>img{display:none!important}</style></head>');
  await tab.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await tab.addInitScript(() => {
    window.__hpShifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__hpShifts.push({ t: Math.round(e.startTime), value: e.value, input: e.hadRecentInput, sources: e.sources.map((s) => ({ node: `${s.node?.nodeName ?? '?'}.${s.node?.className ?? ''}`, ours: !!s.node?.closest?.('.hp-h, .hp-tb'), y: `${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}` })) });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await tab.goto(url);
  return tab;
}

/** The shifts so far, once the frames after the last change have been drawn (their entries reported). */
async function shifts(tab) {
  await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
  return tab.evaluate(() => window.__hpShifts);
}

for (const url of Object.keys(PAGES).filter((u) => u.includes('/abs/'))) {
  test(`abs page ${url.split('/').pop()}: the widget arrives without moving anything (layout shift 0); "Access Paper" stays where it was first drawn`, async () => {
    const tab = await openMeasured(url);
    const accessTop = await tab.evaluate(() => document.querySelector('.full-text h2')?.getBoundingClientRect().top);
    // What the reader waits for: the lookup's answer in the widget (numbers, or "no data").
    await tab.waitForSelector(`${HOST}:not([data-state="pending"])`, { timeout: 20_000 });
    const host = await tab.$eval(HOST, (h) => ({ top: h.getBoundingClientRect().top, height: h.getBoundingClientRect().height, inColumn: !!h.closest('.extra-services') }));
    assert.ok(host.inColumn && host.height > 20, `the widget is in the right-hand column: ${JSON.stringify(host)}`);
    assert.deepEqual(await shifts(tab), []);
    assert.equal(await tab.evaluate(() => document.querySelector('.full-text h2')?.getBoundingClientRect().top), accessTop);
    // The breakdown opens over the page on hover, moving nothing either (and hover counts as no input).
    await tab.hover(`${HOST} .hp-b`);
    await tab.waitForSelector(`${HOST} .hp-p`, { state: 'visible' });
    assert.deepEqual(await shifts(tab), []);
    await tab.close();
  });
}

test('listing: the toolbar band and every badge arrive without moving anything (layout shift 0)', async () => {
  const tab = await openMeasured('https://arxiv.org/list/math/new');
  await tab.waitForSelector('.hp-tb');
  await session.waitFor(async () => (await tab.$$(`${HOST}:not([data-state="pending"])`)).length === 6, { what: 'all six badges answered' });
  // Neither arXiv's entries nor our own stars move (the star comes before the badge, whose text grows).
  assert.deepEqual(await shifts(tab), []);
  assert.deepEqual(extensionErrors(session.errors).filter((e) => e.url.startsWith('https://')), []);
  await tab.close();
});

test('listing: hovering a badge opens its breakdown, the click pins it open; a click outside or Escape closes it', async () => {
  const tab = await session.context.newPage();
  await tab.setViewportSize({ width: 1280, height: 720 });
  await tab.goto('https://arxiv.org/list/math/new');
  const badge = tab.locator(`${HOST}[data-arxiv-id="0906.3421"] .hp-b`);
  const panel = tab.locator(`${HOST}[data-arxiv-id="0906.3421"] .hp-p`);
  await badge.waitFor();
  await badge.hover();
  await panel.waitFor({ state: 'visible' });
  // The click that follows the hover used to close it again (flash and vanish).
  await badge.click();
  assert.equal(await panel.isVisible(), true);
  assert.equal(await badge.getAttribute('aria-expanded'), 'true');
  // The pointer goes elsewhere, even over another badge, and a click on the panel's own text: still open.
  await tab.mouse.move(5, 700);
  await tab.locator(`${HOST}[data-arxiv-id="0704.0046"] .hp-b`).hover();
  await panel.click({ position: { x: 10, y: 10 } });
  await tab.mouse.move(5, 700);
  assert.equal(await panel.isVisible(), true);
  // A click outside closes it.
  await tab.locator('h1, h3').first().click();
  await panel.waitFor({ state: 'hidden' });
  // Pinned again, Escape closes it.
  await badge.click();
  await tab.mouse.move(5, 700);
  assert.equal(await panel.isVisible(), true);
  await tab.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });
  assert.equal(await badge.getAttribute('aria-expanded'), 'false');
  await tab.close();
});
