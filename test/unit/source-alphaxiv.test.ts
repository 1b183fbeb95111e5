import { describe, expect, it } from 'vitest';
import { alphaxiv, AX_MAX_REQUESTS, feedUrl, parseFeed } from '../../lib/sources/alphaxiv';
import { SourceError } from '../../lib/sources/types';
import { failureModes, fakeFetch, fixture, json, paper, sourceEnv } from './source-test-kit';

// Recorded replies of alphaXiv's feed (test/fixtures/README.md: real cards, abstracts and summaries cut).
const FEED = fixture('alphaxiv_feed_v3_2025-11-04.json');
const FEED_B = fixture('alphaxiv_feed_v3_2025-10-29.json');
const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'];
const papers = [paper('2510.26692', '2025-10-31'), paper('2510.26493', '2025-10-31'), paper('2511.01846', '2025-11-04'), paper('2511.09999', '2025-11-04')];

describe('alphaXiv feed — recorded replies', () => {
  it('reads votes, visits, X likes and GitHub stars of every recorded card', () => {
    const cards = parseFeed(JSON.parse(FEED));
    expect(cards.map((c) => c.id)).toEqual(['2511.01846', '2510.26493', '2510.26692', '2510.27688']);
    // public_total_votes is the count alphaXiv shows; visits_count.all the visits; no x_likes recorded → 0.
    expect(cards[2]).toEqual({ id: '2510.26692', votes: 160, visits: 2226, xLikes: 0, githubStars: 270 });
    expect(cards[1]).toEqual({ id: '2510.26493', votes: 95, visits: 1268, xLikes: 0, githubStars: 119 });
  });

  it('reads a card whose github_stars is null (recorded) as 0 stars', () => {
    const cards = parseFeed(JSON.parse(FEED_B));
    expect(cards.find((c) => c.id === '2510.24702')).toEqual({ id: '2510.24702', votes: 14, visits: 131, xLikes: 0, githubStars: 0 });
  });

  it('asks once for the hottest papers of the last three days in the followed categories', async () => {
    const { fetch, calls } = fakeFetch(() => json(FEED));
    const res = await alphaxiv.fetchSignals(papers, sourceEnv(fetch, { categories: CATEGORIES }));
    expect(calls).toHaveLength(1);
    expect(res.requests).toBe(AX_MAX_REQUESTS);
    const q = new URL(calls[0]!.url);
    expect(q.origin + q.pathname).toBe('https://api.alphaxiv.org/papers/v3/feed');
    expect(Object.fromEntries(q.searchParams)).toEqual({ pageNum: '0', pageSize: '100', sort: 'Hot', interval: '3 Days', topics: JSON.stringify(CATEGORIES) });
  });

  it('returns counts and an alphaXiv link only for the papers asked about', async () => {
    const { fetch } = fakeFetch(() => json(FEED));
    const res = await alphaxiv.fetchSignals(papers, sourceEnv(fetch, { categories: CATEGORIES }));
    expect(res.signals.map((s) => s.paperId).sort()).toEqual(['2510.26493', '2510.26692', '2511.01846']);
    const kimi = res.signals.find((s) => s.paperId === '2510.26692')!;
    expect(kimi.counts).toEqual({ votes: 160, visits: 2226, xLikes: 0, githubStars: 270 });
    expect(kimi.links).toEqual([{ url: 'https://www.alphaxiv.org/abs/2510.26692', label: 'alphaXiv paper page' }]);
  });

  it('leaves anything but arXiv codes out of topics', () => {
    const q = new URL(feedUrl(['cs.LG', '"]&x=1', 'math']));
    expect(q.searchParams.get('topics')).toBe('["cs.LG","math"]');
  });

  describe('a changed shape says so in words (the API is unofficial)', () => {
    for (const [what, body] of [
      ['a list instead of { papers }', JSON.parse(FEED).papers],
      ['papers renamed', { items: JSON.parse(FEED).papers }],
      ['cards without universal_paper_id', { papers: JSON.parse(FEED).papers.map(({ universal_paper_id: _, ...rest }: Record<string, unknown>) => ({ ...rest, paperId: 'x' })) }],
    ] as const) {
      it(what, async () => {
        const { fetch } = fakeFetch(() => json(body));
        const err = await alphaxiv.fetchSignals(papers, sourceEnv(fetch)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SourceError);
        expect((err as SourceError).kind).toBe('bad-payload');
        expect((err as SourceError).message).toBe('alphaXiv sent an unexpected reply: the format of its feed (an unofficial API) has changed; its last counts are kept');
      });
    }

    it('an empty page is no papers, not a changed shape', async () => {
      const { fetch } = fakeFetch(() => json({ papers: [] }));
      expect((await alphaxiv.fetchSignals(papers, sourceEnv(fetch))).signals).toEqual([]);
    });

    it('a card with missing or odd metrics counts 0 there and keeps the rest (hand-made edge case)', () => {
      const [card] = parseFeed({ papers: [{ universal_paper_id: '2511.01846', metrics: { public_total_votes: 'many', visits_count: null }, github_stars: -3 }] });
      expect(card).toEqual({ id: '2511.01846', votes: 0, visits: 0, xLikes: 0, githubStars: 0 });
    });
  });

  it('never builds links from payload URLs', async () => {
    const evil = { papers: [{ universal_paper_id: '2511.01846', github_url: 'javascript:alert(1)', image_url: 'https://evil.example/x.png', metrics: { public_total_votes: 3 } }] };
    const { fetch } = fakeFetch(() => json(evil));
    const res = await alphaxiv.fetchSignals(papers, sourceEnv(fetch));
    expect(res.signals[0]!.links.map((l) => l.url)).toEqual(['https://www.alphaxiv.org/abs/2511.01846']);
  });

  describe('failure modes', () => {
    failureModes({
      source: alphaxiv,
      papers,
      ok: () => json(FEED),
      target: (url) => url.startsWith('https://api.alphaxiv.org/'),
      truncated: FEED.slice(0, 1500),
      authAs: 'http',
    });
  });
});
