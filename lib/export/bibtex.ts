/**
 * BibTeX for selected papers or the watchlist: `@misc` entries with arXiv's eprint fields, keys
 * `Surname2023Word` (unique within one export), and TeX specials escaped so that a title with
 * `&`, `%`, `_` or `$` compiles.
 */
import { absUrl, parseBareId } from '../arxiv/ids';
import type { Paper } from '../types';

const TEX: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  '&': '\\&',
  '%': '\\%',
  $: '\\$',
  '#': '\\#',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

export function escapeTex(s: string): string {
  return s.replace(/\s+/g, ' ').trim().replace(/[\\{}&%$#_~^]/g, (c) => TEX[c]!);
}

const STOP = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'with', 'via', 'is', 'are', 'from', 'by', 'at', 'as', 'towards', 'toward']);

const ascii = (s: string): string => s.normalize('NFKD').replace(/[^A-Za-z0-9]/g, '');

/** Year of first submission, from the id (YYMM / old-style YY), else the announcement day. */
export function paperYear(p: Paper): number | undefined {
  const id = parseBareId(p.id)?.id ?? p.id;
  const m = /^(\d{2})\d{2}\./.exec(id) ?? /\/(\d{2})\d{5}$/.exec(id);
  if (m) {
    const yy = Number(m[1]);
    return yy >= 91 ? 1900 + yy : 2000 + yy;
  }
  const y = Number(p.announced?.slice(0, 4));
  return Number.isFinite(y) && y > 0 ? y : undefined;
}

function surname(author: string | undefined): string {
  if (!author) return 'Anonymous';
  const name = author.includes(',') ? author.split(',')[0]! : author.trim().split(/\s+/).pop()!;
  const s = ascii(name);
  return s ? s[0]!.toUpperCase() + s.slice(1) : 'Anonymous';
}

function firstWord(title: string): string {
  for (const w of title.split(/[\s\-:,.;!?()[\]{}$]+/)) {
    const s = ascii(w);
    if (s && !STOP.has(s.toLowerCase())) return s[0]!.toUpperCase() + s.slice(1).toLowerCase();
  }
  return '';
}

export function bibKey(p: Paper): string {
  return `${surname(p.authors[0])}${paperYear(p) ?? ''}${firstWord(p.title)}`;
}

export function bibEntry(p: Paper, key: string): string {
  const fields: [string, string][] = [
    ['title', escapeTex(p.title)],
    ['author', p.authors.map(escapeTex).join(' and ')],
  ];
  const year = paperYear(p);
  if (year) fields.push(['year', String(year)]);
  fields.push(['eprint', p.id], ['archivePrefix', 'arXiv']);
  if (p.primaryCategory) fields.push(['primaryClass', p.primaryCategory]);
  fields.push(['url', absUrl(p.id)]);
  if (p.doi) fields.push(['doi', escapeTex(p.doi)]);
  return `@misc{${key},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n')}\n}`;
}

/** All entries, keys made unique with a, b, c … suffixes in input order. */
export function buildBibtex(papers: Paper[]): string {
  const used = new Set<string>();
  const out: string[] = [];
  for (const p of papers) {
    const base = bibKey(p);
    let key = base;
    for (let i = 1; used.has(key); i++) key = `${base}${suffix(i)}`;
    used.add(key);
    out.push(bibEntry(p, key));
  }
  return out.length ? `${out.join('\n\n')}\n` : '';
}

/** 1 → a, 26 → z, 27 → aa. */
function suffix(i: number): string {
  let s = '';
  let n = i;
  while (n > 0) {
    n--;
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return s;
}
