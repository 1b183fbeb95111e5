/* global document -- evaluated in the extension pages and arxiv.org tabs */
/**
 * `npm run demo` — the product working offline on recorded data.
 *
 * Builds the Chrome extension when there is no build, starts the local HTTPS replay server (recorded
 * arXiv pages and feeds, Hugging Face / Hacker News / Semantic Scholar / X responses under their real
 * host names), opens Chromium with the extension loaded and every host mapped to that server, runs a
 * poll like the popup's Refresh button, and opens an arXiv listing page.
 *
 *   npm run demo                       headed when DISPLAY is set (stays open until Ctrl-C), else headless
 *   npm run demo -- --screenshots      also writes docs/screenshots/*.png, then exits
 *   npm run demo -- --headless         force headless
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './ensure-chromium.mjs';
import { startReplayServer, FEED_IDS } from '../test/e2e/replay-server.mjs';
import { launchExtension } from '../test/e2e/harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const screenshots = args.has('--screenshots');
const headless = args.has('--headless') || !process.env.DISPLAY;
const shotsDir = join(root, 'docs', 'screenshots');
const LISTING = 'https://arxiv.org/list/math/new';
const ABS = 'https://arxiv.org/abs/2103.17249';

const say = (msg) => console.log(`demo: ${msg}`);

if (!existsSync(join(root, '.output', 'chrome-mv3', 'manifest.json')) || args.has('--build')) {
  say('building the extension (npm run build)…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
ensureChromium();

const server = await startReplayServer();
say(`replay server on 127.0.0.1:${server.port} answering for ${server.hosts.filter((h) => h !== 'replay.test').join(', ')}`);
const session = await launchExtension({ server, headless });
say(`Chromium ${headless ? '(headless)' : ''} started with the extension ${session.extensionId}`);

let exitCode = 0;
const shutdown = async () => {
  await session.close();
  await server.close();
};
process.on('SIGINT', async () => {
  say('closing…');
  await shutdown();
  process.exit(exitCode);
});

try {
  say('running a poll (as the popup\'s Refresh button does)…');
  const last = await session.pollAndWait();
  say(`last poll: feeds ${last.feeds.map((f) => `${f.status} (+${f.added})`).join(', ')}; sources ${last.sources.map((s) => `${s.source}:${s.state}`).join(', ')}`);
  const feedRequests = server.requests({ host: 'rss.arxiv.org' }).map((e) => `${e.path} → ${e.status}`);
  say(`feed requests: ${feedRequests.join('; ') || 'none'}`);

  const popup = await session.openPopup();
  await popup.setViewportSize({ width: 420, height: 620 });
  const rows = await popup
    .waitForFunction(() => document.querySelectorAll('[data-arxiv-id]').length, null, { timeout: 15_000 })
    .then(() => popup.$$eval('[data-arxiv-id]', (els) => els.map((e) => e.getAttribute('data-arxiv-id'))))
    .catch(() => []);
  say(`popup lists ${rows.length} papers: ${rows.join(', ') || '(none)'}; recorded feed ids: ${FEED_IDS.join(', ')}`);

  const listing = await session.context.newPage();
  await listing.goto(LISTING);
  const badges = await listing
    .waitForFunction(() => document.querySelectorAll('[data-heat]').length, null, { timeout: 10_000 })
    .then(() => listing.$$eval('[data-heat]', (els) => els.length))
    .catch(() => 0);
  say(`${LISTING}: ${badges} badges`);

  if (screenshots) {
    mkdirSync(shotsDir, { recursive: true });
    const shot = async (page, name, opts = {}) => {
      const file = join(shotsDir, name);
      await page.screenshot({ path: file, ...opts });
      say(`wrote ${relative(root, file)}`);
    };
    // A toolbar popup is sized by its content (at most 800×600): shoot the page at that size.
    await popup.setViewportSize({ width: 800, height: 600 });
    await popup.reload();
    await popup.waitForFunction(() => document.querySelectorAll('[data-arxiv-id]').length, null, { timeout: 10_000 }).catch(() => {});
    const box = await popup.evaluate(() => {
      const rects = [...document.body.querySelectorAll('body > *')].map((e) => e.getBoundingClientRect());
      return { width: Math.ceil(Math.max(...rects.map((r) => r.right))), height: Math.ceil(Math.max(...rects.map((r) => r.bottom))) + 8 };
    });
    await popup.setViewportSize({ width: Math.min(800, Math.max(320, box.width)), height: Math.min(600, Math.max(200, box.height)) });
    await shot(popup, 'popup.png');
    await shot(listing, 'listing-with-badges.png');
    const abs = await session.context.newPage();
    await abs.goto(ABS);
    await abs.waitForFunction(() => document.querySelectorAll('[data-heat]').length, null, { timeout: 10_000 }).catch(() => {});
    await shot(abs, 'abs-page.png');
    const options = await session.openExtensionPage('options.html');
    await options.waitForLoadState('networkidle').catch(() => {});
    await shot(options, 'options.png', { fullPage: true });
  }

  const errors = session.errors.filter((e) => !/Failed to load resource/.test(e.text));
  if (errors.length) say(`page errors seen: ${JSON.stringify(errors.slice(0, 5))}`);

  if (!headless && !screenshots) {
    say('Chromium stays open on recorded data; press Ctrl-C to quit.');
    await new Promise(() => {});
  }
} catch (err) {
  exitCode = 1;
  console.error('demo failed:', err);
}
await shutdown();
process.exit(exitCode);
