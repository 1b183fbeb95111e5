import { describe, expect, it } from 'vitest';
import { BSKY_BOT_FEEDS, BSKY_MAX_REQUESTS, bluesky, botFeedsToRead, jwtExpiry, parseAuthorFeed, postUrl } from '../../lib/sources/bluesky';
import { SourceError } from '../../lib/sources/types';
import { failureModes, fakeFetch, fixture, json, memState, paper, sourceEnv, type Handler } from './source-test-kit';

// No capture of these endpoints exists: both files are format recordings made from the AT Protocol
// lexicons (com.atproto.server.createSession, app.bsky.feed.searchPosts); see test/fixtures/README.md.
const SESSION = fixture('bluesky_create_session_format.json');
const SEARCH = fixture('bluesky_search_posts_format.json');
// app.bsky.feed.getAuthorFeed of the cs.LG bot: a format recording too (see the fixtures README).
const BOT_FEED = fixture('bluesky_author_feed_format.json');
const session = JSON.parse(SESSION) as { accessJwt: string; refreshJwt: string; did: string; handle: string };
// The recorded access token expires at 2026-05-16T12:00Z.
const BEFORE_EXPIRY = Date.parse('2026-05-16T11:00:00Z');

const creds = { bluesky: { handle: 'reader.example.com', appPassword: 'abcd-efgh-ijkl-mnop' } };
const papers = [paper('2605.13301', '2026-05-15'), paper('2605.15141', '2026-05-15'), paper('2605.10912', '2026-05-15'), paper('2605.00002', '2026-05-15')];

const ok: Handler = (url) => {
  if (url.endsWith('com.atproto.server.createSession') || url.endsWith('com.atproto.server.refreshSession')) return json(SESSION);
  if (url.includes('app.bsky.feed.searchPosts')) return json(new URL(url).searchParams.has('cursor') ? { posts: [] } : SEARCH);
  return new Response('not found', { status: 404 });
};

describe('Bluesky — format recordings from the lexicon', () => {
  describe('without an account: the category bots on the public AppView', () => {
    const day = [paper('2605.15220', '2026-05-18'), paper('2605.15320', '2026-05-18'), paper('2605.15217', '2026-05-18'), paper('2605.15305', '2026-05-18')];
    const botOk: Handler = (url) => (url.includes('getAuthorFeed') ? json(BOT_FEED) : new Response('not found', { status: 404 }));

    it('reads one bot feed per followed category, no sign-in, no token, at most BSKY_BOT_FEEDS a run', async () => {
      const { fetch, calls } = fakeFetch(botOk);
      const res = await bluesky.fetchSignals(day, sourceEnv(fetch, { categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'] }));
      expect(calls).toHaveLength(BSKY_BOT_FEEDS);
      expect(res.requests).toBe(BSKY_BOT_FEEDS);
      expect(bluesky.maxRequestsSignedOut).toBe(BSKY_BOT_FEEDS);
      const q = new URL(calls[0]!.url);
      expect(q.origin + q.pathname).toBe('https://public.api.bsky.app/xrpc/app.bsky.feed.getAuthorFeed');
      expect(Object.fromEntries(q.searchParams)).toEqual({ actor: 'arxiv-cs-lg.bsky.social', limit: '100', filter: 'posts_no_replies' });
      expect(calls.map((c) => new URL(c.url).searchParams.get('actor'))).toEqual(['arxiv-cs-lg.bsky.social', 'arxiv-cs-cl.bsky.social', 'arxiv-cs-cv.bsky.social']);
      expect(calls.every((c) => !c.headers.Authorization)).toBe(true);
    });

    it('counts the bot posts as bot posts, one voice, and leaves the bot\'s reposts out', async () => {
      const { fetch } = fakeFetch(botOk);
      const res = await bluesky.fetchSignals(day, sourceEnv(fetch, { categories: ['cs.LG', 'cs.AI'] }));
      const by = Object.fromEntries(res.signals.map((s) => [s.paperId, s]));
      // The same feed answered twice (the fake serves it for both categories): each post counts once.
      expect(by['2605.15220']!.counts).toEqual({ likes: 0, reposts: 0, replies: 0, quotes: 0, accounts: 0, bot_likes: 12, bot_reposts: 3, bot_replies: 1, bot_quotes: 0, bot_accounts: 1 });
      expect(by['2605.15217']!.counts.bot_accounts).toBe(1);
      // 2605.15305 was only reposted by the bot: not its post.
      expect(by['2605.15305']).toBeUndefined();
      expect(by['2605.15220']!.links.map((l) => l.url)).toEqual(['https://bsky.app/profile/did:plc:jcuneyfj7t2mtfmqna6ngmir/post/3lpd2qv7zsk2a']);
    });

    it('reads the categories read longest ago first, so every followed category gets its turn', async () => {
      const state = memState();
      const cats = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'];
      const first = fakeFetch(botOk);
      await bluesky.fetchSignals(day, sourceEnv(first.fetch, { categories: cats, state }));
      const second = fakeFetch(botOk);
      await bluesky.fetchSignals(day, sourceEnv(second.fetch, { categories: cats, state, now: () => Date.parse('2026-05-18T12:30:00Z') }));
      expect(second.calls.map((c) => new URL(c.url).searchParams.get('actor'))).toEqual(['arxiv-cs-ai.bsky.social', 'arxiv-stat-ml.bsky.social', 'arxiv-cs-lg.bsky.social']);
      expect(botFeedsToRead(['cs.LG'], { lastRead: {}, missing: { 'arxiv-cs-lg.bsky.social': Date.parse('2026-05-19T00:00:00Z') } }, Date.parse('2026-05-18T12:00:00Z'))).toEqual([]);
    });

    it('a category without a bot (HTTP 400) is skipped for a day; the other categories still count', async () => {
      const state = memState();
      const { fetch } = fakeFetch((url) => (url.includes('stat-ml') ? json({ error: 'InvalidRequest', message: 'Profile not found' }, 400) : json(BOT_FEED)));
      const res = await bluesky.fetchSignals(day, sourceEnv(fetch, { categories: ['stat.ML', 'cs.LG'], state }));
      expect(res.signals.length).toBe(3);
      expect((state.data.get('bots') as { missing: Record<string, number> }).missing['arxiv-stat-ml.bsky.social']).toBeGreaterThan(Date.parse('2026-05-18T12:00:00Z'));
    });

    it('an author feed reply without a feed list is a bad payload', () => {
      expect(() => parseAuthorFeed({ posts: [] })).toThrow(SourceError);
      expect(parseAuthorFeed({ feed: [] })).toEqual([]);
    });

    describe('failure modes of the bot feeds', () => {
      failureModes({
        source: bluesky,
        papers: day,
        ok: botOk,
        target: (url) => url.includes('getAuthorFeed'),
        truncated: BOT_FEED.slice(0, 900),
        authAs: 'http',
      });
    });
  });

  it('signs in with the app password, keeps the session, and sums likes/reposts/replies/quotes per paper', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const state = memState();
    const res = await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, state, now: () => BEFORE_EXPIRY }));
    expect(calls[0]!.url).toBe('https://bsky.social/xrpc/com.atproto.server.createSession');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ identifier: 'reader.example.com', password: 'abcd-efgh-ijkl-mnop' });
    expect(state.data.get('session')).toMatchObject({ did: session.did, accessJwt: session.accessJwt, refreshJwt: session.refreshJwt });
    const search = calls.filter((c) => c.url.includes('searchPosts'));
    expect(search[0]!.headers.Authorization).toBe(`Bearer ${session.accessJwt}`);
    const q = new URL(search[0]!.url).searchParams;
    expect(q.get('domain')).toBe('arxiv.org');
    expect(search[0]!.url.startsWith('https://api.bsky.app/xrpc/app.bsky.feed.searchPosts?')).toBe(true);
    // Since the announcement of the batch's latest day (00:00 UTC), with four hours' margin.
    expect(q.get('since')).toBe('2026-05-14T20:00:00.000Z');

    const by = Object.fromEntries(res.signals.map((s) => [s.paperId, s]));
    expect(Object.keys(by).sort()).toEqual(['2605.10912', '2605.13301', '2605.15141']);
    // Post 1 links 2605.13301 by facet and embed (counted once); post 4 links v2 of it.
    expect(by['2605.13301']!.counts).toEqual({ likes: 160, reposts: 35, replies: 10, quotes: 5, accounts: 2 });
    expect(by['2605.13301']!.links.map((l) => l.url)).toEqual([
      'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lp2xk7nq4c2a',
      'https://bsky.app/profile/did:plc:44ybard66vv44zksje25o7dz/post/3lp3wxyz3ab2c',
    ]);
    expect(by['2605.15141']!.counts).toEqual({ likes: 15, reposts: 2, replies: 1, quotes: 0, accounts: 1 });
    // The alphaxiv link sits inside a recordWithMedia embed.
    expect(by['2605.10912']!.counts).toEqual({ likes: 6, reposts: 1, replies: 0, quotes: 0, accounts: 1 });
  });

  it('reuses a stored session, and only ever talks to bsky.social and api.bsky.app', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const state = memState({ session });
    await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, state, now: () => BEFORE_EXPIRY }));
    expect(calls.some((c) => c.url.includes('createSession'))).toBe(false);
    expect(calls.every((c) => ['bsky.social', 'api.bsky.app'].includes(new URL(c.url).host))).toBe(true);
    // The app password is sent to createSession only (not here at all).
    expect(calls.every((c) => !JSON.stringify(c).includes(creds.bluesky.appPassword))).toBe(true);
  });

  it('signs in anew when the stored session belongs to another handle', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const state = memState({ session: { ...session, identifier: 'someone-else.bsky.social' } });
    await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, state, now: () => BEFORE_EXPIRY }));
    expect(calls[0]!.url).toBe('https://bsky.social/xrpc/com.atproto.server.createSession');
    expect(state.data.get('session')).toMatchObject({ identifier: 'reader.example.com' });
  });

  it('refreshes an expired session with the refresh token before searching', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const state = memState({ session });
    await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, state, now: () => Date.parse('2026-05-17T00:00:00Z') }));
    expect(calls[0]!.url).toBe('https://bsky.social/xrpc/com.atproto.server.refreshSession');
    expect(calls[0]!.headers.Authorization).toBe(`Bearer ${session.refreshJwt}`);
  });

  it('on ExpiredToken (HTTP 400) mid-search refreshes once and retries', async () => {
    let searches = 0;
    const { fetch, calls } = fakeFetch((url, init, n) => {
      if (url.includes('searchPosts') && searches++ === 0) return json({ error: 'ExpiredToken', message: 'Token has expired' }, 400);
      return ok(url, init, n);
    });
    const res = await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, state: memState({ session }), now: () => BEFORE_EXPIRY }));
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual([
      '/xrpc/app.bsky.feed.searchPosts',
      '/xrpc/com.atproto.server.refreshSession',
      '/xrpc/app.bsky.feed.searchPosts',
      '/xrpc/app.bsky.feed.searchPosts',
    ]);
    // The refused page and the refresh came out of the budget; the next page (empty) ends the run.
    expect(res.requests).toBe(4);
    expect(res.signals.length).toBe(3);
  });

  it('signs in again when the refresh token is refused, and says "sign in again" when the password is refused', async () => {
    const { fetch, calls } = fakeFetch((url) => {
      if (url.includes('refreshSession')) return json({ error: 'ExpiredToken', message: 'Token has expired' }, 400);
      if (url.includes('createSession')) return json({ error: 'AuthenticationRequired', message: 'Invalid identifier or password' }, 401);
      return json(SEARCH);
    });
    const err = await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, state: memState({ session }), now: () => Date.parse('2026-05-17T00:00:00Z') })).catch((e: unknown) => e);
    expect(calls.map((c) => new URL(c.url).pathname)).toEqual(['/xrpc/com.atproto.server.refreshSession', '/xrpc/com.atproto.server.createSession']);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('auth-needed');
    expect((err as Error).message).not.toContain(creds.bluesky.appPassword);
  });

  it('pages with the cursor, bounded: sign-in and search pages together stay within the budget', async () => {
    const more: Handler = (url) => (url.includes('createSession') ? json(SESSION) : json({ ...JSON.parse(SEARCH), cursor: 'next' }));
    expect(bluesky.maxRequests).toBe(BSKY_MAX_REQUESTS);
    const first = fakeFetch(more);
    const state = memState();
    const res = await bluesky.fetchSignals(papers, sourceEnv(first.fetch, { credentials: creds, state, now: () => BEFORE_EXPIRY }));
    expect(first.calls.map((c) => new URL(c.url).pathname)).toEqual([
      '/xrpc/com.atproto.server.createSession',
      ...Array(BSKY_MAX_REQUESTS - 1).fill('/xrpc/app.bsky.feed.searchPosts'),
    ]);
    expect(res.requests).toBe(BSKY_MAX_REQUESTS);
    expect(new URL(first.calls[2]!.url).searchParams.get('cursor')).toBe('next');
    // Signed in already: the whole budget goes to search pages.
    const next = fakeFetch(more);
    await bluesky.fetchSignals(papers, sourceEnv(next.fetch, { credentials: creds, state, now: () => BEFORE_EXPIRY }));
    expect(next.calls.filter((c) => c.url.includes('searchPosts'))).toHaveLength(BSKY_MAX_REQUESTS);
    expect(next.calls).toHaveLength(BSKY_MAX_REQUESTS);
  });

  it('builds post links only from validated DIDs/handles and record keys', () => {
    expect(postUrl('at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.post/3lp2xk7nq4c2a')).toBe('https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lp2xk7nq4c2a');
    expect(postUrl('at://did:plc:bad"quote/app.bsky.feed.post/3lp', 'alice.bsky.social')).toBe('https://bsky.app/profile/alice.bsky.social/post/3lp');
    expect(postUrl('at://did:plc:z72i7hdynmk6r22z27h6tvur/app.bsky.feed.like/3lp')).toBeNull();
    expect(postUrl('at://evil/app.bsky.feed.post/<script>', 'javascript:x')).toBeNull();
    expect(postUrl(42)).toBeNull();
  });

  it('reads the expiry from the recorded access token', () => {
    expect(jwtExpiry(session.accessJwt)).toBe(Date.parse('2026-05-16T12:00:00Z'));
    expect(jwtExpiry('garbage')).toBeUndefined();
  });

  it('posts with missing counts count 0 (edge case, hand-made)', async () => {
    const search = JSON.parse(SEARCH) as { posts: Record<string, unknown>[] };
    const p = { ...search.posts[1]! };
    delete p.likeCount;
    p.repostCount = 'lots';
    const { fetch } = fakeFetch((url) => (url.includes('createSession') ? json(SESSION) : json({ posts: [p] })));
    const res = await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, now: () => BEFORE_EXPIRY }));
    expect(res.signals[0]!.counts).toEqual({ likes: 0, reposts: 0, replies: 1, quotes: 0, accounts: 1 });
  });

  describe('failure modes of the search', () => {
    failureModes({
      source: bluesky,
      papers,
      credentials: creds,
      state: () => ({ session: { ...session, accessJwt: 'not-a-jwt' } }),
      ok,
      target: (url) => url.includes('searchPosts'),
      truncated: SEARCH.slice(0, 900),
      authAs: 'http',
    });
  });

  describe('failure modes of the sign-in', () => {
    failureModes({
      source: bluesky,
      papers,
      credentials: creds,
      ok,
      target: (url) => url.includes('createSession'),
      truncated: SESSION.slice(0, 200),
      authAs: 'source-auth-needed',
    });
  });
});
