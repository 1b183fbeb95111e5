/* global navigator -- the evaluated functions below run inside an extension page */
/**
 * The IndexedDB benchmarks (ingest, storage over a week) inside real Chromium: the built extension
 * is loaded, and the bundled workloads (bundle.mjs) are evaluated in one of its pages
 * (chrome-extension://<id>/manifest.json), so parseFeed/storePapers run on Chromium's own IndexedDB
 * in the extension's origin, as in the product. No network: every host name fails to resolve.
 *
 * Run alone: node test/bench/chromium-benches.mjs
 */
import { chromium } from 'playwright-core';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { bundleWorkloads } from './bundle.mjs';
import { ROOT } from './data.mjs';
import { ingestBench, storageBench } from './node-benches.mjs';

const BUILD = join(ROOT, '.output', 'chrome-mv3');

/** Waits up to `ms` for a build to exist (someone else may be rebuilding .output/ right now). */
async function waitForBuild(dir, ms = 90_000) {
  const until = Date.now() + ms;
  while (!existsSync(join(dir, 'manifest.json'))) {
    if (Date.now() > until) throw new Error(`No build at ${dir}: run npm run build`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Launches Chromium with a private copy of the build; returns { context, page, exec, close }. */
export async function launchWithExtension({ chromiumPath = ensureChromium(), build = BUILD } = {}) {
  await waitForBuild(build);
  const tmp = join(tmpdir(), 'hot-papers-bench');
  mkdirSync(tmp, { recursive: true });
  const ext = mkdtempSync(join(tmp, 'ext-'));
  const profile = mkdtempSync(join(tmp, 'profile-'));
  // A private copy: others rebuild .output/ at any time.
  cpSync(build, ext, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      `--disable-extensions-except=${ext}`,
      `--load-extension=${ext}`,
      '--host-resolver-rules=MAP * ~NOTFOUND',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(ext, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  };
  try {
    const sw = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))
      ?? (await context.waitForEvent('serviceworker', { timeout: 20_000, predicate: (w) => w.url().startsWith('chrome-extension://') }));
    const id = new URL(sw.url()).host;
    const page = await context.newPage();
    await page.goto(`chrome-extension://${id}/manifest.json`);
    const { iife } = await bundleWorkloads();
    await page.evaluate(iife);
    if (!(await page.evaluate(() => typeof globalThis.__hpBench?.ingest === 'function'))) throw new Error('bench workloads did not load in the extension page');
    // Let the install-time poll (which fails at once: no network) settle before measuring.
    await page.waitForTimeout(1500);
    const exec = {
      put: (key, value) => page.evaluate(([k, v]) => {
        (globalThis.__data ??= {})[k] = v;
      }, [key, value]),
      call: (fn, ...args) => page.evaluate(([f, a]) => {
        const resolved = a.map((x) => (x && typeof x === 'object' && '$ref' in x ? globalThis.__data[x.$ref] : x));
        return globalThis.__hpBench[f](...resolved);
      }, [fn, args]),
    };
    const version = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
    return { context, page, exec, close, version };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Ingest in Chromium; with `disk`, also the on-disk storage estimate of a (smaller) week. */
export async function runChromiumBenches({ runs = 5, log = () => {}, chromiumPath, disk = false, build = BUILD } = {}) {
  const s = await launchWithExtension({ chromiumPath, build });
  try {
    const where = 'Chromium IndexedDB, extension page';
    log(`Chromium: ${s.version}`);
    const rows = [];
    rows.push(...(await ingestBench(s.exec, { runs, where, log })));
    // Slow here (hundreds of readwrite transactions): 50 papers a day keeps it near a minute.
    if (disk) rows.push(...(await storageBench(s.exec, { where, perDay: 50, estimateOnly: true, log })));
    return rows;
  } finally {
    await s.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runChromiumBenches({ runs: Number(process.env.BENCH_RUNS || 5), log: (m) => console.log(`  ${m}`), disk: process.argv.includes('--disk') });
  for (const r of rows) console.log(`${r.pass ? 'PASS' : 'MISS'}  ${r.name}: ${r.value} ${r.unit}${r.target !== null ? ` (target ≤ ${r.target})` : ''}${r.baseline !== null ? ` baseline ${r.baseline} (×${r.ratio})` : ''}${r.note ? `\n      ${r.note}` : ''}`);
}
