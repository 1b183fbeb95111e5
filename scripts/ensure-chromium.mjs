// Finds the system Chromium (Debian's `chromium` package); nothing here downloads a browser build.
// When it is missing and we run as root on a Debian-like system, installs it with apt (the README's
// one-line commands then work on a fresh machine); otherwise explains what to install.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function which(cmd) {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

export function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  for (const c of CANDIDATES) {
    const p = which(c);
    if (p) return p;
  }
  return null;
}

export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && which('apt-get')) {
    console.log('Chromium not found: installing Debian\'s chromium package (about a minute)…');
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error('Chromium is needed: install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_PATH.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureChromium());
}
