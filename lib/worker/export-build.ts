/**
 * 'export:build': turns a hot list view (or selected papers of it) into a digest, BibTeX, JSON or
 * CSV document with a file name and MIME type, ready to copy or download.
 */
import { buildBibtex } from '../export/bibtex';
import { buildDigest } from '../export/digest';
import { buildCsv, buildJson } from '../export/data';
import type { HotlistEnv } from '../rank/hotlist';
import { getList } from '../rank/for-you';
import type { Req, Res } from '../messages';

export async function buildExport(env: HotlistEnv, req: Req<'export:build'>): Promise<Res<'export:build'>> {
  // The whole view, however long (a week of default categories is ~9,000 papers), not the popup's
  // page size; selected rows are looked up among all of it, since a row found by a search can rank
  // far down a week. Only the popup and options pages may ask (lib/worker/events.ts).
  const ids = Array.isArray(req.ids) ? req.ids.filter((x): x is string => typeof x === 'string') : undefined;
  const list = await getList(env, ids ? { view: req.view, all: true, ids } : { view: req.view, all: true, query: req.query, categories: req.categories });
  const views = list.items;
  const day = list.day ?? new Date(env.now).toISOString().slice(0, 10);
  const base = `hot-papers-${day}${req.view === 'today' ? '' : `-${req.view}`}`;
  switch (req.format) {
    case 'markdown':
      return { text: buildDigest(views, { day, now: env.now, settings: env.settings }), filename: `${base}.md`, mime: 'text/markdown' };
    case 'bibtex':
      return { text: buildBibtex(views.map((v) => v.paper)), filename: `${base}.bib`, mime: 'application/x-bibtex' };
    case 'json':
      return { text: buildJson(views, { day: list.day, view: req.view, now: env.now }), filename: `${base}.json`, mime: 'application/json' };
    case 'csv':
      return { text: buildCsv(views), filename: `${base}.csv`, mime: 'text/csv' };
    default:
      throw new Error(`Unknown export format ${String(req.format)}`);
  }
}
