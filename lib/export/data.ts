/**
 * JSON and CSV export of a hot list (the day's data): one record per paper with its heat and the
 * counts of every source. CSV follows RFC 4180 quoting; text cells that a spreadsheet would run
 * as a formula are prefixed with an apostrophe.
 */
import { absUrl, pdfUrl } from '../arxiv/ids';
import type { PaperView } from '../types';

export interface ExportRecord {
  rank: number;
  id: string;
  title: string;
  authors: string[];
  primaryCategory: string;
  categories: string[];
  announced: string | null;
  heat: number;
  velocity: number;
  signals: Record<string, Record<string, number>>;
  abs: string;
  pdf: string;
}

export function toRecords(views: PaperView[]): ExportRecord[] {
  return views.map((v, i) => ({
    rank: i + 1,
    id: v.paper.id,
    title: v.paper.title,
    authors: v.paper.authors,
    primaryCategory: v.paper.primaryCategory,
    categories: v.paper.categories,
    announced: v.paper.announced ?? null,
    heat: round(v.heat),
    velocity: round(v.velocity),
    signals: Object.fromEntries(v.parts.map((p) => [p.source, p.counts])),
    abs: absUrl(v.paper.id),
    pdf: pdfUrl(v.paper.id),
  }));
}

const round = (n: number): number => Math.round(n * 100) / 100;

export function buildJson(views: PaperView[], meta: { day: string | null; view: string; now: number }): string {
  return `${JSON.stringify({ day: meta.day, view: meta.view, exportedAt: new Date(meta.now).toISOString(), papers: toRecords(views) }, null, 2)}\n`;
}

export function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let s = value;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function buildCsv(views: PaperView[]): string {
  const records = toRecords(views);
  const metricCols = [...new Set(records.flatMap((r) => Object.entries(r.signals).flatMap(([s, c]) => Object.keys(c).map((m) => `${s}.${m}`))))].sort();
  const header = ['rank', 'id', 'title', 'authors', 'primary_category', 'categories', 'announced', 'heat', 'velocity', ...metricCols, 'abs', 'pdf'];
  const rows = records.map((r) => [
    r.rank,
    r.id,
    r.title,
    r.authors.join('; '),
    r.primaryCategory,
    r.categories.join(' '),
    r.announced ?? '',
    r.heat,
    r.velocity,
    ...metricCols.map((col) => {
      const [s, m] = col.split('.') as [string, string];
      return r.signals[s]?.[m] ?? '';
    }),
    r.abs,
    r.pdf,
  ]);
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
