/* global chrome, indexedDB -- evaluated inside the extension's pages and worker */
/**
 * Real-browser harness: launches the system Chromium with the built extension loaded (playwright-core
 * launchPersistentContext), every extension host resolved to the local replay server, and helpers a
 * test needs: the extension id, the popup page, IndexedDB reads through the service worker, a poll
 * trigger over the real message protocol, stopping the service worker through the DevTools protocol,
 * and the console errors of every page.
 *
 * The built extension is copied to a private temp dir first: other people rebuild .output/ at any
 * time, and the reload test edits the copy's manifest.
 */
import { chromium } from 'playwright-core';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOSTS } from './replay-server.mjs';
import { findChromium } from '../../scripts/ensure-chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const BUILD_DIR = join(ROOT, '.output', 'chrome-mv3');
// Profiles and extension copies live outside the repo (nothing there for linters or zips to pick up).
const TMP = join(tmpdir(), 'hot-papers-e2e');

export function chromiumPath() {
  const found = findChromium();
  if (!found) throw new Error('Chromium not found: install it (apt-get install -y chromium) or set CHROMIUM_PATH');
  return found;
}

/** Keys the extension keeps in its secret store, not storage.local (issue 20). */
const isSecretKey = (k) => k === 'credentials' || k.startsWith('source-state:');

/** Every host the extension may talk to goes to the replay server; everything else fails to resolve. */
export function hostResolverRules(port) {
  return [...HOSTS.map((h) => `MAP ${h} 127.0.0.1:${port}`), 'MAP * ~NOTFOUND', 'EXCLUDE 127.0.0.1'].join(', ');
}

/**
 * Launches Chromium with the extension. Returns a session object:
 *   { context, extensionId, sw(), extDir, profileDir, errors, openPopup(), openExtensionPage(path),
 *     sendMessage(type, payload), poll(), readDb(), waitFor(fn), stopServiceWorker(), close() }
 */
/**
 * lang: the browser's UI language (e.g. 'de'), which picks the extension's _locales translation.
 * extraArgs: more Chromium switches (the headed demo's --ozone-platform-hint on Wayland).
 */
export async function launchExtension({ server, headless = true, build = BUILD_DIR, profileDir, extDir, slowMo, grantOptionalHosts = false, lang, extraArgs = [] } = {}) {
  if (!existsSync(join(build, 'manifest.json'))) throw new Error(`No build at ${build}: run npm run build`);
  mkdirSync(TMP, { recursive: true });
  const ownExt = !extDir;
  if (!extDir) {
    extDir = mkdtempSync(join(TMP, 'ext-'));
    cpSync(build, extDir, { recursive: true });
    if (grantOptionalHosts) {
      // As if the user had granted the optional hosts (Bluesky, X) from the options page: a
      // permission prompt cannot be answered in headless Chromium.
      const file = join(extDir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(file, 'utf8'));
      manifest.host_permissions = [...manifest.host_permissions, ...(manifest.optional_host_permissions ?? [])];
      delete manifest.optional_host_permissions;
      writeFileSync(file, JSON.stringify(manifest));
    }
  }
  const ownProfile = !profileDir;
  profileDir ??= mkdtempSync(join(TMP, 'profile-'));

  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless,
    slowMo,
    viewport: { width: 1200, height: 900 },
    args: [
      `--disable-extensions-except=${extDir}`,
      `--load-extension=${extDir}`,
      `--host-resolver-rules=${hostResolverRules(server.port)}`,
      '--ignore-certificate-errors',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(lang ? [`--lang=${lang}`] : []),
      ...extraArgs,
    ],
    // On Linux, Chromium takes its UI language from the environment; --lang alone is not enough.
    ...(lang ? { env: { ...process.env, LANGUAGE: lang, LANG: `${lang}.UTF-8` } } : {}),
  });

  /** Console errors and uncaught exceptions of every page (arxiv.org tabs and extension pages). */
  const errors = [];
  const watch = (page) => {
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push({ url: page.url(), text: m.text(), source: m.location()?.url ?? '' });
    });
    page.on('pageerror', (e) => errors.push({ url: page.url(), text: `uncaught: ${e.message}`, source: e.stack ?? '' }));
  };
  context.pages().forEach(watch);
  context.on('page', watch);

  const sw = async (timeout = 15_000) => {
    const live = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'));
    if (live) return live;
    return context.waitForEvent('serviceworker', { timeout, predicate: (w) => w.url().startsWith('chrome-extension://') });
  };
  const first = await sw();
  const extensionId = new URL(first.url()).host;
  let helperPage = null;

  const session = {
    context,
    extensionId,
    extDir,
    profileDir,
    errors,
    server,
    /** The live service worker (waits for a restarted one). */
    sw,
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    openPopup() {
      return session.openExtensionPage('popup.html');
    },
    /**
     * An extension page without script used to send runtime messages like the popup does: the
     * toolbar icon, an image document, which nothing replaces after it loads (manifest.json opens in
     * Chromium's JSON viewer, which can swap its document under load: "Execution context was
     * destroyed" in whatever was evaluated there).
     */
    async helper() {
      if (!helperPage || helperPage.isClosed()) {
        const page = await context.newPage();
        const url = `chrome-extension://${extensionId}/icon/16.png`;
        await page.goto(url);
        // Right after the browser starts, the new tab's first document can still be replaced once
        // goto has returned (a CI run failed its first message with "Execution context was
        // destroyed"). Only this harmless probe is retried, never a message: the page is handed out
        // once a script has run in its final document.
        for (let attempt = 1; ; attempt++) {
          try {
            await page.evaluate(() => true);
            if (page.url() === url) break;
            await page.goto(url);
          } catch (err) {
            if (attempt >= 20 || !/Execution context was destroyed|navigat/i.test(String(err?.message))) throw err;
            await page.waitForLoadState('load').catch(() => undefined);
            await new Promise((r) => setTimeout(r, 100));
          }
        }
        helperPage = page;
      }
      return helperPage;
    },
    /** Sends one Protocol envelope from an extension page; returns the raw Reply ({ok, value|error}). */
    async sendMessage(type, payload) {
      const page = await session.helper();
      return page.evaluate(([t, p]) => chrome.runtime.sendMessage({ type: t, payload: p }), [type, payload]);
    },
    /** Runs a poll the way the popup's Refresh button does and returns the Reply. */
    poll(reason = 'user') {
      return session.sendMessage('poll:run', { reason });
    },
    /**
     * Asks for a poll and waits until no poll is running and a report exists that finished after
     * the call (a poll already under way, e.g. the install poll, counts). Returns that report.
     */
    async pollAndWait({ reason = 'user', timeout = 60_000 } = {}) {
      const since = Date.now();
      await session.poll(reason);
      return session.waitFor(
        async () => {
          const st = await session.sendMessage('poll:state', {});
          const last = st?.ok ? st.value.lastPoll : null;
          return st?.ok && !st.value.running && last && last.finishedAt >= since - 1000 ? last : null;
        },
        { timeout, what: 'the poll to finish' },
      );
    },
    /**
     * Reads every store of the extension's IndexedDB through the service worker. Never creates the
     * database: opening a missing one without a version would make an empty v1 that breaks the
     * extension's own upgrade. 'listings' and 'signals' give one row per listing entry and per
     * (paper, source), as the v2 stores held them (expanded from the day lists and signal blocks).
     */
    async readDb(stores = ['papers', 'listings', 'meta', 'signals', 'snapshots', 'notified']) {
      // Read from an extension page (same origin as the worker): it survives worker restarts,
      // where Playwright's handle on a stopped worker can hang.
      const page = await session.helper();
      return page.evaluate(async (wanted) => {
        const dbs = await indexedDB.databases();
        if (!dbs.some((d) => d.name === 'hot-papers')) return null;
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('hot-papers');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const out = { version: db.version };
        for (const name of wanted) {
          // Listing rows live grouped in day lists since schema v3, latest signals in signal blocks
          // since v4: give tests the rows, keyed as the old stores keyed them.
          const grouped = { listings: 'dayLists', signals: 'signalBlocks' }[name];
          if (grouped && !db.objectStoreNames.contains(name) && db.objectStoreNames.contains(grouped)) {
            out[name] = await new Promise((res, rej) => {
              const r = db.transaction(grouped).objectStore(grouped).getAll();
              const rows = (g) =>
                name === 'listings'
                  ? g.ids.map((id, i) => ({ key: [g.day, g.category, id], value: { day: g.day, category: g.category, id, announceType: g.types[i] } }))
                  : g.records.map((value) => ({ key: [value.paperId, value.source], value }));
              r.onsuccess = () => res(r.result.flatMap(rows));
              r.onerror = () => rej(r.error);
            });
            continue;
          }
          if (!db.objectStoreNames.contains(name)) continue;
          out[name] = await new Promise((res, rej) => {
            const tx = db.transaction(name);
            const store = tx.objectStore(name);
            const all = store.getAll();
            const keys = store.getAllKeys();
            tx.oncomplete = () => res(all.result.map((value, i) => ({ key: keys.result[i], value })));
            tx.onerror = () => rej(tx.error);
          });
        }
        db.close();
        return out;
      }, stores);
    },
    /**
     * Writes papers and latest signals straight into the extension's IndexedDB, in the current
     * schema of lib/store/db.ts (signals merged into their blocks: ids that differ only in their last two
     * characters share one), as if polls had stored them.
     */
    async seedDb({ papers = [], signals = [] }) {
      const page = await session.helper();
      return page.evaluate(async ({ papers, signals }) => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('hot-papers');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const tx = db.transaction(['papers', 'signalBlocks'], 'readwrite');
        for (const p of papers) tx.objectStore('papers').put(p);
        const blocks = tx.objectStore('signalBlocks');
        const byBlock = new Map();
        for (const s of signals) {
          const key = s.paperId.slice(0, -2);
          if (!byBlock.has(key)) byBlock.set(key, []);
          byBlock.get(key).push(s);
        }
        for (const [key, added] of byBlock) {
          const get = blocks.get(key);
          get.onsuccess = () => {
            const latest = new Map((get.result?.records ?? []).map((r) => [`${r.paperId} ${r.source}`, r]));
            for (const r of added) latest.set(`${r.paperId} ${r.source}`, r);
            const records = [...latest.values()].sort((a, b) => (a.paperId < b.paperId ? -1 : a.paperId > b.paperId ? 1 : a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
            blocks.put({ block: key, records });
          };
        }
        await new Promise((res, rej) => {
          tx.oncomplete = res;
          tx.onerror = () => rej(tx.error);
        });
        db.close();
      }, { papers, signals });
    },
    /**
     * Moves every epoch-ms timestamp of the persisted source statuses (`source-status:*` in the meta
     * store) `ms` into the past: the extension keeps no timers in memory, so this is how a test lets
     * "ten minutes pass" (per-source minimum interval, Retry-After) without waiting for them.
     */
    async ageSourceStatuses(ms) {
      const page = await session.helper();
      return page.evaluate(async (delta) => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('hot-papers');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const tx = db.transaction('meta', 'readwrite');
        const store = tx.objectStore('meta');
        const keys = await new Promise((res) => {
          const r = store.getAllKeys();
          r.onsuccess = () => res(r.result);
        });
        let n = 0;
        for (const key of keys.filter((k) => String(k).startsWith('source-status:'))) {
          const value = await new Promise((res) => {
            const r = store.get(key);
            r.onsuccess = () => res(r.result);
          });
          for (const f of ['lastAttempt', 'lastSuccess', 'retryAt']) if (typeof value[f] === 'number') value[f] -= delta;
          store.put(value, key);
          n++;
        }
        await new Promise((res, rej) => {
          tx.oncomplete = res;
          tx.onerror = () => rej(tx.error);
        });
        db.close();
        return n;
      }, ms);
    },
    /**
     * Writes settings and small state to chrome.storage.local as the options page would; credentials
     * and account state (`credentials`, `source-state:*`) go to the secret store, where the options
     * page keeps them since issue 20.
     */
    async setStorage(items) {
      const secret = Object.fromEntries(Object.entries(items).filter(([k]) => isSecretKey(k)));
      const plain = Object.fromEntries(Object.entries(items).filter(([k]) => !isSecretKey(k)));
      if (Object.keys(secret).length) await session.setSecrets(secret);
      const page = await session.helper();
      if (Object.keys(plain).length) await page.evaluate((it) => chrome.storage.local.set(it), plain);
    },
    async getStorage(key) {
      if (isSecretKey(key)) return session.getSecret(key);
      const page = await session.helper();
      return page.evaluate((k) => chrome.storage.local.get(k).then((r) => r[k]), key);
    },
    /** Writes keys into the extension's secret store (lib/store/secret-store.ts: IndexedDB 'hot-papers-secrets'). */
    async setSecrets(items) {
      const page = await session.helper();
      await page.evaluate(async (it) => {
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('hot-papers-secrets', 1);
          r.onupgradeneeded = () => r.result.createObjectStore('secrets');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const tx = db.transaction('secrets', 'readwrite');
        for (const [k, v] of Object.entries(it)) tx.objectStore('secrets').put(v, k);
        await new Promise((res, rej) => {
          tx.oncomplete = res;
          tx.onerror = () => rej(tx.error);
        });
        db.close();
      }, items);
    },
    async getSecret(key) {
      const page = await session.helper();
      return page.evaluate(async (k) => {
        if (!(await indexedDB.databases()).some((d) => d.name === 'hot-papers-secrets')) return undefined;
        const db = await new Promise((res, rej) => {
          const r = indexedDB.open('hot-papers-secrets');
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        const value = await new Promise((res, rej) => {
          const r = db.transaction('secrets').objectStore('secrets').get(k);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        db.close();
        return value;
      }, key);
    },
    /** poll:state → { running, lastPoll, sources } (throws on an error reply). */
    async pollState() {
      const r = await session.sendMessage('poll:state', {});
      if (!r?.ok) throw new Error(`poll:state failed: ${JSON.stringify(r)}`);
      return r.value;
    },
    /** Polls `fn` until it returns a truthy value (or throws after `timeout`). */
    async waitFor(fn, { timeout = 20_000, interval = 200, what = 'condition' } = {}) {
      const end = Date.now() + timeout;
      let last;
      while (Date.now() < end) {
        try {
          last = await fn();
          if (last) return last;
        } catch (err) {
          last = err;
        }
        await new Promise((r) => setTimeout(r, interval));
      }
      throw new Error(`Timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 300)})`);
    },
    /** Stops every service worker through the DevTools protocol, like chrome://serviceworker-internals "Stop". */
    async stopServiceWorker() {
      const page = await session.helper();
      const cdp = await context.newCDPSession(page);
      try {
        await cdp.send('ServiceWorker.enable');
        await cdp.send('ServiceWorker.stopAllWorkers');
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
    /**
     * Reloads the unpacked extension from its directory, as an update does (bump the version first
     * with bumpVersion). chrome.runtime.reload() disables a command-line-loaded extension in this
     * Chromium, so this goes through the browser's DevTools Extensions.loadUnpacked instead.
     */
    async reloadExtension() {
      const cdp = await context.browser().newBrowserCDPSession();
      try {
        const { id } = await cdp.send('Extensions.loadUnpacked', { path: extDir });
        if (id !== extensionId) throw new Error(`reload gave a new extension id ${id} (was ${extensionId})`);
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
    /**
     * Evaluates `expression` (awaited) in the extension's content-script world of `page` (an
     * arxiv.org tab), through the DevTools protocol: what a script running as the content script
     * could do there (chrome.runtime.sendMessage, chrome.storage.local). Returns its value as JSON.
     */
    async inContentScript(page, expression) {
      const cdp = await context.newCDPSession(page);
      try {
        const worlds = [];
        cdp.on('Runtime.executionContextCreated', (e) => worlds.push(e.context));
        await cdp.send('Runtime.enable');
        const world = await session.waitFor(
          () => worlds.find((c) => c.auxData?.type === 'isolated' && c.origin === `chrome-extension://${extensionId}`),
          { what: 'the content script world', timeout: 10_000 },
        );
        const r = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true });
        if (r.exceptionDetails) throw new Error(`in the content script world: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
        return r.result.value;
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
    /** Chrome's toolbar badge text for the extension (read in the worker). */
    async badgeText() {
      return (await session.helper()).evaluate(() => chrome.action.getBadgeText({}));
    },
    async notifications() {
      return (await session.helper()).evaluate(() => chrome.notifications.getAll());
    },
    /**
     * Headless Chromium drops a notification from getAll() about 8 s after showing it, so a test
     * samples getAll() while things happen. Returns { ids: Set, stop() }.
     */
    watchNotifications(everyMs = 250) {
      const ids = new Set();
      let on = true;
      const loop = (async () => {
        while (on) {
          try {
            for (const id of Object.keys(await session.notifications())) ids.add(id);
          } catch {
            // The helper page may be closing (extension reload); sample again.
          }
          await new Promise((r) => setTimeout(r, everyMs));
        }
      })();
      return {
        ids,
        async stop() {
          on = false;
          await loop;
          return ids;
        },
      };
    },
    async close() {
      await context.close().catch(() => {});
      if (ownProfile) rmSync(profileDir, { recursive: true, force: true });
      if (ownExt) rmSync(extDir, { recursive: true, force: true });
    },
  };
  return session;
}

/** Bumps the version in an unpacked copy's manifest (an "update" for chrome.runtime.reload()). */
/**
 * Version-1 settings with every source of the account suites on (Hugging Face, Hacker News, Bluesky, X,
 * Semantic Scholar), as the credentials and redirects suites store them before signing in.
 */
export const ACCOUNT_SOURCES_SETTINGS = {
  version: 1,
  categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'],
  includeCrossLists: true,
  sources: {
    hf: { enabled: true, weight: 1 },
    hn: { enabled: true, weight: 1 },
    bluesky: { enabled: true, weight: 1 },
    x: { enabled: true, weight: 1 },
    s2: { enabled: true, weight: 0.5 },
  },
  signalsRefreshMinutes: 30,
  hotThreshold: 10,
  notifications: { enabled: true, quietHours: null, dailyCap: 10 },
  watchlist: { papers: [], authors: [], keywords: [] },
  retentionDays: 30,
};

export function bumpVersion(extDir, version) {
  const file = join(extDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  manifest.version = version;
  writeFileSync(file, JSON.stringify(manifest));
}

/** Errors the extension caused: in its own pages, or thrown/logged by its content script in a page. */
export function extensionErrors(errors) {
  return errors.filter((e) => e.url.startsWith('chrome-extension://') || e.source.includes('chrome-extension://') || /Extension context invalidated/i.test(e.text));
}

/** Fails with the collected errors, ignoring what the caller declares expected (regexps). */
export function unexpectedErrors(errors, expected = []) {
  return errors.filter((e) => !expected.some((re) => re.test(e.text)));
}
