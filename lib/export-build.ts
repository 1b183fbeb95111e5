/**
 * 'export:build': turns a hot list view (or selected papers of it) into a digest, BibTeX, JSON or
 * CSV document with a file name and MIME type, ready to copy or download.
 */
import { buildBibtex } from './bibtex';
import { buildDigest } from './digest';
import { buildCsv, buildJson } from './export-data';
import { getHotList, MAX_LIMIT, type HotlistEnv } from './hotlist';
import type { ExportFormat, Res } from './messages';
import type { HotView } from './types';

export async function buildExport(env: HotlistEnv, req: { format: ExportFormat; view: HotView; ids?: string[] }): Promise<Res<'export:build'>> {
  const list = await getHotList(env, { view: req.view, limit: MAX_LIMIT });
  const wanted = req.ids ? new Set(req.ids) : null;
  const views = wanted ? list.items.filter((v) => wanted.has(v.paper.id)) : list.items;
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
