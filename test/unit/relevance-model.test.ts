import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explain, MIN_STARS, modelBytes, scorer, shareBelow, trainModel, examplesKey, type TextPaper } from '../../lib/relevance/model';
import { authorToken, termBuckets, words } from '../../lib/relevance/tokens';
import { seeded, trainLinearSvm } from '../../lib/relevance/linear-svm';

interface DayPaper extends TextPaper {
  primary: string;
}

/** The recorded day (test/fixtures/README.md): 479 distinct real papers with abstracts. */
function recordedDay(): DayPaper[] {
  const out = new Map<string, DayPaper>();
  for (const d of ['2026-05-15', '2026-05-18']) {
    const text = readFileSync(join(__dirname, '..', 'fixtures', `arxiv_new_daily-arXiv-ai-enhanced_${d}.jsonl`), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { id: string; title: string; summary: string; authors: string[]; categories: string[] };
      if (!out.has(r.id)) out.set(r.id, { id: r.id, title: r.title, abstract: r.summary, authors: r.authors, primary: r.categories[0]! });
    }
  }
  return [...out.values()];
}

const day = recordedDay();
const ofCat = (c: string) => day.filter((p) => p.primary === c);

describe('tokens', () => {
  it('folds case and accents, drops stopwords, stock phrases and numbers, cuts plurals', () => {
    expect(words('We propose Novel Diffusion Models for 3D Scenes in 2026')).toEqual(['diffusion', 'model', '', '3d', 'scene', '']);
    expect(words('Élodie’s café')).toEqual(['elodie', '', 'cafe']);
  });
  it('makes one token of an author’s whole name', () => {
    expect(authorToken('Élodie  Martin-Dupont')).toBe('a:elodie martin dupont');
  });
  it('gives the same buckets on the fast path and the path that spells the terms, on every real paper', () => {
    for (const p of day) expect(termBuckets(p)).toEqual(termBuckets(p, [], () => undefined));
    const odd = { title: 'AB', abstract: '', authors: ['  Élodie  Martin-Dupont. ', 'Ø. Łukasz Li', 'X', 'Wu', 'J. Wu', '李 Wei'] };
    expect(termBuckets(odd)).toEqual(termBuckets(odd, [], () => undefined));
    expect(termBuckets(odd).length).toBe(2 + 5); // "ab" twice (title), every author but "X" ("a:x" is too short)
  });
  it('counts title features twice and adds word pairs', () => {
    const b = termBuckets({ title: 'graph networks', abstract: '', authors: [] });
    // graph, network, "graph network", twice.
    expect(b).toHaveLength(6);
    expect(new Set(b).size).toBe(3);
  });
});

describe('linear SVM', () => {
  it('separates two groups of sparse rows', () => {
    // Rows 0-1 use column 0, rows 2-3 column 1 (hand-made: the smallest separable case).
    const x = { offsets: Int32Array.from([0, 1, 2, 3, 4]), idx: Int32Array.from([0, 0, 1, 1]), val: Float32Array.from([1, 1, 1, 1]), cols: 2 };
    const { weights, bias } = trainLinearSvm(x, Int8Array.from([1, 1, -1, -1]), Float32Array.from([1, 1, 1, 1]), { random: seeded(3), maxEpochs: 100 });
    expect(weights[0]! + bias).toBeGreaterThan(0);
    expect(weights[1]! + bias).toBeLessThan(0);
  });
});

describe('relevance model on the recorded day', () => {
  const stars = new Set(ofCat('cs.IT').slice(0, 10).map((p) => p.id));
  const model = trainModel({ papers: day, positives: stars, negatives: new Set(), now: 5 })!;
  const s = scorer(model);

  it('needs a few stars first', () => {
    const two = new Set([...stars].slice(0, MIN_STARS - 1));
    expect(trainModel({ papers: day, positives: two, negatives: new Set(), now: 0 })).toBeNull();
  });

  it('puts the starred topic’s other papers at the top', () => {
    const rest = day.filter((p) => !stars.has(p.id));
    const ranked = [...rest].sort((a, b) => s.margin(b) - s.margin(a));
    const it = rest.filter((p) => p.primary === 'cs.IT');
    expect(it.length).toBe(8);
    // Most of the 8 unstarred information-theory papers are among the first 20 of 469.
    expect(ranked.slice(0, 20).filter((p) => p.primary === 'cs.IT').length).toBeGreaterThanOrEqual(6);
    const shares = it.map((p) => s.relevance(p));
    expect(shares.reduce((a, b) => a + b, 0) / shares.length).toBeGreaterThan(0.9);
    const others = rest.filter((p) => p.primary === 'cs.CV').map((p) => s.relevance(p));
    expect(others.reduce((a, b) => a + b, 0) / others.length).toBeLessThan(0.6);
  });

  it('lowers a paper marked "not for me"', () => {
    const rest = day.filter((p) => !stars.has(p.id) && p.primary !== 'cs.IT');
    const top = [...rest].sort((a, b) => s.margin(b) - s.margin(a))[0]!;
    const again = scorer(trainModel({ papers: day, positives: stars, negatives: new Set([top.id]), now: 5 })!);
    expect(again.margin(top)).toBeLessThan(s.margin(top));
    expect(again.model.negatives).toBe(1);
  });

  it('says why: the paper’s own strong terms and its nearest starred papers', () => {
    const p = ofCat('cs.IT').find((x) => !stars.has(x.id))!;
    const why = explain(s, p);
    expect(why.relevance).toBeGreaterThan(0.8);
    expect(why.terms.length).toBeGreaterThan(0);
    const text = words(`${p.title} ${p.abstract}`).join(' ');
    for (const t of why.terms) if (!t.startsWith('a:')) expect(text).toContain(t);
    expect(why.near.length).toBeGreaterThan(0);
    for (const n of why.near) expect(stars.has(n.id)).toBe(true);
  });

  it('repeats exactly, records its examples, and stays small', () => {
    const again = trainModel({ papers: day, positives: stars, negatives: new Set(), now: 5 })!;
    expect(Array.from(again.weights)).toEqual(Array.from(model.weights));
    expect(model.examples).toBe(examplesKey([...stars].reverse(), []));
    expect(model.examples).not.toBe(examplesKey(stars, ['x']));
    expect(model.positives).toBe(10);
    expect(model.corpus).toBe(day.length);
    expect(modelBytes(model)).toBeLessThan(300 * 1024);
  });

  it('learns from every example but only the first maxUnlabeled other papers (the most recent: the worker passes them first)', () => {
    // Stars placed after the cap still count; the unlabeled papers past the cap are not read.
    const late = [...day.filter((p) => !stars.has(p.id)), ...day.filter((p) => stars.has(p.id))];
    const capped = trainModel({ papers: late, positives: stars, negatives: new Set([late[300]!.id]), now: 0, maxUnlabeled: 200 })!;
    expect(capped.positives).toBe(10);
    expect(capped.negatives).toBe(1);
    expect(capped.corpus).toBe(200 + 10 + 1);
    const s = scorer(capped);
    // It still ranks the starred topic first among all the other papers, those it never read included.
    const rest = late.filter((p) => !stars.has(p.id));
    const mean = (ps: TextPaper[]) => ps.reduce((n, p) => n + s.relevance(p), 0) / ps.length;
    expect(mean(rest.filter((p) => p.primary === 'cs.IT'))).toBeGreaterThan(mean(rest.filter((p) => p.primary !== 'cs.IT')) + 0.2);
  });
});

describe('shareBelow', () => {
  const q = Float32Array.from({ length: 101 }, (_, i) => i / 10);
  it('is 0 below the lowest, 1 above the highest, interpolated between', () => {
    expect(shareBelow(q, -5)).toBe(0);
    expect(shareBelow(q, 50)).toBe(1);
    expect(shareBelow(q, 5)).toBeCloseTo(0.5, 5);
    expect(shareBelow(q, 5.05)).toBeCloseTo(0.505, 5);
  });
});
