/* global chrome, document, indexedDB, performance -- functions below are evaluated inside the extension's pages */
/**
 * Popup A/B (issue 17): several builds of the popup opened in ONE browser, interleaved, each opening
 * followed by the empty extension page of popup.mjs — so that a change is judged against the code
 * before it in the same minutes of a shared machine, not against another run's figures.
 *
 *   node test/bench/popup-ab.mjs [--rounds N] name=<built extension dir> [name=<dir> …]
 *
 * The loaded extension is the current build (.output/chrome-mv3): its worker, cache (the 100,000
 * papers of popup.mjs) and preview serve every variant. Each variant's popup.html and scripts are
 * copied under /<name>/ of the loaded copy (e.g. a build of main saved before the change: `cp -r
 * .output/chrome-mv3 /tmp/main-build`). Each round opens every variant once, in a rotating order,
 * after two warm-up rounds. Per variant: first contentful paint minus the empty page opened right
 * after it (issue 17's figure: median and a 20 %-trimmed mean), first contentful paint minus the
 * boot script's start (hp:boot; hp:request in builds before it: the part a popup change can move, without the navigation's
 * noise), who painted the first rows. An opening whose first rows, or rows once the worker has
 * answered, are not the preview's fails the run.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchExtension } from '../e2e/harness.mjs';
import { blankOpener, CATEGORIES, DAYS, PAPERS, fill, median, quiet, templates, weekdays } from './popup.mjs';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 20;
const variants = args.filter((a, i) => a.includes('=') && i !== roundsAt + 1).map((a) => a.split('='));
if (!variants.length) throw new Error('usage: node test/bench/popup-ab.mjs [--rounds N] name=<built extension dir> …');

const trimmedMean = (xs) => {
  const a = [...xs].sort((x, y) => x - y);
  const k = Math.floor(a.length / 5);
  const kept = a.slice(k, a.length - k);
  return kept.reduce((p, c) => p + c, 0) / kept.length;
};

const session = await launchExtension({ server: { port: 9 } });
const out = Object.fromEntries(variants.map(([n]) => [n, []]));
try {
  for (const [name, dir] of variants) {
    cpSync(dir, join(session.extDir, name), { recursive: true });
    writeFileSync(join(session.extDir, name, 'popup.html'), readFileSync(join(dir, 'popup.html'), 'utf8').replace(/(src|href)="\//g, `$1="/${name}/`));
  }
  const helper = await session.helper();
  await session.waitFor(() => helper.evaluate(async () => (await indexedDB.databases()).some((d) => d.name === 'hot-papers' && d.version >= 4)), { what: 'database created', timeout: 30_000 });
  await session.waitFor(async () => !(await session.sendMessage('poll:state', {}))?.value?.running, { what: 'install poll finished', timeout: 60_000 }).catch(() => undefined);
  await helper.evaluate(fill, { tpl: templates(), days: weekdays('2026-11-25', DAYS), perDay: PAPERS / DAYS, categories: CATEGORIES, now: Date.now() });
  const readPreview = () => helper.evaluate(() => chrome.storage.session.get('popup:preview').then((r) => (r['popup:preview'] ? JSON.parse(r['popup:preview']).list.items.map((v) => v.paper.id) : null)));
  const openBlank = blankOpener(session);
  const open = async (name, record) => {
    const stored = await readPreview();
    await quiet();
    const page = await session.context.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/${name}/popup.html`);
    await page.waitForFunction(() => performance.getEntriesByName('hp:rows').length > 0, null, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('li[data-arxiv-id]').length >= 200, null, { timeout: 60_000 });
    await page.waitForTimeout(500);
    const r = await page.evaluate(() => {
      const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? null;
      const rows = performance.getEntriesByName('hp:rows')[0];
      return { fcp: at('first-contentful-paint'), request: at('hp:boot') ?? at('hp:request'), by: rows.detail?.by ?? 'app', painted: rows.detail?.ids ?? null, answered: [...document.querySelectorAll('li[data-arxiv-id]')].slice(0, 8).map((e) => e.dataset.arxivId) };
    });
    await page.close();
    r.blank = await openBlank();
    if (!record) return;
    if (stored === null || JSON.stringify(r.answered) !== JSON.stringify(stored) || (r.painted && JSON.stringify(r.painted) !== JSON.stringify(stored))) throw new Error(`${name}: rows other than the preview's: ${JSON.stringify({ stored, r })}`);
    out[name].push(r);
  };
  const names = variants.map(([n]) => n);
  for (let i = 0; i < 2; i++) for (const n of names) await open(n, false);
  for (let i = 0; i < ROUNDS; i++) {
    const k = i % names.length;
    for (const n of [...names.slice(k), ...names.slice(0, k)]) await open(n, true);
  }
} finally {
  await session.close();
}
const f = (x) => x.toFixed(1);
for (const [name, xs] of Object.entries(out)) {
  const over = xs.map((o) => o.fcp - o.blank);
  const fromBoot = xs.map((o) => o.fcp - o.request);
  const by = [...new Set(xs.map((o) => o.by))].join('/');
  console.log(`${name}: first rows after the empty page ${f(median(over))} ms median, ${f(trimmedMean(over))} trimmed mean; boot start → first rows ${f(median(fromBoot))} ms median, ${f(trimmedMean(fromBoot))} trimmed mean; first contentful paint ${f(median(xs.map((o) => o.fcp)))} ms, empty page ${f(median(xs.map((o) => o.blank)))} ms (medians of ${xs.length}); painted by ${by}`);
}
