/**
 * Real Firefox with the built add-on (.output/firefox-mv2) installed, every extension host served
 * by the local replay server, and a desktop notification server to show notifications on.
 *
 * - Driver: puppeteer-core over WebDriver BiDi (`browser: 'firefox'`), the system Firefox
 *   (Debian's firefox-esr); nothing downloads a browser. `installExtension` installs the unpacked
 *   build as a temporary add-on (BiDi webExtension.install), as about:debugging would.
 * - Network: Firefox has no --host-resolver-rules, so its proxy prefs send every request to
 *   connect-proxy.mjs, which pipes CONNECTs for the replay server's hosts to it and refuses the
 *   rest. `acceptInsecureCerts` turns certificate checks off browser-wide (not only for pages):
 *   the background page's fetches reach the self-signed replay server too.
 * - Extension contexts: BiDi skips moz-extension:// documents (Bug 1755014), so the background
 *   page, the popup page and their console are reached over Firefox's DevTools protocol (rdp.mjs)
 *   on a port given with --start-debugger-server.
 * - A fixed moz-extension UUID (pref extensions.webextensions.uuids) gives the extension's pages
 *   known URLs.
 * - Notifications: shown on a private D-Bus notification server (notification-daemon.mjs), so the
 *   test sees what the desktop was asked to show and can click it.
 *
 * The build is copied to a private temp dir first: other people rebuild .output/ at any time.
 */
import puppeteer from 'puppeteer-core';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOSTS } from '../e2e/replay-server.mjs';
import { startConnectProxy } from './connect-proxy.mjs';
import { startNotificationDaemon } from './notification-daemon.mjs';
import { attachAddon, connectRdp } from './rdp.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
export const BUILD_DIR = join(ROOT, '.output', 'firefox-mv2');
export const ADDON_ID = 'hot-papers@arxiv-hot-papers.example';
/** The add-on's moz-extension:// host in every run (any fixed UUID does). */
export const EXTENSION_UUID = '3d6c5f0e-8b1a-4e7c-9f2d-5a4b3c2d1e0f';
export const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
const TMP = join(tmpdir(), 'hot-papers-firefox');

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

/** FIREFOX_PATH, else Debian's firefox-esr, else a `firefox` on PATH. */
export function findFirefox() {
  if (process.env.FIREFOX_PATH && existsSync(process.env.FIREFOX_PATH)) return process.env.FIREFOX_PATH;
  return which('firefox-esr') ?? which('firefox');
}

export function findDbusDaemon() {
  return which('dbus-daemon');
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

/**
 * Starts the proxy, the notification server and Firefox, installs the add-on and attaches to it.
 * Returns { browser, addon, rdp, proxy, notifications, clickNotification(id), manifest, background(), evaluate(target, src),
 * openPopup(), extensionMessages(), waitFor(fn), close() }.
 */
export async function launchFirefox({ server, build = BUILD_DIR, headless = true } = {}) {
  if (!existsSync(join(build, 'manifest.json'))) throw new Error(`No build at ${build}: run npm run build:firefox`);
  const executablePath = findFirefox();
  if (!executablePath) throw new Error('Firefox not found: apt-get install -y firefox-esr, or set FIREFOX_PATH');
  const dbusDaemon = findDbusDaemon();
  if (!dbusDaemon) throw new Error('dbus-daemon not found (apt-get install -y dbus-daemon): Firefox shows notifications over D-Bus');

  mkdirSync(TMP, { recursive: true });
  const extDir = mkdtempSync(join(TMP, 'ext-'));
  cpSync(build, extDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(extDir, 'manifest.json'), 'utf8'));

  const cleanups = [() => rmSync(extDir, { recursive: true, force: true })];
  const close = async () => {
    for (const fn of cleanups.reverse()) await Promise.resolve().then(fn).catch(() => {});
  };
  try {
    const proxy = await startConnectProxy({ targetPort: server.port, hosts: HOSTS });
    cleanups.push(() => proxy.close());
    const daemon = await startNotificationDaemon({ dbusDaemon });
    cleanups.push(() => daemon.close());
    const rdpPort = await freePort();

    const browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath,
      headless,
      acceptInsecureCerts: true,
      args: ['--start-debugger-server', String(rdpPort)],
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: daemon.address },
      extraPrefsFirefox: {
        // Every http(s) request goes to the local CONNECT proxy; none may fall back to a direct one.
        'network.proxy.type': 1,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxy.port,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxy.port,
        'network.proxy.no_proxies_on': '',
        'network.proxy.failover_direct': false,
        'network.trr.mode': 5,
        'network.dns.disablePrefetch': true,
        'extensions.webextensions.uuids': JSON.stringify({ [ADDON_ID]: EXTENSION_UUID }),
        // The DevTools server, without the "allow incoming connection?" prompt.
        'devtools.debugger.remote-enabled': true,
        'devtools.chrome.enabled': true,
        'devtools.debugger.prompt-connection': false,
      },
    });
    cleanups.push(() => browser.close());

    const rdp = await connectRdp(rdpPort);
    cleanups.push(() => rdp.close());
    const installedId = await browser.installExtension(extDir);
    if (installedId !== ADDON_ID) throw new Error(`installed as ${installedId}, expected ${ADDON_ID}`);
    const addon = await attachAddon(rdp, ADDON_ID);

    const session = {
      browser,
      addon,
      rdp,
      proxy,
      manifest,
      /** What the notification server was asked to show: [{ id, appName, summary, body, actions, closed }]. */
      notifications: daemon.notifications,
      /** Clicks a shown notification, as the user would on the desktop. */
      clickNotification: (id) => daemon.click(id),
      /** The background page's DevTools target. */
      background: () => addon.target(`${EXTENSION_ORIGIN}/_generated_background_page.html`),
      /** Evaluates `source` in an extension document (await-able; return JSON strings for data). */
      evaluate: (target, source) => rdp.evaluate(target.consoleActor, source),
      /**
       * Opens the toolbar button's popup (browserAction.openPopup(), from the background page: there
       * is no toolbar to click in headless Firefox) and returns its target once it is the shown panel.
       */
      async openPopup() {
        const bg = await session.background();
        const url = `${EXTENSION_ORIGIN}/popup.html`;
        const known = new Set(addon.targets.map((t) => t.actor));
        await session.evaluate(bg, 'browser.browserAction.openPopup().then(() => true)');
        return session.waitFor(async () => {
          for (const t of addon.targets.filter((x) => x.url === url && !known.has(x.actor))) {
            if (await session.evaluate(t, 'browser.extension.getViews({ type: "popup" }).includes(window)')) return t;
          }
          return null;
        }, { what: 'the toolbar popup' });
      },
      /** Console errors and warnings, uncaught errors and rejections of the add-on's own documents. */
      extensionMessages() {
        return addon.messages
          .filter((m) => m.resourceType === 'error-message' || ['error', 'warn', 'warning', 'assert'].includes(m.level))
          .map((m) => ({
            kind: m.resourceType === 'error-message' ? 'error' : m.level,
            text: m.pageError?.errorMessage ?? (m.arguments ?? []).map((a) => (typeof a === 'object' ? JSON.stringify(a) : String(a))).join(' '),
            source: m.pageError?.sourceName ?? m.filename ?? '',
          }));
      },
      /** Polls fn until it returns a truthy value. */
      async waitFor(fn, { timeout = 20_000, interval = 100, what = 'condition' } = {}) {
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
      close,
    };
    return session;
  } catch (err) {
    await close();
    throw err;
  }
}
