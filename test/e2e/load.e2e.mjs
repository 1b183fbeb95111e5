/* global document, window, PerformanceObserver, indexedDB -- evaluated in pages */
/**
 * Issue 6, load: a 2000-entry arXiv listing gets all its badges with the page staying responsive
 * and arXiv's API asked in batches at its pace; a 100,000-paper cache keeps the popup responsive.
 * The big listing is the real recorded hep-ph page with its rows repeated under fresh ids
 * (test/e2e/big-listing.mjs).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';
import { buildBigListing } from './big-listing.mjs';

const BIG = '/list/hep-ph/2009-01?skip=0&show=2000';
let server;
let session;

before(async () => {
  server = await startReplayServer();
  const { html } = buildBigListing(2000);
  server.addRoute('arxiv.org', BIG, { body: html });
  session = await launchExtension({ server });
  await session.pollAndWait();
});

after(async () => {
  await session?.close();
  await server?.close();
});

test('2000-entry listing: a reader scrolling never meets an entry without its badge, the page stays responsive, the API is asked in spaced batches', async () => {
  const tab = await session.context.newPage();
  await tab.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  server.log.length = 0;
  const t0 = Date.now();
  await tab.goto(`https://arxiv.org${BIG}`);
  await tab.waitForSelector('[data-arxiv-id][data-heat]', { timeout: 20_000 });
  const firstMs = Date.now() - t0;

  // Issue 7 allows painting far-below-the-fold badges lazily; what a reader sees must be complete.
  const unbadgedInView = () =>
    tab.evaluate(() => {
      const badged = new Set([...document.querySelectorAll('[data-arxiv-id][data-heat]')].map((e) => e.getAttribute('data-arxiv-id')));
      const missing = [];
      for (const a of document.querySelectorAll('dl dt a[title="Abstract"]')) {
        const r = a.getBoundingClientRect();
        if (r.bottom > 0 && r.top < window.innerHeight && !badged.has(a.getAttribute('id'))) missing.push(a.getAttribute('id'));
      }
      return missing;
    });
  const rtt = [];
  for (const at of [0, 0.1, 0.33, 0.5, 0.75, 0.999]) {
    await tab.evaluate((f) => window.scrollTo(0, document.documentElement.scrollHeight * f), at);
    await tab.waitForTimeout(400);
    const missing = await unbadgedInView();
    assert.deepEqual(missing, [], `entries in view without a badge at ${Math.round(at * 100)}%`);
    const s = Date.now();
    await tab.evaluate(() => document.querySelectorAll('dt').length);
    rtt.push(Date.now() - s);
  }
  const ids = await tab.$$eval('[data-arxiv-id][data-heat]', (els) => els.map((e) => e.getAttribute('data-arxiv-id')));
  assert.equal(new Set(ids).size, ids.length, 'never two badges for one entry');
  const longest = Math.max(0, ...(await tab.evaluate(() => window.__longTasks)));
  console.log(`load: 2000-entry listing: first badges after ${firstMs} ms; ${ids.length} painted after scrolling; longest main-thread task ${Math.round(longest)} ms; round-trips ${rtt.join('/')} ms`);
  assert.ok(Math.max(...rtt) < 2000, `page answered within 2 s (${rtt})`);
  // Generous bound (CI machines are slow and shared); the benchmark measures the real figure.
  assert.ok(longest < 3000, `no main-thread task of 3 s or more (${longest} ms)`);

  // arXiv's API terms: batched ids, at most one request every 3 seconds.
  const api = server.requests({ host: 'export.arxiv.org' });
  assert.ok(api.length >= 1, 'unknown ids were looked up');
  for (const r of api) assert.ok((decodeURIComponent(r.path).match(/2401\.\d{5}/g) ?? []).length >= 50, 'many ids per request');
  for (let i = 1; i < api.length; i++) assert.ok(api[i].t - api[i - 1].t >= 2900, `API requests ${api[i].t - api[i - 1].t} ms apart`);
  assert.deepEqual(extensionErrors(session.errors).filter((e) => e.url.startsWith('https://')), []);
  await tab.close();
});

test('100,000 cached papers: the popup still opens with its list quickly, and "This week" ranks them', async () => {
  const helper = await session.helper();
  const written = await helper.evaluate(async () => {
    const db = await new Promise((res, rej) => {
      const r = indexedDB.open('hot-papers');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const N = 100_000;
    const DAYS = 25;
    const now = Date.now();
    const cats = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML', 'math.CO', 'hep-ph'];
    // Listing membership as schema v3 stores it: one day list per (day, category), ids sorted.
    const lists = new Map();
    for (let start = 0; start < N; start += 10_000) {
      const tx = db.transaction(['papers'], 'readwrite');
      const papers = tx.objectStore('papers');
      for (let i = start; i < start + 10_000; i++) {
        const d = new Date(Date.UTC(2023, 9, 25) - (i % DAYS) * 86400000).toISOString().slice(0, 10);
        const id = `2309.${String(i).padStart(5, '0')}`.slice(0, 10);
        const cat = cats[i % cats.length];
        papers.put({ id, version: 1, title: `Cached paper ${i}`, authors: ['A. Author', 'B. Author'], abstract: 'Filler abstract for a load test.', categories: [cat], primaryCategory: cat, announceType: 'new', announced: d, firstSeen: now, updatedAt: now, origin: 'rss' });
        const key = `${d} ${cat}`;
        if (!lists.has(key)) lists.set(key, { day: d, category: cat, ids: [] });
        lists.get(key).ids.push(id);
      }
      await new Promise((res, rej) => {
        tx.oncomplete = res;
        tx.onerror = () => rej(tx.error);
      });
    }
    const tx = db.transaction(['dayLists'], 'readwrite');
    for (const l of lists.values()) {
      l.ids.sort();
      tx.objectStore('dayLists').put({ ...l, types: l.ids.map(() => 'new') });
    }
    await new Promise((res, rej) => {
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
    const count = await new Promise((res) => {
      const r = db.transaction('papers').objectStore('papers').count();
      r.onsuccess = () => res(r.result);
    });
    db.close();
    return count;
  });
  assert.ok(written >= 100_000, `cache holds ${written} papers`);

  const t0 = Date.now();
  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 20_000 });
  const todayMs = Date.now() - t0;
  const t1 = Date.now();
  await popup.getByRole('tab', { name: /week/i }).click();
  await session.waitFor(async () => (await popup.$$('[data-arxiv-id]')).length >= 20, { what: 'the week list', timeout: 20_000 });
  const weekMs = Date.now() - t1;
  const t2 = Date.now();
  const hot = await session.sendMessage('hotlist:get', { view: 'week', limit: 50 });
  const weekMessageMs = Date.now() - t2;
  console.log(`load: 100k cache: popup list ${todayMs} ms, week tab ${weekMs} ms, hotlist:get(week) ${weekMessageMs} ms (${hot.ok ? hot.value.total : hot.error} matching)`);
  assert.equal(hot.ok, true);
  assert.ok(todayMs < 5000, `popup list in ${todayMs} ms`);
  assert.ok(weekMs < 8000, `week list in ${weekMs} ms`);
  assert.deepEqual(extensionErrors(session.errors), []);
  await popup.close();
});
