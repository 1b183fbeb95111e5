/* global chrome, document, window -- evaluated in the extension's worker and pages and in arxiv.org tabs */
/**
 * The demo's steps, shared by `npm run demo` (scripts/demo.mjs) and the end-to-end check that its
 * screenshot step works headless (test/e2e/demo.e2e.mjs).
 *
 * The demo day is a real announcement (test/fixtures/README.md, "Demo day"): the replay server serves
 * arXiv's feed, listing and abstract pages derived from that day's recorded metadata and Hugging
 * Face's recorded counts. Every step waits for what it shows and throws DemoError when the page would
 * show a loading or empty state, so a screenshot of a half-loaded product is never written.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startReplayServer } from '../test/e2e/replay-server.mjs';
import { launchExtension } from '../test/e2e/harness.mjs';
import { DEMO_ABS } from '../test/fixtures/demo-day/make-demo-day.mjs';

export class DemoError extends Error {
  name = 'DemoError';
}

export const DEFAULT_DAY = '2026-05-15';
/** The listing the demo opens: the day's biggest recorded category. */
export const LISTING = 'https://arxiv.org/list/cs.CV/new';
export const absUrlOf = (day) => `https://arxiv.org/abs/${DEMO_ABS[day]}`;

/** At least this many papers with counts must be in the popup's screenshot (issue 18). */
const MIN_POPUP_PAPERS = 15;

/**
 * Starts the replay server on the demo day and Chromium with the extension, and waits for the end
 * of the install poll (the extension polls as soon as it is installed). The worker's
 * chrome.notifications.create is wrapped first, so the demo knows what the notification said: the
 * Hugging Face replies are held back until the wrapper is in place (the poll asks the sources after
 * the feed, and shows its notification after the sources).
 */
export async function startDemo({ day = DEFAULT_DAY, headless = true, build, extraArgs = [] } = {}) {
  const server = await startReplayServer({ demoDay: day });
  server.setScenario('huggingface.co', 'slow', { delayMs: 1500 });
  let session;
  try {
    session = await launchExtension({ server, headless, build, extraArgs });
    const worker = await session.sw();
    await worker.evaluate(() => {
      if (globalThis.__demoNotifications) return;
      globalThis.__demoNotifications = [];
      const create = chrome.notifications.create.bind(chrome.notifications);
      chrome.notifications.create = (...args) => {
        const [id, options] = typeof args[0] === 'string' ? args : [undefined, args[0]];
        globalThis.__demoNotifications.push({ id, options });
        return create(...args);
      };
    });
    server.setScenario('huggingface.co', 'normal');
    // The install poll is the demo's poll (another one would find nothing new and notify nothing).
    const poll = await session.waitFor(
      async () => {
        const st = await session.pollState();
        return !st.running && st.lastPoll ? st.lastPoll : null;
      },
      { timeout: 90_000, what: 'the install poll to finish' },
    );
    return { day, server, session, poll, worker };
  } catch (err) {
    await session?.close();
    await server.close();
    throw err;
  }
}

export async function stopDemo(demo) {
  await demo.session.close();
  await demo.server.close();
}

/** What the poll did, in one line per part; throws when the feed or Hugging Face did not deliver. */
export function pollSummary(demo) {
  const { poll } = demo;
  const feeds = poll.feeds.map((f) => `${f.status} (+${f.added})`).join(', ');
  const sources = poll.sources.map((s) => `${s.source}: ${s.state}${s.papers !== undefined ? ` (${s.papers})` : ''}`).join(', ');
  if (!poll.feeds.length || poll.feeds.some((f) => f.status === 'error')) throw new DemoError(`the feed poll failed: ${JSON.stringify(poll.feeds)}`);
  const hf = poll.sources.find((s) => s.source === 'hf');
  if (!hf || hf.state !== 'ok') throw new DemoError(`Hugging Face did not answer: ${JSON.stringify(hf)}`);
  return { feeds, sources };
}

/** The notification the install poll showed (title, message, items), as passed to chrome.notifications.create. */
export async function shownNotification(demo) {
  const worker = await demo.session.sw();
  const all = await worker.evaluate(() => globalThis.__demoNotifications ?? null);
  if (all === null) throw new DemoError('the worker restarted before the demo read its notification');
  const hot = all.find((n) => n.options?.title);
  if (!hot) throw new DemoError('the poll showed no notification (no hot paper today?)');
  return hot.options;
}

async function popupRows(page) {
  return page.$$eval('li.row[data-arxiv-id]', (rows) =>
    rows.map((r) => ({
      id: r.getAttribute('data-arxiv-id'),
      title: r.querySelector('.title')?.textContent ?? '',
      counts: [...r.querySelectorAll('.heat-badge .count')].map((c) => c.textContent),
      heat: r.querySelector('.heat-badge .heat')?.textContent ?? '',
    })),
  );
}

/**
 * The popup's Today view once the worker's answer is in (not the preview of 8 rows, not "Loading"):
 * at least `min` rows, the first `min` of them with counts. Returns the page and its rows.
 */
export async function openPopup(demo, { min = MIN_POPUP_PAPERS, width = 460, height = 600, timeout = 20_000 } = {}) {
  const page = await demo.session.openPopup();
  await page.setViewportSize({ width, height });
  try {
    await page.waitForFunction(
      (n) => {
        const rows = document.querySelectorAll('li.row[data-arxiv-id]');
        const counted = [...rows].slice(0, n).filter((r) => r.querySelector('.heat-badge .count')).length;
        return rows.length >= n && counted >= n && !document.querySelector('[aria-busy="true"]');
      },
      min,
      { timeout },
    );
  } catch {
    const rows = await popupRows(page).catch(() => []);
    await page.close().catch(() => {});
    throw new DemoError(`the popup did not list ${min} papers with counts (it shows ${rows.length} rows, ${rows.filter((r) => r.counts.length).length} with counts)`);
  }
  return { page, rows: await popupRows(page) };
}

/** A listing tab with every badge painted (none pending); `sort` presses the toolbar's "Sort by heat". */
export async function openListing(demo, { sort = false, url = LISTING } = {}) {
  const tab = await demo.session.context.newPage();
  await tab.goto(url);
  try {
    await tab.waitForFunction(
      () => {
        const hosts = document.querySelectorAll('dt [data-arxiv-id][data-heat]');
        return hosts.length > 0 && hosts.length === document.querySelectorAll('dl dt').length && ![...hosts].some((h) => h.getAttribute('data-state') === 'pending');
      },
      null,
      { timeout: 30_000 },
    );
  } catch {
    throw new DemoError(`${url}: the badges did not all arrive`);
  }
  if (sort) {
    await tab.click('.hp-tb [data-hp-action="sort"]');
    await tab.waitForSelector('.hp-tb [data-hp-action="sort"][aria-pressed="true"]');
  }
  const badges = await tab.$$eval('dt [data-arxiv-id][data-heat]', (hosts) => hosts.map((h) => ({ id: h.getAttribute('data-arxiv-id'), heat: Number(h.getAttribute('data-heat')), level: Number(h.getAttribute('data-level')) })));
  return { tab, badges };
}

/** Hot badges (level ≥ 3: at or over the threshold) whose row is inside the first screen. */
export async function hotInView(tab) {
  return tab.$$eval('dt [data-arxiv-id][data-level]', (hosts) =>
    hosts.filter((h) => Number(h.getAttribute('data-level')) >= 3 && h.getBoundingClientRect().bottom <= window.innerHeight && h.getBoundingClientRect().top >= 0).map((h) => h.getAttribute('data-arxiv-id')),
  );
}

/** The abs page of the demo's paper with its numbers in and its breakdown open. */
export async function openAbs(demo) {
  const url = absUrlOf(demo.day);
  const tab = await demo.session.context.newPage();
  await tab.goto(url);
  const host = '#abs [data-arxiv-id][data-heat], .extra-services [data-arxiv-id][data-heat], [data-arxiv-id][data-heat].hp-big';
  try {
    await tab.waitForSelector(`:is(${host})[data-state="ok"]`, { timeout: 30_000 });
  } catch {
    throw new DemoError(`${url}: the paper's numbers did not arrive`);
  }
  await tab.focus(`:is(${host}) .hp-b`);
  await tab.hover(`:is(${host}) .hp-b`);
  try {
    await tab.waitForFunction(
      (sel) => {
        const p = document.querySelector(`:is(${sel}) .hp-p`);
        return p && p.getBoundingClientRect().height > 0 && p.querySelectorAll('tr').length > 0;
      },
      host,
      { timeout: 10_000 },
    );
  } catch {
    throw new DemoError(`${url}: the breakdown did not open`);
  }
  const rows = await tab.$$eval(`:is(${host}) .hp-p tr`, (trs) => trs.map((tr) => Array.from(tr.children, (td) => td.textContent)));
  return { tab, rows };
}

/**
 * Renders a notification as Chromium's own notification card draws it (its message center on
 * Linux and ChromeOS: the extension's name in the header, bold title, the message, a list
 * notification's items as "title message" lines, the icon at the right), from exactly the
 * options the worker passed to chrome.notifications.create. Text goes in as text.
 */
export async function renderNotification(demo, options) {
  const page = await demo.session.context.newPage();
  await page.setViewportSize({ width: 400, height: 260 });
  const icon = readFileSync(join(demo.session.extDir, options.iconUrl ? new URL(options.iconUrl).pathname : 'icon/128.png'));
  const manifest = JSON.parse(readFileSync(join(demo.session.extDir, 'manifest.json'), 'utf8'));
  const appName = manifest.name.startsWith('__MSG_') ? 'Hot Papers for arXiv' : manifest.name;
  await page.setContent(`<!doctype html><html><head><style>
    body { margin: 0; padding: 16px; background: #3c4043; font-family: Roboto, "Segoe UI", "DejaVu Sans", sans-serif; }
    .card { width: 360px; background: #fff; border-radius: 8px; box-shadow: 0 2px 6px rgba(0,0,0,.35); overflow: hidden; }
    .head { display: flex; align-items: center; gap: 6px; padding: 10px 12px 0; font-size: 12px; color: #5f6368; }
    .head img { width: 16px; height: 16px; }
    .body { display: flex; gap: 12px; padding: 6px 12px 14px; }
    .text { flex: 1; min-width: 0; }
    .title { font-size: 13px; font-weight: 600; color: #202124; margin-bottom: 2px; }
    .message { font-size: 13px; color: #5f6368; white-space: pre-line; }
    .items { margin-top: 4px; font-size: 13px; color: #5f6368; }
    .items div { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .items b { color: #202124; font-weight: 500; }
    .icon { width: 48px; height: 48px; flex: none; }
  </style></head><body><div class="card" role="alert"><div class="head"><img alt=""><span class="app"></span><span>· now</span></div>
  <div class="body"><div class="text"><div class="title"></div><div class="message"></div><div class="items"></div></div><img class="icon" alt=""></div></div></body></html>`);
  await page.evaluate(
    ({ o, src, app }) => {
      document.querySelector('.head img').src = src;
      document.querySelector('.icon').src = src;
      document.querySelector('.app').textContent = app;
      document.querySelector('.title').textContent = o.title;
      document.querySelector('.message').textContent = o.type === 'list' && o.items?.length ? '' : o.message;
      const items = document.querySelector('.items');
      for (const it of o.items ?? []) {
        const line = document.createElement('div');
        const b = document.createElement('b');
        b.textContent = it.title;
        line.append(b, ` ${it.message}`);
        items.append(line);
      }
    },
    { o: options, src: `data:image/png;base64,${icon.toString('base64')}`, app: appName },
  );
  const box = await page.evaluate(() => {
    const r = document.querySelector('.card').getBoundingClientRect();
    return { width: Math.ceil(r.right + 16), height: Math.ceil(r.bottom + 16) };
  });
  await page.setViewportSize(box);
  return page;
}

/** The options page once its form is filled from the stored settings. */
export async function openOptions(demo) {
  const page = await demo.session.openExtensionPage('options.html');
  try {
    await page.waitForFunction(() => document.querySelectorAll('form input, input').length > 5 && !document.querySelector('[aria-busy="true"]'), null, { timeout: 15_000 });
  } catch {
    throw new DemoError('the options page did not render its form');
  }
  return page;
}

/**
 * Writes the README's screenshots into `dir`: popup.png (Today, ≥15 papers with counts),
 * listing-with-badges.png (sorted by heat, hot badges in the first screen), abs-page.png (numbers in,
 * breakdown open), notification.png, options.png. Returns what each shows.
 */
export async function takeScreenshots(demo, dir, log = () => {}) {
  mkdirSync(dir, { recursive: true });
  const out = {};
  const shot = async (page, name, opts = {}) => {
    const file = join(dir, name);
    await page.screenshot({ path: file, ...opts });
    log(`wrote ${file}`);
    return file;
  };

  const { page: popup, rows } = await openPopup(demo);
  // A toolbar popup is at most 600 px high and its list scrolls (about four rows show at once); the
  // screenshot shows the list unrolled, down to the 16th row, so the ranking can be read at a glance.
  await popup.addStyleTag({ content: 'body { max-height: none !important; } .panel { max-height: none !important; overflow: visible !important; }' });
  const clip = await popup.evaluate((n) => {
    const rows = document.querySelectorAll('li.row[data-arxiv-id]');
    const last = rows[Math.min(rows.length, n) - 1].getBoundingClientRect();
    return { x: 0, y: 0, width: document.documentElement.scrollWidth, height: Math.ceil(last.bottom + window.scrollY + 4) };
  }, MIN_POPUP_PAPERS + 1);
  await popup.setViewportSize({ width: clip.width, height: clip.height });
  await popup.waitForFunction((n) => document.querySelectorAll('li.row[data-arxiv-id] .heat-badge .count').length >= n, MIN_POPUP_PAPERS);
  out.popup = { file: await shot(popup, 'popup.png', { clip }), rows: rows.slice(0, MIN_POPUP_PAPERS + 1) };

  const { tab: listing, badges } = await openListing(demo, { sort: true });
  await listing.evaluate(() => window.scrollTo(0, 0));
  const hot = await hotInView(listing);
  if (!hot.length) throw new DemoError('no hot badge in the first screen of the sorted listing');
  out.listing = { file: await shot(listing, 'listing-with-badges.png'), badges: badges.length, hotInView: hot };
  await listing.close();

  const { tab: abs, rows: breakdown } = await openAbs(demo);
  out.abs = { file: await shot(abs, 'abs-page.png'), breakdown };
  await abs.close();

  const options = await shownNotification(demo);
  const card = await renderNotification(demo, options);
  out.notification = { file: await shot(card, 'notification.png'), options };
  await card.close();

  const settings = await openOptions(demo);
  out.options = { file: await shot(settings, 'options.png', { fullPage: true }) };
  await settings.close();
  await popup.close();
  return out;
}
