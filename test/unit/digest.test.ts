import { describe, expect, it } from 'vitest';
import { buildDigest, engagementLine, stampTime } from '../../lib/export/digest';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/settings';
import type { HeatPart, Paper, PaperView, SourceId } from '../../lib/types';
import { fixture } from './popup-test-kit';

const REFERENCE = fixture('hot-papers-2020-08-27.md');

interface RefPaper {
  id: string;
  title: string;
  authors: string[];
  categories: string[];
  abstract: string;
  retweets: number;
  favorites: number;
}

/** The papers as the reference digest lists them: the inputs of the golden test come from the reference itself. */
function referencePapers(): RefPaper[] {
  const blocks = REFERENCE.split(/^# \d+\. /m).slice(1);
  return blocks.map((b) => {
    const lines = b.split('\n');
    const engagement = /retweets: (\d+), favorites: (\d+)/.exec(b)!;
    return {
      title: lines[0]!,
      authors: lines[2]!.split(', '),
      id: /\[abs\]\(https:\/\/arxiv\.org\/abs\/([^)]+)\)/.exec(b)![1]!,
      categories: [...b.matchAll(/\[([a-z-]+\.[A-Za-z-]+)\]\(https:\/\/arxiv\.org\/list\//g)].map((m) => m[1]!),
      abstract: lines[lines.findIndex((l) => l.startsWith('- ['))! + 2]!,
      retweets: Number(engagement[1]),
      favorites: Number(engagement[2]),
    };
  });
}

function part(source: SourceId, counts: Record<string, number>): HeatPart {
  return { source, counts, weight: 1, score: 1, share: 1, links: [] };
}

function view(r: RefPaper, parts: HeatPart[]): PaperView {
  const paper: Paper = {
    id: r.id,
    version: 1,
    title: r.title,
    authors: r.authors,
    abstract: r.abstract,
    categories: r.categories,
    primaryCategory: r.categories[0]!,
    announced: '2020-08-27',
    firstSeen: 0,
    updatedAt: 0,
    origin: 'rss',
  };
  return { paper, heat: 1, velocity: 0, parts, history: [], watched: false, isNew: false };
}

const NOW = Date.parse('2020-08-28T10:08:57Z');
const xOnly: Pick<Settings, 'sources'> = {
  sources: { hf: { enabled: false, weight: 1 }, alphaxiv: { enabled: false, weight: 1 }, hn: { enabled: false, weight: 1 }, bluesky: { enabled: false, weight: 1 }, x: { enabled: true, weight: 1 }, s2: { enabled: false, weight: 1 } },
};

describe('Markdown digest', () => {
  it('reproduces the reference digest (without its tweet embeds) from the same papers', () => {
    const refs = referencePapers();
    expect(refs).toHaveLength(4);
    const views = refs.map((r) => view(r, [part('x', { retweets: r.retweets, likes: r.favorites })]));
    const out = buildDigest(views, { day: '2020-08-27', now: NOW, settings: xOnly, socialImage: '/media/flying-marine.jpg' });
    // What we do not reproduce: the embedded tweets (third-party HTML), and per-paper fetch
    // seconds — our engagement stamp is the generation time for every paper.
    const expected = REFERENCE.replace(/\n<blockquote[^\n]*\n<script[^\n]*\n/g, '').replace(/\(\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d\)/g, `(${stampTime(NOW)})`);
    expect(out).toBe(expected);
  });

  it('lists the sources actually used on the engagement line', () => {
    const r = referencePapers()[0]!;
    const settings = { sources: { ...DEFAULT_SETTINGS.sources, x: { enabled: false, weight: 1 } } };
    const v = view(r, [part('hf', { upvotes: 21 }), part('hn', { points: 40, comments: 12 })]);
    const other = view(referencePapers()[1]!, [part('s2', { citations: 3 })]);
    const out = buildDigest([v, other], { day: '2020-08-27', now: NOW, settings });
    expect(out).toContain('- hf upvotes: 21, hn points: 40, hn comments: 12 (08/28/2020 10:08:57)');
    // S2 is used by the second paper only; Bluesky is on but reported nothing: not listed.
    expect(out).toContain('- s2 citations: 3 (08/28/2020 10:08:57)');
    expect(out).not.toMatch(/bluesky|retweets/);
    expect(out).toContain('  - "Hugging Face"\n  - "Hacker News"\n  - "Semantic Scholar"');
  });

  it('adds retweets and favorites whenever the X source is on, even without X counts', () => {
    const r = referencePapers()[0]!;
    const line = engagementLine(view(r, [part('hf', { upvotes: 2 })]), ['x', 'hf'], NOW);
    expect(line).toBe('- retweets: 0, favorites: 0, hf upvotes: 2 (08/28/2020 10:08:57)');
  });

  it('keeps one entry per paper on single lines even when titles or abstracts carry newlines', () => {
    const r = { ...referencePapers()[0]!, title: 'A title\nwrapped', abstract: 'Line one\n  line two' };
    const out = buildDigest([view(r, [])], { day: '2020-08-27', now: NOW, settings: xOnly });
    expect(out).toContain('# 1. A title wrapped\n');
    expect(out).toContain('\nLine one line two\n');
  });
});
