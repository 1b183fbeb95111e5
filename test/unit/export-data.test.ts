import { beforeAll, describe, expect, it } from 'vitest';
import { buildCsv, buildJson, csvCell } from '../../lib/export/data';
import type { Paper, PaperView } from '../../lib/types';
import { realPapers } from './popup-test-kit';

let views: PaperView[];
beforeAll(() => {
  views = realPapers()
    .slice(0, 5)
    .map((paper: Paper, i) => ({
      paper,
      heat: 50 - i * 7.123,
      velocity: i,
      parts: i % 2 ? [{ source: 'hf', counts: { upvotes: 10 + i }, weight: 1, score: 1, share: 1, links: [] }] : [{ source: 'hn', counts: { points: 3, comments: 2 }, weight: 1, score: 1, share: 1, links: [] }],
      history: [],
      watched: false,
      isNew: false,
    }));
});

/** A small RFC 4180 reader, to check that what we write reads back as the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    }
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('CSV export', () => {
  it('reads back cell for cell, with quotes, commas and newlines quoted', () => {
    // Hand-written hostile title on top of real records.
    const hostile = { ...views[0]!, paper: { ...views[0]!.paper, title: 'A "quoted", comma\nnewline title' } };
    const rows = parseCsv(buildCsv([hostile, ...views.slice(1)]));
    expect(rows[0]).toEqual(['rank', 'id', 'title', 'authors', 'primary_category', 'categories', 'announced', 'heat', 'velocity', 'hf.upvotes', 'hn.comments', 'hn.points', 'abs', 'pdf']);
    expect(rows).toHaveLength(6);
    expect(rows[1]![2]).toBe('A "quoted", comma\nnewline title');
    expect(rows[1]![3]).toBe(views[0]!.paper.authors.join('; '));
    expect(rows[2]![9]).toBe('11');
    expect(rows[2]![10]).toBe('');
    expect(rows[3]![13]).toBe(`https://arxiv.org/pdf/${views[2]!.paper.id}`);
  });

  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3');
  });
});

describe('JSON export', () => {
  it('carries the day, ranks, heat and per-source counts', () => {
    const doc = JSON.parse(buildJson(views, { day: '2023-10-26', view: 'today', now: Date.parse('2023-10-27T12:00:00Z') }));
    expect(doc.day).toBe('2023-10-26');
    expect(doc.exportedAt).toBe('2023-10-27T12:00:00.000Z');
    expect(doc.papers.map((p: { rank: number }) => p.rank)).toEqual([1, 2, 3, 4, 5]);
    expect(doc.papers[1].heat).toBe(42.88);
    expect(doc.papers[0].signals).toEqual({ hn: { points: 3, comments: 2 } });
    expect(doc.papers[0].abs).toBe(`https://arxiv.org/abs/${views[0]!.paper.id}`);
  });
});
