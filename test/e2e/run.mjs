/**
 * `npm run test:e2e`: makes sure Chromium is there (Debian's package, apt-installed when missing and
 * running as root: scripts/ensure-chromium.mjs) and a Chrome build exists (builds when
 * .output/chrome-mv3 is missing), then runs every test/e2e/*.e2e.mjs file with node's test runner. Two files at a time: each one
 * drives its own Chromium, and the machines this runs on (CI included) have 2 cores.
 *
 *   node test/e2e/run.mjs [file-filter …]   e.g. `npm run test:e2e -- faults`
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureChromium } from '../../scripts/ensure-chromium.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

// The harness reads CHROMIUM_PATH (or finds the system Chromium); install it first when missing.
process.env.CHROMIUM_PATH ??= ensureChromium();

if (!existsSync(join(root, '.output', 'chrome-mv3', 'manifest.json'))) {
  console.log('No build in .output/chrome-mv3 — building it first.');
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.e2e.mjs'))
  .filter((f) => !filters.length || filters.some((x) => f.includes(x)))
  .sort()
  .map((f) => join('test', 'e2e', f));
if (!files.length) {
  console.error(`No end-to-end test files match ${filters.join(' ')}`);
  process.exit(1);
}

const concurrency = process.env.E2E_CONCURRENCY ?? '2';
const res = spawnSync(
  process.execPath,
  ['--test', `--test-concurrency=${concurrency}`, ...files],
  { cwd: root, stdio: 'inherit', env: process.env },
);
process.exit(res.status ?? 1);
