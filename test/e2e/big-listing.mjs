/**
 * The load test's big listing: arxiv-browse's own rendering of /list/hep-ph/2009-01
 * (test/fixtures/fake_list_hep-ph_2009-01.html, 50 rows) with its <dt>/<dd> pairs repeated to `n`.
 * No markup is invented: each copy only gets a distinct id (every occurrence of the row's id string
 * is replaced by 2401.NNNNN) and its running item number, so the page has `n` different papers as a
 * show=2000 month page would. (The content-script benchmark measures a /new page with abstracts
 * instead: test/bench/new-listing.mjs.)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fake_list_hep-ph_2009-01.html');

/** The real page with its 50 rows repeated to `n`, each copy under a distinct id. */
export function buildBigListing(n = 2000) {
  const html = readFileSync(FIXTURE, 'utf8');
  const open = html.indexOf("<dl id='articles'>");
  const close = html.indexOf('</dl>', open);
  if (open < 0 || close < 0) throw new Error('fixture layout changed: no <dl id="articles">');
  const body = html.slice(open + "<dl id='articles'>".length, close);
  // Split into rows: each starts at "<dt>" and runs to the next one.
  const starts = [...body.matchAll(/<dt>/g)].map((m) => m.index);
  const rows = starts.map((s, i) => body.slice(s, starts[i + 1] ?? body.length));
  const out = [];
  const ids = [];
  for (let k = 0; k < n; k++) {
    const row = rows[k % rows.length];
    const orig = /id="(\d{4}\.\d{4,5})"/.exec(row)?.[1];
    if (!orig) throw new Error('row without an id');
    const id = `2401.${String(k + 1).padStart(5, '0')}`;
    ids.push(id);
    out.push(row.split(orig).join(id).replace(/name='item\d+'>\[\d+\]/, `name='item${k + 1}'>[${k + 1}]`));
  }
  const page = html.slice(0, open) + "<dl id='articles'>\n" + out.join('') + html.slice(close);
  return { html: page, ids };
}
