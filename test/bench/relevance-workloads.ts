/**
 * Relevance ("For you") workloads, over the real lib/relevance code: the quality evaluation on the
 * recorded day and the cost of training and scoring. Re-exported by workloads.ts, so they run in
 * Node and (bundled as an IIFE) inside the extension's service worker in Chromium.
 */
import { explain, modelBytes, scorer, trainModel, type TextPaper } from '../../lib/relevance/model';
import { words } from '../../lib/relevance/tokens';
import { seeded } from '../../lib/relevance/linear-svm';
import { watchReason } from '../../lib/rank/hotlist';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/settings';
import type { Paper } from '../../lib/types';

export interface DayPaper extends TextPaper {
  categories: string[];
  primary: string;
}

/** The recorded day's JSONL lines (several files) → distinct papers; the first category is the primary. */
export function parseDay(texts: string[]): DayPaper[] {
  const out = new Map<string, DayPaper>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as { id: string; title: string; summary: string; authors: string[]; categories: string[] };
      if (out.has(r.id)) continue;
      out.set(r.id, { id: r.id, title: r.title, abstract: r.summary, authors: r.authors, categories: r.categories, primary: r.categories[0]! });
    }
  }
  return [...out.values()];
}

/** Average precision of a ranking (ids best first) for the relevant set. */
export function averagePrecision(ranked: readonly string[], relevant: ReadonlySet<string>): number {
  let hits = 0;
  let sum = 0;
  ranked.forEach((id, i) => {
    if (relevant.has(id)) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return relevant.size ? sum / relevant.size : 0;
}

export function precisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return ranked.slice(0, k).filter((id) => relevant.has(id)).length / k;
}

function shuffled<T>(xs: readonly T[], random: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/**
 * The category's most frequent title words: each title's words counted once, with the model's own
 * word rules (lib/relevance/tokens.ts `words`: case and accents folded, English function words,
 * arXiv's stock phrases — "novel", "propose", "approach" … — TeX commands and numbers excluded, a
 * plural "s" cut from words longer than four letters, so "models" and "model" are one word).
 */
export function topTitleWords(papers: readonly DayPaper[], k: number): string[] {
  const counts = new Map<string, number>();
  for (const p of papers) for (const w of new Set(words(p.title).filter(Boolean))) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, k).map(([w]) => w);
}

export interface QualityRun {
  category: string;
  seed: number;
  relevant: number;
  candidates: number;
  keywords: string[];
  model: { ap: number; p20: number };
  random: { ap: number; p20: number };
  keyword: { ap: number; p20: number };
  trainMs: number;
}

/** Ties of a coarse score are broken at random; this many orders are averaged. */
const TIE_ORDERS = 20;

/**
 * One reader: `category`'s papers are what they read. Ten of them (seeded) are starred; the model is
 * trained on the whole day (as the worker trains over the cache) and ranks every other paper; the
 * category's unstarred papers are the ones that should come first. Beside it: a random order, and
 * the product's keyword watchlist (lib/rank/hotlist.ts watchReason) holding the category's five most
 * frequent title words — a paper matches or not, so its ties are ordered at random (averaged).
 */
export function qualityRun(day: readonly DayPaper[], category: string, seed: number, stars = 10): QualityRun {
  const random = seeded(seed * 7919 + category.length);
  const ofCat = day.filter((p) => p.primary === category);
  const starred = new Set(shuffled(ofCat, random).slice(0, stars).map((p) => p.id));
  const rest = day.filter((p) => !starred.has(p.id));
  const relevant = new Set(rest.filter((p) => p.primary === category).map((p) => p.id));
  const t0 = performance.now();
  const model = trainModel({ papers: day, positives: starred, negatives: new Set(), now: 0, seed })!;
  const trainMs = performance.now() - t0;
  const s = scorer(model);
  const margins = new Map(rest.map((p) => [p.id, s.margin(p)]));
  const ranked = [...rest].sort((a, b) => margins.get(b.id)! - margins.get(a.id)!).map((p) => p.id);

  const keywords = topTitleWords(ofCat, 5);
  const settings: Settings = { ...DEFAULT_SETTINGS, watchlist: { papers: [], authors: [], keywords } };
  const asPaper = (p: DayPaper): Paper => ({ id: p.id, version: 1, title: p.title, authors: [...p.authors], abstract: p.abstract, categories: p.categories, primaryCategory: p.primary, firstSeen: 0, updatedAt: 0, origin: 'rss' });
  const hit = new Set(rest.filter((p) => watchReason(asPaper(p), settings)).map((p) => p.id));
  const avg = (f: (order: string[]) => number, orders: string[][]) => orders.reduce((n, o) => n + f(o), 0) / orders.length;
  const randomOrders = Array.from({ length: TIE_ORDERS }, () => shuffled(rest.map((p) => p.id), random));
  const keywordOrders = randomOrders.map((o) => [...o.filter((id) => hit.has(id)), ...o.filter((id) => !hit.has(id))]);
  return {
    category,
    seed,
    relevant: relevant.size,
    candidates: rest.length,
    keywords,
    model: { ap: averagePrecision(ranked, relevant), p20: precisionAt(ranked, relevant, 20) },
    random: { ap: avg((o) => averagePrecision(o, relevant), randomOrders), p20: avg((o) => precisionAt(o, relevant, 20), randomOrders) },
    keyword: { ap: avg((o) => averagePrecision(o, relevant), keywordOrders), p20: avg((o) => precisionAt(o, relevant, 20), keywordOrders) },
    trainMs,
  };
}

export function qualityRuns(texts: string[], categories: string[], seeds: number[]): QualityRun[] {
  const day = parseDay(texts);
  return categories.flatMap((c) => seeds.map((seed) => qualityRun(day, c, seed)));
}

// ------------------------------------------------------------------ cost

/**
 * `n` papers for the cost benches: the recorded day's papers copied round-robin with fresh ids
 * (their real text, so token counts are those of real abstracts). 10 of the first category's are starred.
 */
export function scaledPapers(texts: string[], n: number): { papers: TextPaper[]; stars: Set<string> } {
  const day = parseDay(texts);
  const papers = Array.from({ length: n }, (_, i) => {
    const p = day[i % day.length]!;
    return { id: `c${i}`, title: p.title, abstract: p.abstract, authors: p.authors };
  });
  const stars = new Set(papers.filter((_, i) => day[i % day.length]!.primary === 'cs.CL').slice(0, 10).map((p) => p.id));
  return { papers, stars };
}

export interface CostFigures {
  trainMs: number;
  scoreMs: number;
  explainMs: number;
  bytes: number;
  terms: number;
  starVectors: number;
}

/** Trains over `n` papers, then scores `m` of them (vocabulary build included) and explains 20. */
export function relevanceCost(texts: string[], n: number, m: number, clockKind: 'wall' | 'cpu' = 'wall'): CostFigures {
  const proc = (globalThis as { process?: { cpuUsage(): { user: number; system: number } } }).process;
  const clock = clockKind === 'cpu' && proc ? () => (proc.cpuUsage().user + proc.cpuUsage().system) / 1000 : () => performance.now();
  const { papers, stars } = scaledPapers(texts, n);
  const t0 = clock();
  const model = trainModel({ papers, positives: stars, negatives: new Set(), now: 0 })!;
  const t1 = clock();
  const s = scorer(model);
  let sum = 0;
  for (let i = 0; i < m; i++) sum += s.relevance(papers[i]!);
  const t2 = clock();
  for (let i = 0; i < 20; i++) explain(s, papers[i]!);
  const t3 = clock();
  if (!Number.isFinite(sum)) throw new Error('relevance is not a number');
  return { trainMs: t1 - t0, scoreMs: t2 - t1, explainMs: t3 - t2, bytes: modelBytes(model), terms: model.terms.length, starVectors: model.stars.length };
}
