/**
 * `npm run test:firefox`: the Firefox smoke test (smoke.mjs). Makes sure Firefox and dbus-daemon
 * are there (Debian's firefox-esr and dbus-daemon, apt-installed when missing and running as root,
 * as the Chromium runner does) and a Firefox build exists (builds .output/firefox-mv2 when missing).
 */
import { execSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, ROOT, findDbusDaemon, findFirefox } from './launch.mjs';

const missing = [!findFirefox() && 'firefox-esr', !findDbusDaemon() && 'dbus-daemon'].filter(Boolean);
if (missing.length) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('sh', ['-c', 'command -v apt-get']).status !== 0) {
    console.error(`Needed: ${missing.join(', ')} (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}; or set FIREFOX_PATH).`);
    process.exit(1);
  }
  console.log(`Installing Debian's ${missing.join(' and ')}…`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, { stdio: 'inherit' });
}

if (!existsSync(join(BUILD_DIR, 'manifest.json'))) {
  console.log('No build in .output/firefox-mv2 — building it first.');
  const build = spawnSync('npm', ['run', 'build:firefox'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const res = spawnSync(process.execPath, ['--test', join('test', 'firefox', 'smoke.mjs')], { cwd: ROOT, stdio: 'inherit', env: process.env });
process.exit(res.status ?? 1);
