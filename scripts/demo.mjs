/**
 * `npm run demo` — the product working offline on a real arXiv day.
 *
 * Builds the Chrome extension when there is no build, starts the local HTTPS replay server on the
 * demo day (Friday 2026-05-15: arXiv's feed, /new listings and abstract pages made from that day's
 * recorded metadata, Hugging Face's recorded counts; see test/fixtures/README.md "Demo day"), opens
 * Chromium with the extension loaded and every host mapped to that server, lets the extension's
 * first poll run, and opens the cs.CV listing.
 *
 *   npm run demo                       with a display (DISPLAY or WAYLAND_DISPLAY): Chromium stays open
 *                                      on the listing until Ctrl-C; without one: checks the demo
 *                                      headless and says how to see it
 *   npm run demo -- --screenshots      writes docs/screenshots/*.png (headless), then exits; fails
 *                                      when a screenshot would show a loading or empty state
 *   npm run demo -- --headless         force headless
 *   npm run demo -- --day 2026-05-18   the other recorded day (Monday: few counts yet, nothing hot)
 *   npm run demo -- --out DIR          screenshots into DIR instead of docs/screenshots
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from './ensure-chromium.mjs';
import { DEFAULT_DAY, DemoError, LISTING, absUrlOf, hotInView, openListing, pollSummary, startDemo, stopDemo, takeScreenshots } from './demo-session.mjs';
import { DEMO_DAYS } from '../test/fixtures/demo-day/make-demo-day.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const args = new Set(argv);
const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const screenshots = args.has('--screenshots');
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const headless = args.has('--headless') || screenshots || !hasDisplay;
const day = valueOf('--day') ?? DEFAULT_DAY;
const shotsDir = valueOf('--out') ?? join(root, 'docs', 'screenshots');

const say = (msg) => console.log(`demo: ${msg}`);

if (!DEMO_DAYS.includes(day)) {
  console.error(`demo: no recorded day ${day}; recorded: ${DEMO_DAYS.join(', ')}`);
  process.exit(2);
}
if (!existsSync(join(root, '.output', 'chrome-mv3', 'manifest.json')) || args.has('--build')) {
  say('building the extension (npm run build)…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
process.env.CHROMIUM_PATH ??= ensureChromium();

say(`starting on the recorded arXiv day ${day} (${headless ? 'headless' : 'with a window'})…`);
// Wayland without X: let Chromium pick its platform.
const extraArgs = !headless && !process.env.DISPLAY ? ['--ozone-platform-hint=auto'] : [];
let demo;
try {
  demo = await startDemo({ day, headless, extraArgs });
} catch (err) {
  console.error('demo failed to start:', err);
  process.exit(1);
}
let exitCode = 0;
process.on('SIGINT', async () => {
  say('closing…');
  await stopDemo(demo);
  process.exit(exitCode);
});

try {
  const { feeds, sources } = pollSummary(demo);
  say(`replay server on 127.0.0.1:${demo.server.port}; Chromium has the extension ${demo.session.extensionId}`);
  say(`first poll: feed ${feeds}; sources ${sources}`);

  if (screenshots) {
    const shots = await takeScreenshots(demo, shotsDir, (m) => say(m.replace(`${root}/`, '')));
    say(`popup: ${shots.popup.rows.map((r) => `${r.heat} ${r.counts.join(' ')}`).join(' | ')}`);
    say(`listing: ${shots.listing.badges} badges, hot in the first screen: ${shots.listing.hotInView.join(', ')}`);
    say(`abs page breakdown: ${shots.abs.breakdown.map((r) => r.filter(Boolean).join(' ')).join(' | ')}`);
    say(`notification: "${shots.notification.options.title}" — ${shots.notification.options.message}`);
    say(`screenshots in ${relative(root, shotsDir) || shotsDir}`);
  } else {
    const { tab, badges } = await openListing(demo);
    const hot = await hotInView(tab);
    say(`${LISTING}: ${badges.length} badges, ${badges.filter((b) => b.level >= 3).length} hot (${hot.length} in the first screen)`);
    if (headless) {
      say('no display here, so nothing to look at. To see the demo:');
      say('  • with a virtual display: xvfb-run -a npm run demo   (apt-get install xvfb), or run it from a desktop session;');
      say('  • npm run demo -- --screenshots writes what it shows into docs/screenshots/;');
      say('  • or load the build into your own Chrome/Chromium: chrome://extensions → Developer mode → Load unpacked →');
      say(`    ${join(root, '.output', 'chrome-mv3')} (it then polls the live arXiv feeds and sources, not this recorded day).`);
    } else {
      // Hand over a window with just the listing (the harness's helper tab and the first blank tab closed).
      for (const page of demo.session.context.pages()) if (page !== tab) await page.close().catch(() => {});
      await tab.bringToFront();
      say(`Chromium stays open on ${LISTING} (arXiv's announcement of ${day}, replayed). Things to try:`);
      say('  • open the popup: the puzzle-piece menu → Hot Papers for arXiv (pin it to keep the icon); Today is ranked by heat;');
      say('  • press "Sort by heat" above the listing, or "Only hot", and hover or focus a badge for its breakdown;');
      say(`  • open a paper's abstract page, e.g. ${absUrlOf(day)};`);
      say('  • the popup\'s gear opens the options (categories, sources, weights, notifications).');
      say('Press Ctrl-C here to quit.');
      await new Promise(() => {});
    }
  }
  const errors = demo.session.errors.filter((e) => !/Failed to load resource/.test(e.text));
  if (errors.length) say(`page errors seen: ${JSON.stringify(errors.slice(0, 5))}`);
} catch (err) {
  exitCode = 1;
  console.error(err instanceof DemoError ? `demo failed: ${err.message}` : err);
}
await stopDemo(demo);
process.exit(exitCode);
