import { describe, expect, it } from 'vitest';
import { BSKY_MAX_REQUESTS, bluesky, jwtExpiry, postUrl } from '../../lib/sources/bluesky';
import { SourceError } from '../../lib/sources/types';
import { failureModes, fakeFetch, fixture, json, memState, paper, sourceEnv, type Handler } from './source-test-kit';

// No capture of these endpoints exists: both files are format recordings made from the AT Protocol
// lexicons (com.atproto.server.createSession, app.bsky.feed.searchPosts); see test/fixtures/README.md.
const SESSION = fixture('bluesky_create_session_format.json');
const SEARCH = fixture('bluesky_search_posts_format.json');
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
  it('without credentials says "sign-in needed" and sends nothing', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const err = await bluesky.fetchSignals(papers, sourceEnv(fetch)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('auth-needed');
    expect((err as SourceError).message).toBe('Sign in with a Bluesky app password to use Bluesky');
    expect(calls).toHaveLength(0);
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
    expect(q.get('since')).toBe('2026-05-13T00:00:00.000Z');

    const by = Object.fromEntries(res.signals.map((s) => [s.paperId, s]));
    expect(Object.keys(by).sort()).toEqual(['2605.10912', '2605.13301', '2605.15141']);
    // Post 1 links 2605.13301 by facet and embed (counted once); post 4 links v2 of it.
    expect(by['2605.13301']!.counts).toEqual({ likes: 160, reposts: 35, replies: 10, quotes: 5 });
    expect(by['2605.13301']!.links.map((l) => l.url)).toEqual([
      'https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lp2xk7nq4c2a',
      'https://bsky.app/profile/did:plc:44ybard66vv44zksje25o7dz/post/3lp3wxyz3ab2c',
    ]);
    expect(by['2605.15141']!.counts).toEqual({ likes: 15, reposts: 2, replies: 1, quotes: 0 });
    // The alphaxiv link sits inside a recordWithMedia embed.
    expect(by['2605.10912']!.counts).toEqual({ likes: 6, reposts: 1, replies: 0, quotes: 0 });
  });

  it('reuses a stored session, and only ever talks to bsky.social', async () => {
    const { fetch, calls } = fakeFetch(ok);
    const state = memState({ session });
    await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds, state, now: () => BEFORE_EXPIRY }));
    expect(calls.some((c) => c.url.includes('createSession'))).toBe(false);
    expect(calls.every((c) => new URL(c.url).host === 'bsky.social')).toBe(true);
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
    ]);
    // The refused page and the refresh came out of the budget: no further page this run.
    expect(res.requests).toBe(BSKY_MAX_REQUESTS);
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
    expect(res.signals[0]!.counts).toEqual({ likes: 0, reposts: 0, replies: 1, quotes: 0 });
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
