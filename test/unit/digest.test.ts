import { describe, expect, it } from 'vitest';
import { buildDigest, engagementLine, stampTime } from '../../lib/export/digest';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/settings';
import type { HeatPart, Paper, PaperView, SourceId, SourcePost } from '../../lib/types';
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
  post: SourcePost;
}

/**
 * The post a reference entry embeds (X's embed HTML), as the X source keeps a post: the text with
 * line breaks for <br> and each link as its text, author name and handle, status id and day.
 */
function embeddedPost(block: string): SourcePost {
  const html = /<blockquote class="twitter-tweet"><p[^>]*>([\s\S]*?)<\/p>&mdash; (.*?) \(@(\w+)\) <a href="https:\/\/twitter\.com\/\w+\/status\/(\d+)[^"]*">([^<]+)<\/a><\/blockquote>/.exec(block)!;
  const text = html[1]!
    .replace(/<br>/g, '\n')
    .replace(/<a [^>]*>([^<]*)<\/a>/g, '$1')
    .replace(/&amp;/g, '&');
  const id = html[4]!;
  return { id, url: `https://x.com/${html[3]!}/status/${id}`, handle: html[3]!, name: html[2]!, text, createdAt: new Date(`${html[5]!} 12:00 UTC`).toISOString(), retweets: 0, likes: 0 };
}

/** What the digest writes in place of an embed: the same post as a plain-text Markdown blockquote. */
function quoteOf(post: SourcePost): string {
  const lines = post.text.split('\n');
  const day = new Date(post.createdAt).toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
  return [...lines.map((l, i) => `> ${l}${i < lines.length - 1 ? '\\' : ''}`), '>', `> — ${post.name} (@${post.handle}) [${day}](https://x.com/${post.handle}/status/${post.id})`].join('\n');
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
      post: embeddedPost(b),
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
  it('reproduces the reference digest without its tweet embeds when no post is kept', () => {
    const refs = referencePapers();
    expect(refs).toHaveLength(4);
    const views = refs.map((r) => view(r, [part('x', { retweets: r.retweets, likes: r.favorites })]));
    const out = buildDigest(views, { day: '2020-08-27', now: NOW, settings: xOnly, socialImage: '/media/flying-marine.jpg' });
    // Per-paper fetch seconds are not reproduced: our engagement stamp is the generation time for every paper.
    const expected = REFERENCE.replace(/\n<blockquote[^\n]*\n<script[^\n]*\n/g, '').replace(/\(\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d\)/g, `(${stampTime(NOW)})`);
    expect(out).toBe(expected);
  });

  it('reproduces the reference digest with each top post where it embedded the tweet, as plain-text Markdown', () => {
    const refs = referencePapers();
    const views = refs.map((r) => view(r, [{ ...part('x', { retweets: r.retweets, likes: r.favorites }), posts: [r.post] }]));
    const out = buildDigest(views, { day: '2020-08-27', now: NOW, settings: xOnly, socialImage: '/media/flying-marine.jpg' });
    let i = 0;
    const expected = REFERENCE.replace(/<blockquote[^\n]*\n<script[^\n]*\n/g, () => `${quoteOf(refs[i++]!.post)}\n`).replace(/\(\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d\)/g, `(${stampTime(NOW)})`);
    expect(out).toBe(expected);
    // The first entry, spelled out.
    expect(out).toContain(
      [
        '> SMAP: Single-Shot Multi-Person Absolute 3D Pose Estimation\\',
        '> pdf: https://t.co/t3j8UChX2G\\',
        '> abs: https://t.co/He0TLboPbF\\',
        '> project page: https://t.co/xyb9qX2IkV\\',
        '> github: https://t.co/91b43ywVv2 pic.twitter.com/ovYUFM9brA',
        '>',
        '> — AK (@ak92501) [August 27, 2020](https://x.com/ak92501/status/1298784433458352128)',
      ].join('\n'),
    );
    expect(out).not.toMatch(/<blockquote|<script|<a /);
  });

  it('a post\'s markup stays text: HTML, Markdown links and headings are escaped, the link is rebuilt from id and handle', () => {
    const r = referencePapers()[0]!;
    const post: SourcePost = {
      id: '1298784433458352128',
      url: 'javascript:alert(1)',
      handle: 'bad handle"><script>',
      name: '<img src=x onerror=alert(1)> *Eve*',
      text: '# Big\n<script>alert(1)</script> [click](javascript:alert(1)) ![i](https://evil.example/x.png) a_b\n- item https://arxiv.org/abs/2008.11469',
      createdAt: '2020-08-27T10:00:00.000Z',
      retweets: 1,
      likes: 2,
    };
    const out = buildDigest([view(r, [{ ...part('x', { retweets: 1, likes: 2 }), posts: [post] }])], { day: '2020-08-27', now: NOW, settings: xOnly });
    const quote = out.split('\n').filter((l) => l.startsWith('>'));
    expect(quote).toEqual([
      '> \\# Big\\',
      '> \\<script\\>alert(1)\\</script\\> \\[click\\](javascript:alert(1)) !\\[i\\](https://evil.example/x.png) a\\_b\\',
      '> \\- item https://arxiv.org/abs/2008.11469',
      '>',
      '> — \\<img src=x onerror=alert(1)\\> \\*Eve\\* [August 27, 2020](https://x.com/i/web/status/1298784433458352128)',
    ]);
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
