/**
 * 'export:build': turns a hot list view (or selected papers of it) into a digest, BibTeX, JSON or
 * CSV document with a file name and MIME type, ready to copy or download.
 */
import { buildBibtex } from '../export/bibtex';
import { buildDigest } from '../export/digest';
import { buildCsv, buildJson } from '../export/data';
import { getHotList, MAX_LIMIT, type HotlistEnv } from '../rank/hotlist';
import type { Req, Res } from '../messages';

export async function buildExport(env: HotlistEnv, req: Req<'export:build'>): Promise<Res<'export:build'>> {
  // Selected rows are looked up among the whole view, not only its first MAX_LIMIT: a row found by a
  // search can rank far down a week.
  const ids = Array.isArray(req.ids) ? req.ids.filter((x): x is string => typeof x === 'string').slice(0, MAX_LIMIT) : undefined;
  const list = await getHotList(env, ids ? { view: req.view, limit: MAX_LIMIT, ids } : { view: req.view, limit: MAX_LIMIT, query: req.query, categories: req.categories });
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
