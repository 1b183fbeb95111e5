/* global chrome, document, indexedDB, performance -- functions below are evaluated inside the extension's pages */
/**
 * Popup benchmark (issue #5), in the real Chromium with the built extension.
 *
 * Data: 100,000 papers in the extension's IndexedDB, made by SCALING UP real recorded entries: the
 * 11 entries of the recorded arXiv API replies test/fixtures/arxiv_api_search_2026-04.xml and
 * arxiv_api_idlist_2026-04.xml (titles, authors, abstracts as recorded) are copied round-robin;
 * each copy gets a distinct id (2611.NNNNN / 2610.NNNNN …), an announcement day (the last 80 arXiv
 * weekdays, 1,250 papers a day — about the real daily volume of cs.LG+cs.CL+cs.CV+cs.AI+stat.ML with
 * cross-lists), and one or two of the default categories (so "today" has realistic volume). Papers of
 * the last three days get Hugging Face / Hacker News signals with three snapshots each.
 * The extension's own poll cannot reach anything (every host resolves to a closed port).
 *
 * Figures:
 *  - first rows after an empty page (issue 17's target, ≤ 30 ms): each popup opening's first
 *    contentful paint (the frame with its rows: it paints nothing before) minus that of an empty
 *    extension page (one paragraph, no script, no style) opened the same way — the mean of the one
 *    opened right before it and the one right after it (the shared VM's speed drifts), each page
 *    half a second after the previous one closed — the popup's own share; median of 9 openings,
 *    after one discarded pair (the first opening after the browser started reads and compiles cold);
 *  - load → first rows painted: the popup's figure itself, median of 9 opens (information). These
 *    openings find the worker's preview of the first screenful in storage.session (lib/popup/preview.ts),
 *    as every opening does once the worker has answered, polled or seen a settings change since
 *    the browser started, and paint it from the boot script before the Preact bundle runs
 *    (lib/popup/boot-paint.ts; hp:rows then marks the boot's frame); the bench fails unless each of
 *    them took the preview, and the rows painted first (hp:rows names them) and the rows shown once
 *    the worker has answered are both the preview's. Nine more openings without the preview (the first after a browser
 *    start, or one during a poll) are reported beside it. Also beside it,
 *    a naive baseline measured in the same run: a full scan of the papers store (getAll + filter on
 *    day and categories) in an extension page, which is what the popup would cost without the
 *    listings index;
 *  - load → first contentful paint: the same frame as presented on screen (a few ms to a frame
 *    later than hp:rows), reported beside it;
 *  - the 'hotlist:get' round trip alone (message → ranked views), median of 9 (information);
 *  - the empty extension page's own figure, navigation start → first contentful paint (information);
 *  - gzipped size of everything popup.html loads (HTML, its JS chunks, CSS), target ≤ 35 KB.
 *
 * Run alone: node test/bench/popup.mjs  (builds first; --no-build uses the existing build).
 */
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { XMLParser } from 'fast-xml-parser';
import { launchExtension } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..', '..');
const BUILD = join(ROOT, '.output', 'chrome-mv3');
// HP_PAPERS: a smaller cache for quick local checks; the reported figure is for 100,000.
export const PAPERS = Number(process.env.HP_PAPERS ?? 100_000);
export const DAYS = 80;
const RUNS = 9;
// Issue 17: the popup's first rows no more than 30 ms after an empty extension page's first paint.
const TARGET_OVER_BLANK = 30;
export const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'];

/** Real recorded entries (title, authors, abstract) to copy. */
export function templates() {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['entry', 'author', 'category'].includes(n) });
  const out = [];
  for (const f of ['arxiv_api_search_2026-04.xml', 'arxiv_api_idlist_2026-04.xml']) {
    const doc = parser.parse(readFileSync(join(ROOT, 'test', 'fixtures', f), 'utf8'));
    for (const e of doc.feed.entry ?? []) {
      const text = (v) => (typeof v === 'string' ? v : (v?.['#text'] ?? '')).replace(/\s+/g, ' ').trim();
      out.push({ title: text(e.title), abstract: text(e.summary), authors: (e.author ?? []).map((a) => text(a.name)) });
    }
  }
  if (out.length < 5) throw new Error('recorded entries not found');
  return out;
}

/** The last `n` weekdays up to `from` (YYYY-MM-DD), oldest first. */
export function weekdays(from, n) {
  const days = [];
  for (let t = Date.parse(`${from}T12:00:00Z`); days.length < n; t -= 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) days.push(d.toISOString().slice(0, 10));
  }
  return days.reverse();
}

/** Gzipped bytes of popup.html and every JS/CSS file it loads (static and dynamic imports followed). */
export function popupBundleBytes(build = BUILD) {
  const seen = new Set();
  let total = 0;
  const add = (rel) => {
    const file = join(build, rel.replace(/^\//, ''));
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const body = readFileSync(file);
    total += gzipSync(body, { level: 9 }).length;
    if (file.endsWith('.js')) {
      // Static imports and the app's dynamic import (main.tsx loads it once the boot paint is on screen).
      for (const m of body.toString('utf8').matchAll(/(?:import|from)\s*\(?\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g)) add(join(dirname(rel), m[1]));
    }
  };
  add('popup.html');
  const html = readFileSync(join(build, 'popup.html'), 'utf8');
  for (const m of html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)) add(m[1]);
  return { bytes: total, files: seen.size };
}

/** Both kinds of opening start from the same quiet moment: the previous page closed half a second ago. */
export const quiet = () => new Promise((r) => setTimeout(r, 500));

/**
 * Same-run reference: what Chromium alone needs to show an extension page here — an empty page (one
 * paragraph, no script, no style) written into the loaded copy, opened like the popup (issue 17: the
 * target is the popup's first rows ≤ 30 ms after it). Returns the opener: ms to its first paint.
 */
export function blankOpener(session) {
  writeFileSync(join(session.extDir, 'bench-blank.html'), '<!doctype html><html><head><meta charset="utf-8"><title>blank</title></head><body><p>blank</p></body></html>');
  return async () => {
    await quiet();
    const page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/bench-blank.html`);
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, null, { timeout: 30_000 });
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0].startTime);
    await page.close();
    return fcp;
  };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs inside an extension page: writes the scaled-up cache in batches. */
export async function fill({ tpl, days, perDay, categories, now }) {
  const open = () =>
    new Promise((res, rej) => {
      const r = indexedDB.open('hot-papers');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
  const db = await open();
  let n = 0;
  const signalDays = new Set(days.slice(-3));
  // Latest signals as schema v4 stores them: one block per id minus its last two characters,
  // records sorted by paper then source (blocks can straddle two days: written at the end).
  const blocks = new Map();
  const signal = (record) => {
    const key = record.paperId.slice(0, -2);
    if (!blocks.has(key)) blocks.set(key, []);
    blocks.get(key).push(record);
  };
  for (let d = 0; d < days.length; d++) {
    const day = days[d];
    const yymm = day.slice(2, 4) + day.slice(5, 7);
    await new Promise((res, rej) => {
      const tx = db.transaction(['papers', 'dayLists', 'snapshots'], 'readwrite');
      const papers = tx.objectStore('papers');
      // Listing membership as schema v3 stores it: one day list per (day, category), ids sorted.
      const lists = new Map(categories.map((c) => [c, new Map()]));
      for (let i = 0; i < perDay; i++, n++) {
        const t = tpl[n % tpl.length];
        const id = `${yymm}.${String(10000 + d * perDay + i).padStart(5, '0')}`;
        const primary = categories[n % categories.length];
        const cats = n % 3 === 0 ? [primary, categories[(n + 2) % categories.length]] : [primary];
        const cross = n % 7 === 0;
        papers.put({ id, version: 1, title: t.title, authors: t.authors, abstract: t.abstract, categories: cats, primaryCategory: primary, announceType: cross ? 'cross' : 'new', announced: day, firstSeen: now - (days.length - d) * 86_400_000, updatedAt: now, origin: 'rss' });
        for (const c of cats) lists.get(c).set(id, cross ? 'cross' : 'new');
        if (signalDays.has(day) && i % 5 < 2) {
          const up = (n * 7919) % 300;
          const snaps = tx.objectStore('snapshots');
          signal({ paperId: id, source: 'hf', counts: { upvotes: up, comments: up % 9 }, links: [{ url: `https://huggingface.co/papers/${id}`, label: 'Hugging Face' }], fetchedAt: now });
          for (let k = 0; k < 3; k++) snaps.put({ paperId: id, source: 'hf', t: now - (3 - k) * 3_600_000, counts: { upvotes: Math.round((up * (k + 1)) / 3), comments: up % 9 } });
          if (i % 5 === 0) {
            signal({ paperId: id, source: 'hn', counts: { points: up % 120, comments: up % 40 }, links: [{ url: `https://news.ycombinator.com/item?id=${n}`, label: 'HN' }], fetchedAt: now });
            snaps.put({ paperId: id, source: 'hn', t: now - 3_600_000, counts: { points: up % 120, comments: up % 40 } });
          }
        }
      }
      for (const [category, types] of lists) {
        const ids = [...types.keys()].sort();
        if (ids.length) tx.objectStore('dayLists').put({ day, category, ids, types: ids.map((id) => types.get(id)) });
      }
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
  }
  await new Promise((res, rej) => {
    const tx = db.transaction('signalBlocks', 'readwrite');
    for (const [block, records] of blocks) {
      records.sort((a, b) => (a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : a.source < b.source ? -1 : 1));
      tx.objectStore('signalBlocks').put({ block, records });
    }
    tx.oncomplete = res;
    tx.onerror = () => rej(tx.error);
  });
  const count = await new Promise((res) => {
    const r = db.transaction('papers').objectStore('papers').count();
    r.onsuccess = () => res(r.result);
  });
  db.close();
  return count;
}

/** Runs inside an extension page: the naive way — scan every paper, keep the latest day's in the categories. */
async function fullScan({ day, categories }) {
  const t0 = performance.now();
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open('hot-papers');
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const all = await new Promise((res, rej) => {
    const r = db.transaction('papers').objectStore('papers').getAll();
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const wanted = new Set(categories);
  const rows = all.filter((p) => p.announced === day && p.categories.some((c) => wanted.has(c)));
  const ms = performance.now() - t0;
  db.close();
  return { ms, rows: rows.length, scanned: all.length };
}

export async function runPopupBench({ build = true, log = console.log } = {}) {
  if (build) execSync('npx wxt build', { cwd: ROOT, stdio: 'ignore' });
  const tpl = templates();
  const days = weekdays('2026-11-25', DAYS);
  const perDay = PAPERS / DAYS;
  // Every mapped host goes to port 9 on localhost (nothing listens): no network, fast failures.
  const session = await launchExtension({ server: { port: 9 } });
  try {
    const helper = await session.helper();
    // Let the install poll finish (it fails: nothing is reachable) so it does not race the fill.
    await session.waitFor(() => helper.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === 'hot-papers' && d.version >= 4)), { what: 'database created', timeout: 30_000 });
    await session.waitFor(async () => !(await session.sendMessage('poll:state', {}))?.value?.running, { what: 'install poll finished', timeout: 60_000 }).catch(() => undefined);
    const t0 = Date.now();
    const count = await helper.evaluate(fill, { tpl, days, perDay, categories: CATEGORIES, now: Date.now() });
    log(`popup bench: ${count} papers cached in ${((Date.now() - t0) / 1000).toFixed(1)} s (${tpl.length} recorded entries scaled up)`);

    const today = days[days.length - 1];
    const scans = [];
    for (let i = 0; i < 2; i++) scans.push(await helper.evaluate(fullScan, { day: today, categories: CATEGORIES }));
    const roundTrips = [];
    for (let i = 0; i < RUNS; i++) {
      roundTrips.push(
        await helper.evaluate(async () => {
          const t = performance.now();
          const r = await chrome.runtime.sendMessage({ type: 'hotlist:get', payload: { view: 'today', limit: 200 } });
          if (!r?.ok) throw new Error(r?.error ?? 'no reply');
          return { ms: performance.now() - t, total: r.value.total, items: r.value.items.length };
        }),
      );
    }
    // The empty page is opened right after each popup opening.
    const openBlank = blankOpener(session);
    const blanks = [];
    const readPreview = () => helper.evaluate(() => chrome.storage.session.get('popup:preview').then((r) => (r['popup:preview'] ? JSON.parse(r['popup:preview']).list.items.map((v) => v.paper.id) : null)));
    const opens = [];
    // The empty page opened right before the next popup opening (each popup opening is measured
    // against the mean of the empty pages opened right before and right after it).
    let blankBefore;
    // One discarded opening of each, the popup with its preview and then the empty page, before the
    // measured ones (as the content bench discards its first load): the first opening after the
    // browser started reads the pages' files and compiles their scripts cold. Its figure is logged.
    {
      await quiet();
      const page = await session.context.newPage();
      await page.goto(`chrome-extension://${session.extensionId}/popup.html`);
      await page.waitForFunction(() => document.querySelectorAll('li[data-arxiv-id]').length >= 8, null, { timeout: 60_000 });
      await page.waitForTimeout(500);
      const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
      await page.close();
      blankBefore = await openBlank();
      log(`popup bench: warm-up opening (discarded): first contentful paint ${fcp === null ? '—' : fcp.toFixed(0)} ms, the empty page ${blankBefore.toFixed(0)} ms`);
    }
    // Openings with the worker's preview in storage.session (the usual case: every answer, poll and
    // settings change writes it), then openings without it (the first after a browser start, or
    // during a poll), which wait for the worker's answer.
    for (let i = 0; i < 2 * RUNS; i++) {
      const cold = i >= RUNS;
      if (cold) await helper.evaluate(() => chrome.storage.session.remove('popup:preview'));
      const stored = cold ? null : await readPreview();
      await quiet();
      const page = await session.context.newPage();
      await page.goto(`chrome-extension://${session.extensionId}/popup.html`);
      await page.waitForFunction(() => performance.getEntriesByName('hp:rows').length > 0, null, { timeout: 30_000 });
      // Let this opening finish its follow-up work (the full list, 'popup:seen') before the next one,
      // so that openings do not queue behind each other in the worker; the app (loaded once the boot
      // script's frame is on screen) has set its marks by then.
      await page.waitForFunction((n) => document.querySelectorAll('li[data-arxiv-id]').length >= n, Math.min(200, roundTrips[0].total), { timeout: 60_000 });
      await page.waitForTimeout(500);
      opens.push(
        await page.evaluate(() => ({
          rows: performance.getEntriesByName('hp:rows')[0].startTime,
          boot: performance.getEntriesByName('hp:boot')[0]?.startTime ?? null,
          start: performance.getEntriesByName('hp:app-start')[0]?.startTime ?? null,
          request: performance.getEntriesByName('hp:request')[0]?.startTime ?? null,
          data: performance.getEntriesByName('hp:data')[0]?.startTime ?? null,
          previewAt: performance.getEntriesByName('hp:preview')[0]?.startTime ?? null,
          painted: performance.getEntriesByName('hp:rows')[0].detail?.ids?.length ?? document.querySelectorAll('li[data-arxiv-id]').length,
          // Who painted the first rows (the boot script from the preview, or the app) and which.
          by: performance.getEntriesByName('hp:rows')[0].detail?.by ?? null,
          paintedIds: performance.getEntriesByName('hp:rows')[0].detail?.ids ?? null,
        })),
      );
      Object.assign(opens[opens.length - 1], { cold, stored });
      opens[opens.length - 1].fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
      // The rows the preview painted are the rows of the worker's answer (nothing changed in between).
      opens[opens.length - 1].answered = await page.evaluate(() => [...document.querySelectorAll('li[data-arxiv-id]')].slice(0, 8).map((e) => e.dataset.arxivId));
      await page.close();
      if (!cold) {
        const blank = await openBlank();
        blanks.push(blank);
        // The machine's speed drifts (a shared VM): the empty pages on both sides of the opening.
        opens[opens.length - 1].blank = (blankBefore + blank) / 2;
        blankBefore = blank;
      }
    }
    if (opens.some((o) => o.painted === 0)) throw new Error(`popup painted no rows: ${JSON.stringify(opens)}`);
    const warm = opens.filter((o) => !o.cold);
    const colds = opens.filter((o) => o.cold);
    // The figure is only about the preview path when every warm opening took it and showed the answer's rows.
    // The rows painted first (boot script or app) must be the preview's, and those the worker's answer.
    const missed = warm.filter((o) => o.previewAt === null || JSON.stringify(o.stored) !== JSON.stringify(o.answered) || JSON.stringify(o.paintedIds) !== JSON.stringify(o.stored));
    if (missed.length) throw new Error(`openings without the preview, or whose preview was not the answer: ${JSON.stringify(missed)}`);
    if (colds.some((o) => o.previewAt !== null)) throw new Error('an opening without a stored preview says it took one');
    const load = median(warm.map((o) => o.rows));
    // Each opening against the empty pages opened right before and after it, first paint to first paint (the
    // popup paints nothing before the frame with its rows, so its first contentful paint is that
    // frame; hp:rows where no paint entry came): the popup's own share.
    const firstRows = (o) => (typeof o.fcp === 'number' ? o.fcp : o.rows);
    const overBlank = median(warm.map((o) => firstRows(o) - o.blank));
    const coldLoad = median(colds.map((o) => o.rows));
    const fcps = warm.map((o) => o.fcp).filter((x) => typeof x === 'number');
    const fcpMedian = fcps.length ? median(fcps) : null;
    const scan = median(scans.map((s) => s.ms));
    const rt = median(roundTrips.map((r) => r.ms));
    const size = popupBundleBytes();
    const ms = (xs) => xs.map((x) => (x === null ? '—' : x.toFixed(0))).join(', ');
    log(`popup bench: today = ${today}, ${roundTrips[0].total} papers in the default categories, ${opens[0].painted} rows painted`);
    log(`popup bench: opens with the preview (ms to hp:rows) ${ms(warm.map((o) => o.rows))}; first contentful paint ${ms(warm.map((o) => o.fcp))}; first rows painted by ${warm.map((o) => o.by).join(', ')}`);
    log(`popup bench: medians — boot script ${median(warm.map((o) => o.boot)).toFixed(0)} ms, app start ${median(warm.map((o) => o.start)).toFixed(0)} ms, request sent ${median(warm.map((o) => o.request)).toFixed(0)} ms, preview in ${median(warm.map((o) => o.previewAt)).toFixed(0)} ms, answer in ${median(warm.map((o) => o.data)).toFixed(0)} ms, rows ${load.toFixed(0)} ms`);
    log(`popup bench: opens without a preview (ms to hp:rows) ${ms(colds.map((o) => o.rows))}; answer in ${median(colds.map((o) => o.data)).toFixed(0)} ms`);
    log(`popup bench: an empty extension page first paints at ${blanks.map((b) => b.toFixed(0)).join(', ')} ms (median ${median(blanks).toFixed(0)}): Chromium's own share of any page`);
    log(`popup bench: full scans (ms) ${scans.map((s) => s.ms.toFixed(0)).join(', ')} over ${scans[0].scanned} papers → ${scans[0].rows} rows`);
    return [
      {
        name: 'popup: first rows painted after an empty extension page opened the same way (each opening minus the empty pages opened right before and after it; 100k papers cached)',
        value: round(overBlank), unit: 'ms', target: TARGET_OVER_BLANK, pass: overBlank <= TARGET_OVER_BLANK,
        samples: warm.map((o) => round(firstRows(o) - o.blank)),
        note: `popup ${round(load)} ms from navigation to its first rows (medians), the empty page ${round(median(blanks))} ms to its first paint`,
      },
      { name: 'popup: load → first rows painted (100k papers cached)', value: round(load), unit: 'ms', target: null, baseline: round(scan), ratio: round(load / scan, 3), pass: null },
      { name: 'popup: load → first contentful paint (the frame with the rows, as presented)', value: fcpMedian === null ? null : round(fcpMedian), unit: 'ms', target: null, pass: null },
      { name: 'popup: load → first rows painted without a stored preview (first opening after a browser start, or during a poll)', value: round(coldLoad), unit: 'ms', target: null, pass: null },
      { name: 'popup: reference — an empty extension page, navigation → first paint (no script, no style)', value: round(median(blanks)), unit: 'ms', target: null, pass: null },
      { name: "popup: 'hotlist:get' round trip (today, limit 200)", value: round(rt), unit: 'ms', target: null, baseline: round(scan), ratio: round(rt / scan, 3), pass: null },
      { name: `popup bundle, gzipped (${size.files} files)`, value: round(size.bytes / 1024), unit: 'KB', target: 35, pass: size.bytes / 1024 <= 35 },
    ];
  } finally {
    await session.close();
  }
}

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const results = await runPopupBench({ build: !process.argv.includes('--no-build') });
  for (const r of results) {
    if (r.target === null) {
      console.log(`info  ${r.name}: ${r.value} ${r.unit}`);
      continue;
    }
    const base = r.baseline !== undefined ? `  (baseline ${r.baseline} ${r.unit}, ratio ${r.ratio})` : '';
    console.log(`${r.pass ? 'PASS' : 'FAIL'}  ${r.name}: ${r.value} ${r.unit} (target ≤ ${r.target})${base}`);
  }
  process.exitCode = results.every((r) => r.pass !== false) ? 0 : 1;
}
