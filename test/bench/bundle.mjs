/**
 * Bundles test/bench/workloads.ts (and the lib/ code it imports) with rolldown — the bundler vite
 * and WXT already install — into node_modules/.cache/hot-papers-bench/: an ES module for Node and
 * an IIFE (globalThis.__hpBench) to evaluate inside an extension page in Chromium.
 * `wxt/browser` is replaced by the page's own `chrome` (absent in Node: only lib/i18n.ts uses it).
 */
import { build } from 'rolldown';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './data.mjs';

const OUT = join(ROOT, 'node_modules', '.cache', 'hot-papers-bench');
const STUB = '\0wxt-browser-stub';

const stubBrowser = {
  name: 'stub-wxt-browser',
  resolveId: (id) => (id === 'wxt/browser' ? STUB : null),
  load: (id) => (id === STUB ? 'export const browser = globalThis.chrome ?? {};' : null),
};

let bundled;

/** Returns { esm: module namespace for Node, iife: source text for a page }. */
export async function bundleWorkloads() {
  if (bundled) return bundled;
  mkdirSync(OUT, { recursive: true });
  const input = join(ROOT, 'test', 'bench', 'workloads.ts');
  const esmFile = join(OUT, 'workloads.mjs');
  const iifeFile = join(OUT, 'workloads.iife.js');
  await build({ input, platform: 'browser', plugins: [stubBrowser], logLevel: 'warn', output: { file: esmFile, format: 'esm' } });
  await build({ input, platform: 'browser', plugins: [stubBrowser], logLevel: 'warn', output: { file: iifeFile, format: 'iife', name: '__hpBench' } });
  const esm = await import(`${pathToFileURL(esmFile).href}?t=${Date.now()}`);
  bundled = { esm, iife: readFileSync(iifeFile, 'utf8') };
  return bundled;
}
