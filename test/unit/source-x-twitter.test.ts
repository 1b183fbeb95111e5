import { describe, expect, it } from 'vitest';
import { buildQueries, digestLine, parseSearch, X_MAX_QUERIES, X_QUERY_LIMIT, xTwitter } from '../../lib/sources/x-twitter';
import { SourceError } from '../../lib/sources/types';
import { failureModes, fakeFetch, fixture, json, paper, sourceEnv } from './source-test-kit';

// Real 2022 reply (default fields only) and a format recording with public_metrics and entities
// whose tweets and totals are those of the 2020-08-27 "Hot Papers" digest (see test/fixtures/README.md).
const REAL_2022 = fixture('x_v2_tweets_search_recent_2022-10-07.json');
const FORMAT = fixture('x_v2_tweets_search_recent_public_metrics_format.json');
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F';
const creds = { xBearer: TOKEN };
const digestPapers = [paper('2008.11469', '2020-08-27'), paper('2008.11687', '2020-08-27'), paper('2008.11713', '2020-08-27'), paper('2008.11479', '2020-08-27')];

describe('X recent search', () => {
  it('reads the real 2022 reply: tweets without metrics or links give no paper signal', () => {
    const tweets = parseSearch(JSON.parse(REAL_2022));
    expect(tweets).toHaveLength(10);
    expect(tweets[0]).toEqual({ id: '1578516068309794817', urls: [], retweets: 0, likes: 0 });
  });

  it('reproduces the digest metric: retweets and likes (favorites) of the posts linking each paper', async () => {
    const { fetch, calls } = fakeFetch(() => json(FORMAT));
    const res = await xTwitter.fetchSignals(digestPapers, sourceEnv(fetch, { credentials: creds }));
    const by = Object.fromEntries(res.signals.map((s) => [s.paperId, s]));
    // The SMAP tweet links both the pdf and the abs page: counted once.
    expect(by['2008.11469']!.counts).toEqual({ retweets: 45, likes: 153, posts: 1 });
    expect(digestLine(by['2008.11469']!.counts)).toBe('retweets: 45, favorites: 153');
    expect(digestLine(by['2008.11687']!.counts)).toBe('retweets: 19, favorites: 117');
    expect(digestLine(by['2008.11713']!.counts)).toBe('retweets: 14, favorites: 105');
    expect(by['2008.11479']).toBeUndefined();
    expect(by['2008.11469']!.links).toEqual([{ url: 'https://x.com/i/web/status/1298784433458352128', label: 'X post: 45 retweets, 153 likes' }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    const u = new URL(calls[0]!.url);
    expect(u.host).toBe('api.x.com');
    expect(u.searchParams.get('tweet.fields')).toBe('public_metrics,entities');
    expect(u.searchParams.get('query')).toBe('(url:"arxiv.org/abs/2008.11469" OR url:"arxiv.org/abs/2008.11687" OR url:"arxiv.org/abs/2008.11713" OR url:"arxiv.org/abs/2008.11479") -is:retweet');
  });

  it('batches ids into queries within the 512-character limit, bounded per run', async () => {
    const ids = Array.from({ length: 400 }, (_, i) => `2605.${String(10000 + i)}`);
    const qs = buildQueries(ids);
    expect(qs.every((q) => q.query.length <= X_QUERY_LIMIT)).toBe(true);
    expect(qs.flatMap((q) => q.ids)).toEqual(ids);
    expect(qs[0]!.ids.length).toBeGreaterThan(10);
    const { fetch, calls } = fakeFetch(() => json({ meta: { result_count: 0 } }));
    await xTwitter.fetchSignals(ids.map((id) => paper(id, '2026-05-15')), sourceEnv(fetch, { credentials: creds }));
    expect(calls).toHaveLength(X_MAX_QUERIES);
    expect(xTwitter.maxRequests).toBe(X_MAX_QUERIES);
    // In the order given: the first ids of the batch are the ones asked about.
    expect(calls.map((c) => new URL(c.url).searchParams.get('query'))).toEqual(qs.slice(0, X_MAX_QUERIES).map((q) => q.query));
  });

  it('no matches (no `data`) is an empty result, not an error', async () => {
    const { fetch } = fakeFetch(() => json({ meta: { result_count: 0 } }));
    const res = await xTwitter.fetchSignals(digestPapers, sourceEnv(fetch, { credentials: creds }));
    expect(res.signals).toEqual([]);
  });

  it('without a token says what to do and sends nothing', async () => {
    const { fetch, calls } = fakeFetch(() => json(FORMAT));
    const err = await xTwitter.fetchSignals(digestPapers, sourceEnv(fetch)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('auth-needed');
    expect(calls).toHaveLength(0);
  });

  it('skips tweets with non-numeric ids and reads missing metrics as 0 (edge cases, hand-made)', () => {
    const tweets = parseSearch({ data: [{ id: 'javascript:1', entities: { urls: [{ expanded_url: 'https://arxiv.org/abs/2008.11469' }] } }, { id: '12', entities: { urls: [{ expanded_url: 'https://arxiv.org/abs/2008.11469' }] } }] });
    expect(tweets).toEqual([{ id: '12', urls: ['https://arxiv.org/abs/2008.11469'], retweets: 0, likes: 0 }]);
  });

  describe('failure modes', () => {
    failureModes({
      source: xTwitter,
      papers: digestPapers,
      credentials: creds,
      ok: () => json(FORMAT),
      target: () => true,
      truncated: FORMAT.slice(0, 600),
      authAs: 'http',
    });
  });
});
