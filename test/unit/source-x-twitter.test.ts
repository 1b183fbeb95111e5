import { describe, expect, it } from 'vitest';
import { arxivIdsInLinks, byEngagement, PostsByPaper, sumPosts } from '../../lib/sources/post-links';
import { announcementStart, buildQueries, digestLine, parseSearch, X_DISCOVERY_QUERY, X_MAX_QUERIES, X_QUERY_LIMIT, xTwitter } from '../../lib/sources/x-twitter';
import { SourceError } from '../../lib/sources/types';
import { requestCap, X_MAX_REQUESTS_PER_DAY, X_USAGE_KEY, type XUsage } from '../../lib/sources/x-budget';
import { failureModes, fakeFetch, fixture, json, memState, NOW, paper, sourceEnv } from './source-test-kit';

// Real 2022 reply (default fields only) and a format recording with public_metrics and entities
// whose tweets and totals are those of the 2020-08-27 "Hot Papers" digest (see test/fixtures/README.md).
const REAL_2022 = fixture('x_v2_tweets_search_recent_2022-10-07.json');
const FORMAT = fixture('x_v2_tweets_search_recent_public_metrics_format.json');
const TOKEN = 'AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2XzMDjRfl76ZC9Ub0wnz4XsNiRVBChTYbJcE3F';
const creds = { xBearer: TOKEN };
const digestPapers = [paper('2008.11469', '2020-08-27'), paper('2008.11687', '2020-08-27'), paper('2008.11713', '2020-08-27'), paper('2008.11479', '2020-08-27')];

/**
 * HAND-MADE scenario posts in the format of the recorded X v2 replies (data[] with entities.urls and
 * public_metrics as in the format recording, plus created_at/author_id and includes.users, which a
 * request with expansions=author_id returns). Ids, handles, texts and counts are invented.
 */
interface ScenarioPost {
  id: string;
  links: string[];
  rt: number;
  likes: number;
  user?: string;
  text?: string;
}
function reply(posts: ScenarioPost[], nextToken?: string) {
  const users = [...new Set(posts.map((p) => p.user ?? 'reader_1'))];
  return {
    data: posts.map((p) => ({
      author_id: String(1000 + users.indexOf(p.user ?? 'reader_1')),
      created_at: '2026-05-18T03:04:05.000Z',
      edit_history_tweet_ids: [p.id],
      entities: { urls: p.links.map((l, i) => ({ start: i * 24, end: i * 24 + 23, url: `https://t.co/L${p.id.slice(-4)}${i}`, expanded_url: l, display_url: l.replace(/^https?:\/\//, '').slice(0, 26) })) },
      id: p.id,
      public_metrics: { retweet_count: p.rt, reply_count: 0, like_count: p.likes, quote_count: 0, bookmark_count: 0, impression_count: 0 },
      text: p.text ?? `New paper ${p.links.map((_l, i) => `https://t.co/L${p.id.slice(-4)}${i}`).join(' ')}`,
    })),
    includes: { users: users.map((u, i) => ({ id: String(1000 + i), name: `Name of ${u}`, username: u })) },
    meta: { newest_id: posts[0]?.id, oldest_id: posts.at(-1)?.id, result_count: posts.length, ...(nextToken ? { next_token: nextToken } : {}) },
  };
}

describe('arXiv links in posts', () => {
  it('reads every link form a post uses into the versionless id', () => {
    const forms = [
      'https://arxiv.org/abs/2605.15236',
      'http://arxiv.org/abs/2605.15236v2',
      'https://www.arxiv.org/pdf/2605.15236',
      'https://arxiv.org/pdf/2605.15236v3.pdf',
      'https://export.arxiv.org/abs/2605.15236',
      'https://arxiv.org/html/2605.15236v1',
      'https://arxiv.org/html/2605.15236v1/#S2',
      'arxiv.org/abs/2605.15236',
    ];
    for (const f of forms) expect(arxivIdsInLinks([f]), f).toEqual(['2605.15236']);
    expect(arxivIdsInLinks(['https://arxiv.org/abs/hep-th/9901001v1'])).toEqual(['hep-th/9901001']);
    expect(arxivIdsInLinks(forms)).toEqual(['2605.15236']);
  });

  it('ignores links that are not arXiv papers', () => {
    expect(arxivIdsInLinks(['https://zju3dv.github.io/SMAP/', 'https://arxiv.org/list/cs.CV/recent', 'https://evil.example/abs/2605.15236', 'https://arxiv.org.evil.example/abs/2605.15236', 42, null])).toEqual([]);
  });

  it('sums over distinct posts: a post met twice counts once, a post linking two papers counts for both', () => {
    const by = new PostsByPaper<{ id: string; retweets: number; likes: number }>();
    by.add(['A'], { id: '1', retweets: 5, likes: 10 });
    by.add(['A', 'B'], { id: '2', retweets: 1, likes: 2 });
    by.add(['A'], { id: '1', retweets: 5, likes: 10 });
    const got = Object.fromEntries([...by.entries()].map(([id, posts]) => [id, sumPosts(posts)]));
    expect(got).toEqual({ A: { retweets: 6, likes: 12, posts: 2 }, B: { retweets: 1, likes: 2, posts: 1 } });
  });

  it('orders posts by retweets + likes, then more likes first', () => {
    const posts = [
      { id: '1', retweets: 12, likes: 39 },
      { id: '2', retweets: 7, likes: 48 },
      { id: '3', retweets: 20, likes: 35 },
    ];
    expect([...posts].sort(byEngagement).map((p) => p.id)).toEqual(['2', '3', '1']);
  });
});

describe('X recent search', () => {
  it('reads the real 2022 reply: posts without metrics, links or authors give no paper signal', () => {
    const page = parseSearch(JSON.parse(REAL_2022));
    expect(page.tweets).toHaveLength(10);
    expect(page.count).toBe(10);
    expect(page.nextToken).toBe('b26v89c19zqg8o3fpzbn1e0ffhxjiofzw6po136rvbnul');
    expect(page.tweets[0]).toEqual({
      id: '1578516068309794817',
      url: 'https://x.com/i/web/status/1578516068309794817',
      handle: '',
      name: '',
      text: '2022-10-07 22:42:12.637103 tweepy',
      createdAt: '',
      retweets: 0,
      likes: 0,
      urls: [],
    });
  });

  it('discovers papers from the posts: one search for arXiv links since the announcement, most engaged first', async () => {
    const { fetch, calls } = fakeFetch(() => json(FORMAT));
    // Nothing asked about by id: discovery alone finds the digest's papers.
    const env = sourceEnv(fetch, { credentials: creds, day: '2026-05-18' });
    const res = await xTwitter.fetchSignals([], env);
    const by = Object.fromEntries(res.signals.map((s) => [s.paperId, s]));
    // The SMAP post links both the pdf and the abs page: counted once.
    expect(by['2008.11469']!.counts).toEqual({ retweets: 45, likes: 153, posts: 1 });
    expect(digestLine(by['2008.11469']!.counts)).toBe('retweets: 45, favorites: 153');
    expect(digestLine(by['2008.11687']!.counts)).toBe('retweets: 19, favorites: 117');
    expect(digestLine(by['2008.11713']!.counts)).toBe('retweets: 14, favorites: 105');
    expect(Object.keys(by).sort()).toEqual(['2008.11469', '2008.11687', '2008.11713']);
    expect(by['2008.11469']!.links).toEqual([{ url: 'https://x.com/i/web/status/1298784433458352128', label: 'X post: 45 retweets, 153 likes' }]);
    // t.co links read as where they go.
    expect(by['2008.11469']!.posts![0]!.text).toContain('pdf: https://arxiv.org/pdf/2008.11469.pdf');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.headers.Authorization).toBe(`Bearer ${TOKEN}`);
    const u = new URL(calls[0]!.url);
    expect(u.host).toBe('api.x.com');
    expect(u.pathname).toBe('/2/tweets/search/recent');
    expect(u.searchParams.get('query')).toBe(X_DISCOVERY_QUERY);
    expect(X_DISCOVERY_QUERY).toBe('url:arxiv.org -is:retweet');
    expect(u.searchParams.get('sort_order')).toBe('relevancy');
    expect(u.searchParams.get('start_time')).toBe('2026-05-18T00:00:00Z');
    // The default budget (200 posts a day) gives a run a quarter of it.
    expect(u.searchParams.get('max_results')).toBe('50');
    expect(u.searchParams.get('tweet.fields')).toBe('author_id,created_at,entities,public_metrics');
    expect(u.searchParams.get('expansions')).toBe('author_id');
    expect(res.usage).toEqual({ day: '2026-05-18', posts: 3, requests: 1, budget: 200 });
  });

  it('keeps each paper\'s posts with author, text, time and counts, top post first, and links it on x.com', async () => {
    const page = reply([
      { id: '1900000000000000001', links: ['https://arxiv.org/abs/2605.15236'], rt: 3, likes: 10, user: 'alice' },
      { id: '1900000000000000002', links: ['https://arxiv.org/pdf/2605.15236v2', 'https://arxiv.org/abs/2605.15236'], rt: 20, likes: 90, user: 'bob', text: 'Read this &amp; that: &lt;b&gt;bold&lt;/b&gt; https://t.co/L00020' },
      { id: '1900000000000000003', links: ['http://www.arxiv.org/abs/2605.15300', 'https://export.arxiv.org/abs/2605.15236v1'], rt: 1, likes: 1, user: 'carol' },
    ]);
    const { fetch } = fakeFetch(() => json(page));
    const res = await xTwitter.fetchSignals([], sourceEnv(fetch, { credentials: creds, day: '2026-05-18' }));
    const s = res.signals.find((x) => x.paperId === '2605.15236')!;
    expect(s.counts).toEqual({ retweets: 24, likes: 101, posts: 3 });
    expect(s.posts!.map((p) => p.handle)).toEqual(['bob', 'alice', 'carol']);
    expect(s.posts![0]).toEqual({
      id: '1900000000000000002',
      url: 'https://x.com/bob/status/1900000000000000002',
      handle: 'bob',
      name: 'Name of bob',
      text: 'Read this & that: <b>bold</b> https://arxiv.org/pdf/2605.15236v2',
      createdAt: '2026-05-18T03:04:05.000Z',
      retweets: 20,
      likes: 90,
    });
    expect(res.signals.find((x) => x.paperId === '2605.15300')!.counts).toEqual({ retweets: 1, likes: 1, posts: 1 });
  });

  it('pages with next_token within the run\'s share, and counts a post on two pages once', async () => {
    const p1 = reply([{ id: '1900000000000000010', links: ['https://arxiv.org/abs/2605.15236'], rt: 5, likes: 5 }], 'tok-page2');
    const p2 = reply([
      { id: '1900000000000000010', links: ['https://arxiv.org/abs/2605.15236'], rt: 5, likes: 6 },
      { id: '1900000000000000011', links: ['https://arxiv.org/abs/2605.15236'], rt: 1, likes: 2 },
    ]);
    const { fetch, calls } = fakeFetch((_u, _i, n) => json(n === 1 ? p1 : p2));
    const res = await xTwitter.fetchSignals([], sourceEnv(fetch, { credentials: creds, day: '2026-05-18' }));
    expect(calls).toHaveLength(2);
    const second = new URL(calls[1]!.url).searchParams;
    expect(second.get('next_token')).toBe('tok-page2');
    expect(second.get('max_results')).toBe('49');
    expect(res.signals[0]!.counts).toEqual({ retweets: 6, likes: 8, posts: 2 });
  });

  it('asks by id only about the papers given that discovery did not reach', async () => {
    const discovery = reply([{ id: '1900000000000000020', links: ['https://arxiv.org/abs/2008.11469'], rt: 1, likes: 1 }]);
    const { fetch, calls } = fakeFetch((url) => json(new URL(url).searchParams.get('query') === X_DISCOVERY_QUERY ? discovery : { meta: { result_count: 0 } }));
    await xTwitter.fetchSignals(digestPapers, sourceEnv(fetch, { credentials: creds, day: '2020-08-27' }));
    expect(calls).toHaveLength(2);
    const [d, q] = calls.map((c) => new URL(c.url).searchParams);
    // A page is kept for the per-id query: 50 − 10.
    expect(d!.get('max_results')).toBe('40');
    expect(q!.get('query')).toBe('(url:"arxiv.org/abs/2008.11687" OR url:"arxiv.org/abs/2008.11713" OR url:"arxiv.org/abs/2008.11479") -is:retweet');
    expect(q!.get('start_time')).toBeNull();
    expect(q!.get('max_results')).toBe('49');
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
    expect(new URL(calls[0]!.url).searchParams.get('query')).toBe(X_DISCOVERY_QUERY);
    expect(new URL(calls[1]!.url).searchParams.get('query')).toBe(qs[0]!.query);
  });

  it('starts at the announcement, inside the 7-day window of recent search', () => {
    expect(announcementStart('2026-05-18', NOW)).toBe('2026-05-18T00:00:00Z');
    expect(announcementStart('2026-05-01', NOW)).toBe('2026-05-11T12:01:00Z');
    expect(announcementStart(undefined, NOW)).toBe('2026-05-17T12:00:00Z');
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

  it('skips posts with non-numeric ids and reads missing metrics as 0 (edge cases, hand-made)', () => {
    const page = parseSearch({ data: [{ id: 'javascript:1', entities: { urls: [{ expanded_url: 'https://arxiv.org/abs/2008.11469' }] } }, { id: '12', entities: { urls: [{ expanded_url: 'https://arxiv.org/abs/2008.11469' }] } }] });
    expect(page.tweets.map((t) => [t.id, t.urls, t.retweets, t.likes])).toEqual([['12', ['https://arxiv.org/abs/2008.11469'], 0, 0]]);
  });

  it('a handle that is not one (markup, too long) never reaches the post link', () => {
    const r = reply([{ id: '1900000000000000030', links: [], rt: 0, likes: 0 }]);
    r.includes.users[0]!.username = 'x/../evil"><script>';
    expect(parseSearch(r).tweets[0]!.url).toBe('https://x.com/i/web/status/1900000000000000030');
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

describe('X daily post budget', () => {
  const page = (n: number) => reply(Array.from({ length: n }, (_, i) => ({ id: String(1900000000000001000 + i), links: ['https://arxiv.org/abs/2605.15236'], rt: 1, likes: 1 })));

  it('counts the posts and requests of the UTC day in the source state', async () => {
    const state = memState();
    const { fetch } = fakeFetch(() => json(page(50)));
    await xTwitter.fetchSignals([], sourceEnv(fetch, { credentials: creds, state, day: '2026-05-18' }));
    expect(state.data.get(X_USAGE_KEY)).toEqual({ day: '2026-05-18', posts: 50, requests: 1 });
  });

  it('sends nothing once the day\'s budget is spent, and asks for no more than is left', async () => {
    const state = memState({ [X_USAGE_KEY]: { day: '2026-05-18', posts: 195, requests: 4 } satisfies XUsage });
    const { fetch, calls } = fakeFetch(() => json(page(10)));
    const res = await xTwitter.fetchSignals([paper('2605.15236', '2026-05-18')], sourceEnv(fetch, { credentials: creds, state, day: '2026-05-18' }));
    expect(calls).toHaveLength(0);
    expect(res.requests).toBe(0);
    expect(res.usage).toEqual({ day: '2026-05-18', posts: 195, requests: 4, budget: 200 });

    state.data.set(X_USAGE_KEY, { day: '2026-05-18', posts: 170, requests: 4 });
    const more = fakeFetch(() => json(page(30)));
    await xTwitter.fetchSignals([], sourceEnv(more.fetch, { credentials: creds, state, day: '2026-05-18' }));
    expect(more.calls).toHaveLength(1);
    expect(new URL(more.calls[0]!.url).searchParams.get('max_results')).toBe('30');
  });

  it('follows the user\'s budget and starts again on the next UTC day', async () => {
    const state = memState({ [X_USAGE_KEY]: { day: '2026-05-17', posts: 5000, requests: 10 } satisfies XUsage });
    const { fetch, calls } = fakeFetch(() => json(page(100)));
    const res = await xTwitter.fetchSignals([], sourceEnv(fetch, { credentials: creds, state, day: '2026-05-18', postBudget: 1000 }));
    // A quarter of 1000 is 250: two full pages, the most one run sends.
    expect(calls.map((c) => new URL(c.url).searchParams.get('max_results'))).toEqual(['100']);
    expect(res.usage).toEqual({ day: '2026-05-18', posts: 100, requests: 1, budget: 1000 });
  });

  it('never sends more than the daily request cap: 10 with the default budget, one per 20 posts of a larger one', async () => {
    const state = memState({ [X_USAGE_KEY]: { day: '2026-05-18', posts: 0, requests: X_MAX_REQUESTS_PER_DAY } satisfies XUsage });
    const { fetch, calls } = fakeFetch(() => json(page(10)));
    await xTwitter.fetchSignals([], sourceEnv(fetch, { credentials: creds, state, day: '2026-05-18' }));
    expect(calls).toHaveLength(0);
    expect(requestCap(200)).toBe(10);
    expect(requestCap(100_000)).toBe(5000);
    state.data.set(X_USAGE_KEY, { day: '2026-05-18', posts: 0, requests: 5000 });
    await xTwitter.fetchSignals([], sourceEnv(fetch, { credentials: creds, state, day: '2026-05-18', postBudget: 100_000 }));
    expect(calls).toHaveLength(0);
  });

  it('a budget of 0 turns X\'s requests off', async () => {
    const { fetch, calls } = fakeFetch(() => json(page(10)));
    await xTwitter.fetchSignals([paper('2605.15236')], sourceEnv(fetch, { credentials: creds, postBudget: 0 }));
    expect(calls).toHaveLength(0);
  });
});

describe('X cost estimate', () => {
  it('says what the budget costs before anything is read, then the day\'s cost at today\'s pace', async () => {
    const { dailyEstimate, costUsd } = await import('../../lib/sources/x-budget');
    expect(costUsd(200)).toBeCloseTo(1.0, 10);
    expect(dailyEstimate(undefined, 200, NOW)).toEqual({ posts: 200, usd: 1, pace: false });
    // 80 posts by noon UTC: 160 a day, $0.80.
    const est = dailyEstimate({ day: '2026-05-18', posts: 80, requests: 2 }, 200, NOW);
    expect(est.posts).toBe(160);
    expect(est.usd).toBeCloseTo(0.8, 10);
    expect(est.pace).toBe(true);
    // Never more than the budget: the source stops there.
    expect(dailyEstimate({ day: '2026-05-18', posts: 150, requests: 3 }, 200, NOW).posts).toBe(200);
    // Yesterday's use says nothing about today.
    expect(dailyEstimate({ day: '2026-05-17', posts: 150, requests: 3 }, 200, NOW).pace).toBe(false);
  });
});
