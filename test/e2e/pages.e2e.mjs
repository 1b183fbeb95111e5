/* global document, indexedDB, window, getComputedStyle, requestAnimationFrame -- evaluated in extension pages and arxiv.org tabs */
/**
 * Issue 7's "Done means", in real Chromium, on every arXiv page the replay server serves (the
 * arxiv-browse renderings of test/fixtures, by the request paths their capture recorded:
 * browse_*.json): listings new / recent / pastweek / month / year, archive-level, skip+show
 * variants, empty listings, abstract pages.
 *
 * Per page: exactly one badge host per entry with the entry's normalized id and the heat the
 * background computes for it; the page's own text does not move while the extension works (every
 * entry's top, sampled each frame from DOMContentLoaded — before the document_end script — until
 * the badges carry their numbers); then sort by heat (within each section, and back to arXiv's
 * exact order), only hot, and a star (settings.watchlist.papers, highlight). The console stays free
 * of the extension's errors. Separately: badge colours follow the page's background, not the OS.
 *
 * The pages are real; the engagement numbers are TEST DATA written into the extension's IndexedDB
 * (papers + signals, the stores of lib/store/db.ts) from an extension page before the pages are opened.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const THRESHOLD = 10; // the default hot threshold
const HOST = '[data-arxiv-id][data-heat]';

/** Every recorded arXiv page: { path, file, kind, ids (in page order, from the recording) }. */
function recordedPages() {
  const byPath = new Map();
  for (const meta of ['browse_db.json', 'browse_fs.json', 'browse_fake.json']) {
    for (const [key, m] of Object.entries(JSON.parse(readFileSync(join(FIXTURES, meta), 'utf8')))) {
      const file = key.replace(/^(list|abs)\//, '');
      const html = readFileSync(join(FIXTURES, file), 'utf8');
      const abs = key.startsWith('abs/');
      const ids = abs ? [m.path.replace(/^\/abs\//, '')] : [...html.matchAll(/title="Abstract" id="([^"]+)"/g)].map((x) => x[1]);
      if (!abs) assert.equal(ids.length, m.dt_count, `${file}: ids read from the recording`);
      byPath.set(m.path, { path: m.path, file, abs, ids });
    }
  }
  return [...byPath.values()];
}

const PAGES = recordedPages();
const ALL_IDS = [...new Set(PAGES.flatMap((p) => p.ids))];

/**
 * TEST DATA: every page id is cached (so no page waits on the arXiv API); one in five has no
 * signal at all (heat 0, the quiet "no signal" mark), the others Hugging Face upvotes and, for
 * some, Hacker News points or X retweets + favorites, spread so that some entries are hot.
 */
function seedFor(ids, now) {
  const papers = [];
  const signals = [];
  ids.forEach((id, i) => {
    papers.push({ id, version: 1, title: `Seeded ${id}`, authors: [], abstract: '', categories: ['math.CO'], primaryCategory: 'math.CO', firstSeen: now, updatedAt: now, origin: 'api' });
    if (i % 5 === 0) return;
    signals.push({ paperId: id, source: 'hf', counts: { upvotes: (i * 37) % 90 + 1, comments: i % 4 }, links: [{ url: `https://huggingface.co/papers/${id}`, label: '' }], fetchedAt: now });
    if (i % 3 === 0) signals.push({ paperId: id, source: 'hn', counts: { points: (i * 53) % 400, comments: i % 30 }, links: [{ url: `https://news.ycombinator.com/item?id=${1000 + i}`, label: '' }], fetchedAt: now });
    if (i % 4 === 1) signals.push({ paperId: id, source: 'x', counts: { retweets: (i * 7) % 60 + 1, likes: (i * 11) % 300 + 5, posts: 1 }, links: [], fetchedAt: now });
  });
  return { papers, signals };
}

let server;
let session;
/** id → heat the background reports ('papers:lookup'), rounded as the badge writes it. */
const expectedHeat = new Map();
/** id → the background's view of the paper. */
const views = new Map();

const badgeHeat = (heat) => String(Math.round((heat > 0 ? heat : 0) * 10) / 10);

before(async () => {
  server = await startReplayServer();
  session = await launchExtension({ server });
  const helper = await session.helper();
  // The install poll creates the database (schema of lib/store/db.ts) and stores the feed's papers.
  await session.waitFor(() => helper.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === 'hot-papers' && d.version >= 2)), { what: 'the database', timeout: 30_000 });
  await session.waitFor(async () => (await session.pollState()).lastPoll && !(await session.pollState()).running, { what: 'the install poll', timeout: 60_000 });

  // X is off by default: switch it on as the options page would (full settings saved by a first
  // watchlist toggle), so its counts are part of the heat and of the badges.
  await session.sendMessage('watchlist:toggle', { id: '0906.3421' });
  await session.sendMessage('watchlist:toggle', { id: '0906.3421' });
  const settings = await session.getStorage('settings');
  assert.ok(settings?.sources?.x, `full settings stored: ${JSON.stringify(settings)}`);
  await session.setStorage({ settings: { ...settings, sources: { ...settings.sources, x: { ...settings.sources.x, enabled: true } }, watchlist: { ...settings.watchlist, papers: [] } } });

  await session.seedDb(seedFor(ALL_IDS, Date.now()));

  const reply = await session.sendMessage('papers:lookup', { ids: ALL_IDS });
  assert.equal(reply.ok, true, JSON.stringify(reply));
  // By position (lib/page-view.ts pageReply): every page id cached, with a view ('v') or with
  // nothing to show ('q': heat 0, no sources).
  assert.match(reply.value.states, new RegExp(`^[vq]{${ALL_IDS.length}}$`), 'every page id is cached');
  assert.equal(reply.value.hotThreshold, THRESHOLD);
  let k = 0;
  ALL_IDS.forEach((id, i) => {
    const v = reply.value.states[i] === 'v' ? reply.value.views[k++] : { id, heat: 0, velocity: 0, parts: [], history: [], watched: false };
    assert.equal(v.id, id);
    views.set(id, v);
    expectedHeat.set(id, badgeHeat(v.heat));
  });
  assert.equal(k, reply.value.views.length);
  assert.equal(views.size, ALL_IDS.length);
  const heats = [...views.values()].map((v) => v.heat);
  assert.ok(heats.some((h) => h >= THRESHOLD) && heats.some((h) => h > 0 && h < THRESHOLD) && heats.some((h) => h === 0), `a mix of hot, lukewarm and silent papers: ${heats.map((h) => h.toFixed(1))}`);
  assert.ok([...views.values()].some((v) => v.parts.some((p) => p.source === 'x' && p.score > 0)), 'X counts in the heat');
});

after(async () => {
  await session?.close();
  await server?.close();
});

/** Installed before every navigation: samples the tops of the page's own entries each frame from DOMContentLoaded. */
function layoutRecorder() {
  const samples = [];
  window.__hpLayout = { samples, stop: false };
  const tops = () => Array.from(document.querySelectorAll('#dlpage dl > dt, #dlpage dl > dd, #abs h1.title, #abs .authors, #abs blockquote.abstract'), (e) => e.getBoundingClientRect().top);
  const sample = (at) =>
    samples.push({
      at,
      tops: tops(),
      active: document.documentElement.hasAttribute('data-hp-active'),
      toolbar: !!document.querySelector('.hp-tb'),
      settled: document.querySelectorAll('[data-arxiv-id][data-heat]:not([data-state="pending"])').length,
    });
  document.addEventListener('DOMContentLoaded', () => {
    sample('domcontentloaded');
    const frame = () => {
      if (window.__hpLayout.stop) return;
      sample('frame');
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** What the page shows: entries per section (dl) with their badge hosts, and the hosts outside entries. */
function readPage() {
  const entry = (dt) => {
    const hosts = dt.querySelectorAll('[data-arxiv-id][data-heat]');
    const h = hosts[0];
    const style = getComputedStyle(dt);
    return {
      id: dt.querySelector('a[title="Abstract"]')?.getAttribute('id') ?? null,
      hosts: hosts.length,
      hostId: h?.getAttribute('data-arxiv-id') ?? null,
      heat: h?.getAttribute('data-heat') ?? null,
      state: h?.getAttribute('data-state') ?? null,
      text: h?.querySelector('.hp-b')?.textContent ?? null,
      label: h?.querySelector('.hp-b')?.getAttribute('aria-label') ?? null,
      hidden: style.display === 'none' || getComputedStyle(dt.nextElementSibling).display === 'none',
      ddFollows: dt.nextElementSibling?.tagName === 'DD',
      watch: dt.classList.contains('hp-watch'),
      shadow: style.boxShadow,
    };
  };
  return {
    sections: Array.from(document.querySelectorAll('#dlpage > dl'), (dl) => Array.from(dl.querySelectorAll(':scope > dt'), entry)),
    allHosts: Array.from(document.querySelectorAll('[data-arxiv-id][data-heat]'), (h) => ({ id: h.getAttribute('data-arxiv-id'), heat: h.getAttribute('data-heat'), inDt: !!h.closest('dt'), big: h.classList.contains('hp-big') })),
    toolbars: document.querySelectorAll('.hp-tb').length,
    // On the extension's own elements, never on <html> (issue 17).
    theme: document.documentElement.getAttribute('data-hp-theme') ?? document.querySelector('.hp-h')?.getAttribute('data-hp-theme') ?? null,
  };
}

/** Stable sort by heat, highest first (ties keep arXiv's order), as the toolbar promises. */
const byHeat = (ids) => ids.map((id, i) => ({ id, i, h: views.get(id)?.heat ?? 0 })).sort((a, b) => b.h - a.h || a.i - b.i).map((x) => x.id);

test('every recorded arXiv page: one badge per entry with its id and the background’s heat; nothing moves; sort, only hot and the star work', async () => {
  const tab = await session.context.newPage();
  await tab.addInitScript(layoutRecorder);
  const checked = [];
  for (const page of PAGES) {
    const where = page.path;
    const res = await tab.goto(`https://arxiv.org${page.path}`);
    assert.equal(res?.status(), 200, `${where}: served by the replay server`);
    const n = page.ids.length;
    // The extension's work is done when every host carries its numbers (and the toolbar is in).
    await session.waitFor(
      () => tab.evaluate(([count, listing]) => {
        const s = window.__hpLayout.samples.at(-1);
        return s && s.settled === count && (!listing || s.toolbar) && (count === 0 || s.active);
      }, [n, !page.abs && n > 0]),
      { what: `${where}: ${n} badges with their numbers`, timeout: 15_000 },
    );
    // Two more frames after the last write, then stop sampling.
    await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const samples = await tab.evaluate(() => {
      window.__hpLayout.stop = true;
      return window.__hpLayout.samples;
    });
    const shown = await tab.evaluate(readPage);

    // ---- contract: one host per entry, normalized id, the background's heat
    if (page.abs) {
      assert.equal(shown.allHosts.length, 1, `${where}: one badge`);
      assert.equal(shown.allHosts[0].id, page.ids[0]);
      assert.equal(shown.allHosts[0].big, true);
      assert.equal(shown.allHosts[0].heat, expectedHeat.get(page.ids[0]), `${where}: heat`);
      assert.equal(shown.toolbars, 0);
    } else {
      const entries = shown.sections.flat();
      assert.deepEqual(entries.map((e) => e.id), page.ids, `${where}: the entries arXiv rendered`);
      assert.equal(shown.allHosts.length, n, `${where}: as many hosts as entries`);
      assert.ok(shown.allHosts.every((h) => h.inDt), `${where}: every host inside an entry`);
      for (const e of entries) {
        assert.equal(e.hosts, 1, `${where} ${e.id}: exactly one host`);
        assert.equal(e.hostId, e.id.replace(/v\d+$/, ''), `${where}: normalized id`);
        assert.equal(e.heat, expectedHeat.get(e.id), `${where} ${e.id}: data-heat is the background's heat`);
        assert.equal(e.state, views.get(e.id).heat > 0 ? 'ok' : 'none', `${where} ${e.id}: state`);
      }
      assert.equal(shown.toolbars, n > 0 ? 1 : 0, `${where}: one toolbar on a listing with entries, none otherwise`);
    }

    // ---- nothing moves: the first sample was taken before the content script ran
    const [first, ...rest] = samples;
    assert.equal(first.at, 'domcontentloaded', where);
    assert.equal(first.active, false, `${where}: the first sample is from before the extension's work`);
    assert.ok(rest.length >= 2 && rest.at(-1).settled === n, `${where}: sampled through the extension's work`);
    for (const s of rest) assert.deepEqual(s.tops, first.tops, `${where}: the page's text stayed put (toolbar ${s.toolbar}, ${s.settled} badges settled)`);

    if (!page.abs && n > 0) await toolbarChecks(tab, page, shown);
    checked.push(`${where} (${page.abs ? 'abs' : `${n} entries`})`);
  }
  console.log(`pages: checked ${checked.length} recorded pages: ${checked.join(', ')}`);
  assert.equal(checked.length, PAGES.length);

  const errors = extensionErrors(session.errors);
  assert.deepEqual(errors, [], 'no errors from the extension in any console');
  await tab.close();
});

async function toolbarChecks(tab, page, shown) {
  const where = page.path;
  const click = (action) => tab.click(`.hp-tb [data-hp-action="${action}"]`);
  const sections = shown.sections.map((s) => s.map((e) => e.id));
  // The nodes of every section, to check that "back to arXiv's order" is exact, not just equal ids.
  await tab.evaluate(() => {
    window.__hpNodes = Array.from(document.querySelectorAll('#dlpage > dl'), (dl) => Array.from(dl.children));
  });

  // ---- sort by heat, within each section
  await click('sort');
  const sorted = await tab.evaluate(readPage);
  assert.deepEqual(sorted.sections.map((s) => s.map((e) => e.id)), sections.map(byHeat), `${where}: sorted by heat within each section`);
  assert.ok(sorted.sections.flat().every((e) => e.ddFollows), `${where}: each entry's details follow it`);
  assert.equal(await tab.getAttribute('.hp-tb [data-hp-action="sort"]', 'aria-pressed'), 'true');
  await click('sort');
  assert.equal(
    await tab.evaluate(() => Array.from(document.querySelectorAll('#dlpage > dl'), (dl, i) => Array.from(dl.children).every((c, j) => c === window.__hpNodes[i][j]) && dl.children.length === window.__hpNodes[i].length).every(Boolean)),
    true,
    `${where}: back to arXiv's exact order`,
  );

  // ---- only hot
  await click('hot');
  const filtered = (await tab.evaluate(readPage)).sections.flat();
  for (const e of filtered) assert.equal(e.hidden, !(views.get(e.id).heat >= THRESHOLD), `${where} ${e.id} (heat ${views.get(e.id).heat.toFixed(1)}): hidden when under the threshold`);
  await click('hot');
  assert.ok((await tab.evaluate(readPage)).sections.flat().every((e) => !e.hidden), `${where}: all shown again`);

  // ---- the star: into settings.watchlist.papers, highlighted; and out again
  const id = page.ids[0];
  const star = `dt ${HOST.replace(']', `="${id}"]`)} .hp-s`;
  await tab.click(star);
  await session.waitFor(async () => (await session.getStorage('settings'))?.watchlist?.papers?.includes(id), { what: `${where}: ${id} in the watchlist`, timeout: 10_000 });
  await session.waitFor(() => tab.evaluate((s) => document.querySelector(s)?.getAttribute('aria-pressed') === 'true', star), { what: `${where}: star pressed` });
  const watched = (await tab.evaluate(readPage)).sections.flat().find((e) => e.id === id);
  assert.equal(watched.watch, true, `${where}: the watched entry is highlighted`);
  assert.notEqual(watched.shadow, 'none', `${where}: the highlight is visible`);
  await tab.click(star);
  await session.waitFor(async () => !(await session.getStorage('settings'))?.watchlist?.papers?.includes(id), { what: `${where}: ${id} out of the watchlist`, timeout: 10_000 });
}

test('X counts read as the digests’ "retweets: X, favorites: Y" on the page (real chrome.i18n, named placeholders)', async () => {
  const page = PAGES.find((p) => p.path === '/list/hep-ph/2009-01');
  const id = page.ids.find((x) => views.get(x)?.parts[0]?.source === 'x');
  assert.ok(id, 'a paper whose strongest signal is X');
  const x = views.get(id).parts[0].counts;
  const tab = await session.context.newPage();
  await tab.goto(`https://arxiv.org${page.path}`);
  const host = `[data-arxiv-id="${id}"][data-heat]`;
  await tab.waitForSelector(`${host}[data-state="ok"]`, { timeout: 15_000 });
  const text = await tab.textContent(`${host} .hp-b`);
  assert.match(text, new RegExp(`^\\S+ · X retweets: ${x.retweets}, favorites: ${x.likes}( · |$)`));
  const label = await tab.getAttribute(`${host} .hp-b`, 'aria-label');
  assert.match(label, new RegExp(`^Heat \\S+, [a-z ]+: X retweets: ${x.retweets}, favorites: ${x.likes}(, |\\. )`));
  await tab.focus(`${host} .hp-b`);
  const row = await tab.$$eval(`${host} .hp-p tr`, (trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
  assert.deepEqual(row[0].slice(0, 2), ['X', `retweets: ${x.retweets}, favorites: ${x.likes}`]);
  await tab.close();
});

test('badge colours follow the page’s background, not the OS colour scheme', async () => {
  const look = (tab) =>
    tab.evaluate(() => {
      const b = document.querySelector('.hp-tb button:not([aria-pressed="true"])');
      const none = document.querySelector('[data-arxiv-id][data-heat][data-state="none"] .hp-b');
      return {
        theme: document.documentElement.hasAttribute('data-hp-theme') ? 'on <html>' : document.querySelector('.hp-tb').getAttribute('data-hp-theme'),
        button: getComputedStyle(b).backgroundColor,
        quiet: getComputedStyle(none).color,
      };
    });
  const open = async (scheme, darkPage) => {
    const tab = await session.context.newPage();
    await tab.emulateMedia({ colorScheme: scheme });
    if (darkPage) {
      // A dark page: arXiv restyled before the extension's document_end script runs (as a dark
      // theme would); DOMContentLoaded listeners of the page run before that script.
      await tab.addInitScript(() => {
        document.addEventListener('DOMContentLoaded', () => {
          const s = document.createElement('style');
          s.textContent = 'html,body{background:#181a1b!important;color:#e8e6e3!important}';
          document.head.appendChild(s);
        });
      });
    }
    await tab.goto('https://arxiv.org/list/math/new');
    await tab.waitForSelector('[data-arxiv-id][data-heat][data-state="none"]', { timeout: 15_000 });
    const seen = await look(tab);
    await tab.close();
    return seen;
  };
  const lightOnDarkOs = await open('dark', false);
  assert.deepEqual(lightOnDarkOs, { theme: 'light', button: 'rgb(247, 247, 247)', quiet: 'rgb(119, 119, 119)' }, 'arXiv’s white page, OS in dark mode: light badges');
  const lightOnLightOs = await open('light', false);
  assert.deepEqual(lightOnLightOs, lightOnDarkOs, 'the OS setting changes nothing on a light page');
  const darkOnLightOs = await open('light', true);
  assert.deepEqual(darkOnLightOs, { theme: 'dark', button: 'rgb(43, 43, 43)', quiet: 'rgb(170, 170, 170)' }, 'a dark page, OS in light mode: dark badges');
  assert.deepEqual(extensionErrors(session.errors), []);
});
