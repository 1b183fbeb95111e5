/**
 * The page of the content-script benchmark (issue 17): a `/list/<cat>/new` listing WITH abstracts,
 * the page a reader opens every day, scaled up from recorded rows to a busy day shown with
 * `show=2000`.
 *
 * Nothing is invented: the shell is arxiv-browse's own rendering of /list/math/new
 * (test/fixtures/db_list_math_new.html: header, "Showing new listings…" heading, paging lines, three
 * sections each in its own `<dl id='articles'>` with its `<h3>` inside, footer), and every row is a
 * recorded `<dt>`/`<dd>` pair — id line, title, authors, comments, journal-ref, subjects and the
 * abstract paragraph — from the /new fixtures, each copied into the section it was recorded in:
 *   new      db_list_math_new, db_list_eess_new                               (2 rows)
 *   cross    db_list_math_new, fs_list_math.AG_new, fs_list_math.OA_new        (3 rows)
 *   replace  db_list_math_new, db_list_math.RT_new, fs_list_math.AG_new, fs_list_math.OA_new (8 rows)
 * Each copy only gets a distinct id (every occurrence of the row's id string is replaced by
 * 2605.NNNNN) and its running item number; the section headings and "Total of N entries" lines say
 * the new counts. Section sizes follow a busy archive-wide day (cs, show=2000): 50 % new, 22.5 %
 * cross-lists, 27.5 % replacements.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURES = resolve(here, '..', 'fixtures');

const SOURCES = ['db_list_math_new.html', 'db_list_eess_new.html', 'db_list_math.RT_new.html', 'fs_list_math.AG_new.html', 'fs_list_math.OA_new.html'];
const SHELL = 'db_list_math_new.html';
const SECTIONS = [
  { key: 'new', heading: 'New submissions', share: 0.5 },
  { key: 'cross', heading: 'Cross submissions', share: 0.225 },
  { key: 'replace', heading: 'Replacement submissions', share: 0.275 },
];

function sectionKey(heading) {
  if (/^New submissions/.test(heading)) return 'new';
  if (/^Cross/.test(heading)) return 'cross';
  if (/^Replacement/.test(heading)) return 'replace';
  throw new Error(`unknown section heading: ${heading}`);
}

/** The recorded rows of every /new fixture, by the section they were recorded in. */
export function recordedRows() {
  const out = { new: [], cross: [], replace: [] };
  for (const f of SOURCES) {
    const html = readFileSync(join(FIXTURES, f), 'utf8');
    for (const m of html.matchAll(/<dl id='articles'>\s*<h3>([^<]*)<\/h3>([\s\S]*?)<\/dl>/g)) {
      const body = m[2];
      const starts = [...body.matchAll(/<dt>/g)].map((x) => x.index);
      for (const [i, s] of starts.entries()) {
        const row = body.slice(s, starts[i + 1] ?? body.length).trimEnd();
        const id = /<a href ="\/abs\/([^"]+)" title="Abstract" id="/.exec(row)?.[1];
        if (!id) throw new Error(`${f}: a row without an abstract link`);
        if (!row.includes("<p class='mathjax'>")) throw new Error(`${f}: row ${id} has no abstract`);
        out[sectionKey(m[1])].push({ id, row, from: f });
      }
    }
  }
  for (const s of SECTIONS) if (!out[s.key].length) throw new Error(`no recorded ${s.key} rows`);
  return out;
}

/** The /new page with `n` entries (ids 2605.00001 …, in page order) and the list of those ids. */
export function buildNewListing(n = 2000) {
  const shell = readFileSync(join(FIXTURES, SHELL), 'utf8');
  const first = shell.indexOf("<dl id='articles'>");
  const last = shell.lastIndexOf('</dl>') + '</dl>'.length;
  if (first < 0 || last < first) throw new Error('fixture layout changed: no <dl id="articles">');
  const rows = recordedRows();
  const ids = [];
  const sizes = SECTIONS.map((s) => Math.round(n * s.share));
  sizes[0] += n - sizes.reduce((a, b) => a + b, 0);
  const dls = [];
  let k = 0;
  SECTIONS.forEach((s, si) => {
    const pool = rows[s.key];
    const out = [];
    for (let j = 0; j < sizes[si]; j++) {
      const { id: orig, row } = pool[j % pool.length];
      k++;
      const id = `2605.${String(k).padStart(5, '0')}`;
      ids.push(id);
      out.push(row.split(orig).join(id).replace(/name='item\d+'>\[\d+\]/, `name='item${k}'>[${k}]`));
    }
    dls.push(`<dl id='articles'>\n    <h3>${s.heading} (showing ${sizes[si]} of ${sizes[si]} entries)</h3>\n\n\n    ${out.join('\n    ')}\n</dl>`);
  });
  const html = (shell.slice(0, first) + dls.join('\n\n      ') + shell.slice(last)).replace(/Total of \d+ entries/g, `Total of ${n} entries`);
  return { html, ids, sections: SECTIONS.map((s, i) => ({ key: s.key, size: sizes[i] })) };
}
