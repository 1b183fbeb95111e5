import { describe, expect, it } from 'vitest';
import { hackerNews, hnSince, parseAlgolia } from '../../lib/sources/hacker-news';
import { failureModes, fakeFetch, fixture, json, NOW, paper, sourceEnv } from './source-test-kit';

// Real 2014 replies (no arXiv links) and a format recording of today's reply pointing at arXiv
// (hand-made, see test/fixtures/README.md).
const REAL_2014 = JSON.parse(fixture('hn_algolia_fixtures_2014.json')) as { url: string; reply: unknown }[];
const FORMAT = fixture('hn_algolia_search_by_date_arxiv_format.json');

const papers = [paper('2605.13301', '2026-05-15'), paper('2605.15141', '2026-05-15'), paper('2605.10912', '2026-05-15'), paper('2605.06554', '2026-05-15'), paper('2605.00001', '2026-05-15')];

describe('Hacker News (Algolia) — recorded replies', () => {
  it('reads every real 2014 search reply: stories kept only with a url and numeric objectID', () => {
    const searches = REAL_2014.filter((r) => r.url.includes('/search'));
    expect(searches.length).toBe(24);
    for (const r of searches) {
      const { stories, nbPages } = parseAlgolia(r.reply);
      expect(nbPages).toBeGreaterThan(0);
      for (const s of stories) {
        expect(s.objectID).toMatch(/^\d+$/);
        expect(typeof s.url).toBe('string');
      }
    }
    // The real story reply: one hit with a (non-arXiv) url, points and comments read as numbers.
    const story = REAL_2014.find((r) => r.url === '/api/v1/search_by_date?hitsPerPage=1&tags=(story)')!;
    const { stories } = parseAlgolia(story.reply);
    expect(stories).toHaveLength(1);
    expect(Number.isInteger(stories[0]!.points)).toBe(true);
  });

  it('finds no paper in the real 2014 replies (none links arXiv)', async () => {
    const story = REAL_2014.find((r) => r.url === '/api/v1/search_by_date?hitsPerPage=1&tags=(story)')!;
    const { fetch } = fakeFetch(() => json({ ...(story.reply as object), nbPages: 1 }));
    const res = await hackerNews.fetchSignals(papers, sourceEnv(fetch));
    expect(res.signals).toEqual([]);
  });

  it('maps abs, pdf (with version), html and alphaxiv links to papers and sums points and comments', async () => {
    const { fetch, calls } = fakeFetch(() => json(FORMAT));
    const res = await hackerNews.fetchSignals(papers, sourceEnv(fetch));
    const by = Object.fromEntries(res.signals.map((s) => [s.paperId, s]));
    expect(Object.keys(by).sort()).toEqual(['2605.06554', '2605.10912', '2605.13301', '2605.15141']);
    // Two threads for one paper (abs + pdf v2) add up.
    expect(by['2605.13301']!.counts).toEqual({ points: 412 + 9, comments: 187 + 3 });
    expect(by['2605.13301']!.links).toEqual([
      { url: 'https://news.ycombinator.com/item?id=44012345', label: 'Hacker News thread: 412 points, 187 comments' },
      { url: 'https://news.ycombinator.com/item?id=44015001', label: 'Hacker News thread: 9 points, 3 comments' },
    ]);
    expect(by['2605.15141']!.counts).toEqual({ points: 58, comments: 12 });
    expect(by['2605.10912']!.counts).toEqual({ points: 4, comments: 0 });
    expect(by['2605.06554']!.counts).toEqual({ points: 1, comments: 0 });
    expect(calls).toHaveLength(1);
    const u = new URL(calls[0]!.url);
    expect(u.origin + u.pathname).toBe('https://hn.algolia.com/api/v1/search_by_date');
    expect(u.searchParams.get('query')).toBe('arxiv.org');
    expect(u.searchParams.get('restrictSearchableAttributes')).toBe('url');
    expect(u.searchParams.get('tags')).toBe('story');
    expect(u.searchParams.get('hitsPerPage')).toBe('1000');
    expect(u.searchParams.get('numericFilters')).toBe(`created_at_i>${hnSince(papers, NOW)}`);
  });

  it('reads at most its budget of pages however many Algolia has, and counts each story once', async () => {
    const reply = JSON.parse(FORMAT) as Record<string, unknown>;
    const { fetch, calls } = fakeFetch((url) => json({ ...reply, nbPages: 50, page: Number(new URL(url).searchParams.get('page')) }));
    const res = await hackerNews.fetchSignals(papers, sourceEnv(fetch));
    expect(calls).toHaveLength(hackerNews.maxRequests);
    expect(res.requests).toBe(hackerNews.maxRequests);
    // The same objectIDs on every page are not counted again.
    expect(res.signals.find((s) => s.paperId === '2605.13301')!.counts.points).toBe(421);
  });

  it('looks back from a day or two before the earliest announcement, never more than 8 days', () => {
    expect(hnSince([paper('2605.1', '2026-05-15')], NOW)).toBe(Date.parse('2026-05-13T00:00:00Z') / 1000);
    expect(hnSince([paper('2601.1', '2026-01-02')], NOW)).toBe((NOW - 8 * 86_400_000) / 1000);
  });

  it('rejects hits whose objectID is not a plain number (it becomes part of a link)', () => {
    const { stories } = parseAlgolia({ hits: [{ objectID: '1 onclick=x', url: 'https://arxiv.org/abs/2605.13301', points: 5 }, { objectID: 'abc', url: 'x' }], nbPages: 1 });
    expect(stories).toEqual([]);
  });

  it('treats missing points/num_comments as 0 and skips stories without url (edge cases, hand-made)', () => {
    const { stories } = parseAlgolia({ hits: [{ objectID: '7', url: 'https://arxiv.org/abs/2605.13301' }, { objectID: '8', url: null, points: 9 }], nbPages: 1 });
    expect(stories).toEqual([{ objectID: '7', url: 'https://arxiv.org/abs/2605.13301', points: 0, comments: 0 }]);
  });

  describe('failure modes', () => {
    failureModes({
      source: hackerNews,
      papers,
      ok: () => json(FORMAT),
      target: () => true,
      truncated: FORMAT.slice(0, 700),
      authAs: 'http',
    });
  });
});
