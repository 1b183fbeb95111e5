import { beforeAll, describe, expect, it } from 'vitest';
import { bibKey, buildBibtex, escapeTex, paperYear } from '../../lib/export/bibtex';
import type { Paper } from '../../lib/types';
import { realPapers } from './popup-test-kit';

let papers: Paper[];
beforeAll(() => {
  papers = realPapers();
});
const byId = (id: string) => papers.find((p) => p.id === id)!;

describe('BibTeX export', () => {
  it('writes an @misc entry with arXiv eprint fields for a real paper', () => {
    const p = byId('2302.03287'); // "ChatGPT and Software Testing Education: Promises & Perils"
    const bib = buildBibtex([p]);
    const surname = p.authors[0]!.split(' ').pop();
    expect(bib).toMatch(new RegExp(`^@misc\\{${surname}2023Chatgpt,\\n`));
    expect(bib).toContain('  title = {ChatGPT and Software Testing Education: Promises \\& Perils},');
    expect(bib).toContain(`  author = {${p.authors.join(' and ')}},`);
    expect(bib).toContain('  year = {2023},');
    expect(bib).toContain('  eprint = {2302.03287},');
    expect(bib).toContain('  archivePrefix = {arXiv},');
    expect(bib).toContain('  primaryClass = {cs.SE},');
    expect(bib).toContain('  url = {https://arxiv.org/abs/2302.03287}');
    expect(bib.trimEnd().endsWith('}')).toBe(true);
  });

  it('escapes every TeX special so the entry compiles', () => {
    // Hand-written edge case: all ten specials in one title.
    expect(escapeTex('50% of $x_1$ & #2 {a} ~ ^ \\')).toBe('50\\% of \\$x\\_1\\$ \\& \\#2 \\{a\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{}');
  });

  it('makes keys unique within one export', () => {
    const p = byId('2302.03287');
    const bib = buildBibtex([p, { ...p, id: '2302.03288' }, { ...p, id: '2302.03289' }]);
    const keys = [...bib.matchAll(/^@misc\{([^,]+),/gm)].map((m) => m[1]);
    expect(new Set(keys).size).toBe(3);
    expect(keys[1]).toBe(`${keys[0]}a`);
    expect(keys[2]).toBe(`${keys[0]}b`);
  });

  it('builds keys from surname, year of the id and the first significant title word', () => {
    const p = byId('2405.13786'); // "Towards Explainable Test Case Prioritisation …"
    expect(bibKey(p)).toMatch(/^[A-Z][A-Za-z]*2024Explainable$/);
    // Hand-written: accents folded, old-style id year, a leading stop word skipped.
    const old: Paper = { ...p, id: 'hep-th/9901001', authors: ['Édouard Brézin'], title: 'The Large N limit', announced: undefined };
    expect(paperYear(old)).toBe(1999);
    expect(bibKey(old)).toBe('Brezin1999Large');
  });
});
