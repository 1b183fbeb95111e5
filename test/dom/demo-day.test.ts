// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"disableJavaScriptFileLoading":true,"disableJavaScriptEvaluation":true,"disableCSSFileLoading":true,"disableIframePageLoading":true,"handleDisabledFileLoadingAsSuccess":true,"navigation":{"disableChildFrameNavigation":true}}}
/**
 * The demo day (`npm run demo`, test/fixtures/demo-day/) is consistent with its recording: the
 * derived feed, /new listings and abstract pages, read by the extension's own parsers, carry exactly
 * the papers of the recorded JSONL (ids, titles, authors, abstracts, categories), and the committed
 * files are what the generator makes from it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../lib/arxiv/feed';
import { findEntries, pageKind } from '../../lib/arxiv/listing-page';

const FIX = join(__dirname, '..', 'fixtures');
const DEMO = join(FIX, 'demo-day');
const DAYS = ['2026-05-15', '2026-05-18'] as const;
const DEFAULTS = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'];
const LISTED = ['cs.CV', 'cs.CL', 'cs.AI'];

interface Recorded {
  id: string;
  categories: string[];
  authors: string[];
  title: string;
  comment: string | null;
  summary: string;
}

/** The recording's distinct papers (its duplicate lines are one per listing a paper was crawled from). */
function recorded(day: string): Map<string, Recorded> {
  const lines = readFileSync(join(FIX, `arxiv_new_daily-arXiv-ai-enhanced_${day}.jsonl`), 'utf8').split('\n').filter(Boolean);
  const out = new Map<string, Recorded>();
  for (const l of lines) {
    const r = JSON.parse(l) as Recorded;
    if (!out.has(r.id)) out.set(r.id, r);
  }
  return out;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();
const read = (name: string): string => readFileSync(join(DEMO, name), 'utf8');
const html = (name: string): Document => new DOMParser().parseFromString(read(name), 'text/html');

describe.each(DAYS)('demo day %s', (day) => {
  const papers = recorded(day);

  it('the feed carries exactly the recorded papers in the default categories, as recorded', () => {
    const feed = parseFeed(read(`rss_${DEFAULTS.join('+')}_${day}.xml`), { now: Date.parse(`${day}T06:00:00Z`), categories: DEFAULTS });
    expect(feed.day).toBe(day);
    expect(feed.skipped).toBe(0);
    const expected = [...papers.values()].filter((p) => p.categories.some((c) => DEFAULTS.includes(c)));
    expect(expected.length).toBeGreaterThan(200);
    expect(new Set(feed.papers.map((p) => p.id))).toEqual(new Set(expected.map((p) => p.id)));
    for (const p of feed.papers) {
      const r = papers.get(p.id)!;
      expect(p.title).toBe(squash(r.title));
      expect(p.authors).toEqual(r.authors);
      expect(squash(p.abstract)).toBe(squash(r.summary));
      expect(p.categories).toEqual(r.categories);
      expect(p.primaryCategory).toBe(r.categories[0]);
    }
    // Papers of the recording outside the default categories (cs.GR, cs.IT, … only) are not in it.
    const outside = [...papers.values()].filter((p) => !p.categories.some((c) => DEFAULTS.includes(c)));
    expect(outside.length).toBeGreaterThan(0);
    for (const p of outside) expect(feed.papers.some((x) => x.id === p.id)).toBe(false);
  });

  it.each(LISTED)('the %s /new listing lists the recorded papers of that category, new submissions first', (cat) => {
    const doc = html(`list_${cat}_new_${day}.html`);
    const entries = findEntries(doc, pageKind(new URL(`https://arxiv.org/list/${cat}/new`)));
    const inCat = [...papers.values()].filter((p) => p.categories.includes(cat));
    expect(new Set(entries.map((e) => e.id))).toEqual(new Set(inCat.map((p) => p.id)));
    expect(entries).toHaveLength(inCat.length);
    for (const e of entries) {
      const r = papers.get(e.id)!;
      expect(squash(e.title)).toBe(squash(r.title));
      expect(squash(e.authors)).toBe(r.authors.join(', '));
      // A new submission is listed in its primary category; anywhere else it is a cross-list.
      if (e.section === 'new') expect(r.categories[0]).toBe(cat);
    }
    const sections = entries.map((e) => e.section);
    expect(sections.indexOf('cross') === -1 || sections.lastIndexOf('new') < sections.indexOf('cross')).toBe(true);
    expect(doc.querySelector('h3')?.textContent).toMatch(new RegExp(`Showing new listings for \\w+day, ${Number(day.slice(8))} May 2026`));
  });
});

describe('demo abstract pages', () => {
  it.each([
    ['2026-05-15', '2605.15141'],
    ['2026-05-18', '2605.15256'],
  ])('%s: /abs/%s shows the recorded paper and none of the template paper', (day, id) => {
    const r = recorded(day).get(id)!;
    const text = read(`abs_${id}_${day}.html`);
    const entries = findEntries(new DOMParser().parseFromString(text, 'text/html'), pageKind(new URL(`https://arxiv.org/abs/${id}`)));
    expect(entries.map((e) => e.id)).toEqual([id]);
    expect(squash(entries[0]!.title)).toBe(squash(r.title));
    expect(squash(entries[0]!.authors)).toBe(r.authors.join(', '));
    expect(text).not.toMatch(/StyleCLIP|2103\.17249|Patashnik/);
  });
});

describe('demo day and Hugging Face', () => {
  it('the recorded Hugging Face list counts 15 papers of Friday 2026-05-15, all in its feed', () => {
    const hf = JSON.parse(readFileSync(join(FIX, 'hf_daily_papers_2026-05-18.json'), 'utf8')) as { paper: { id: string; upvotes: number } }[];
    const feed = parseFeed(read(`rss_${DEFAULTS.join('+')}_2026-05-15.xml`), { now: 0, categories: DEFAULTS });
    const ids = new Set(feed.papers.map((p) => p.id));
    const counted = hf.filter((e) => ids.has(e.paper.id));
    expect(counted).toHaveLength(15);
    expect(Math.max(...counted.map((e) => e.paper.upvotes))).toBe(84);
  });
});

describe('make-demo-day.mjs', () => {
  it('the committed files are exactly what the generator makes from the recording', async () => {
    const path = join(DEMO, 'make-demo-day.mjs');
    const gen = (await import(/* @vite-ignore */ path)) as { demoFiles(): Record<string, string> };
    const files = gen.demoFiles();
    expect(Object.keys(files).length).toBe(10);
    for (const [name, body] of Object.entries(files)) expect(read(name), name).toBe(body);
  });
});
