/**
 * Bluesky: `app.bsky.feed.searchPosts` restricted to posts linking arxiv.org. Public
 * unauthenticated search has been refused since 2025, so the user signs in with their handle and an
 * app password (`com.atproto.server.createSession` on bsky.social). The session (access + refresh
 * JWT) is kept in the source state, refreshed with `com.atproto.server.refreshSession` when the
 * access token has expired, and recreated from the app password when the refresh token is refused.
 * All requests go to https://bsky.social, which proxies app.bsky.* calls to the AppView.
 *
 * One run sends at most BSKY_MAX_REQUESTS requests, sign-in and session refresh included: the
 * newest posts first, 100 a page. Posts that have scrolled past the pages of a run keep the counts
 * they had when last seen (windowed counts never drop, lib/worker/signals.ts).
 */
import { HttpError, httpJson } from '../http';
import { t } from '../i18n';
import type { DiscussionLink, Paper } from '../types';
import { count, DAY_RE, isObject, PaperMatcher } from './paper-match';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';

const XRPC = 'https://bsky.social/xrpc';
export const BSKY_MAX_REQUESTS = 3;
const DAY_MS = 86_400_000;
const MAX_LINKS = 10;

export interface BskySession {
  /** The handle the session was created with: another handle in the options means a new sign-in. */
  identifier?: string;
  did: string;
  handle: string;
  accessJwt: string;
  refreshJwt: string;
}

/** Expiry (epoch ms) of a JWT, from its payload's `exp`; undefined when unreadable. */
export function jwtExpiry(jwt: string): number | undefined {
  const part = jwt.split('.')[1];
  if (!part) return undefined;
  try {
    const json = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='))) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

function parseSession(data: unknown): BskySession {
  if (!isObject(data) || typeof data.accessJwt !== 'string' || typeof data.refreshJwt !== 'string' || typeof data.did !== 'string') {
    throw new SourceError('bad-payload', t('bskyBadSignIn', t('source_bluesky')));
  }
  return { did: data.did, handle: typeof data.handle === 'string' ? data.handle : '', accessJwt: data.accessJwt, refreshJwt: data.refreshJwt };
}

async function createSession(env: SourceEnv): Promise<BskySession> {
  const creds = env.credentials.bluesky;
  if (!creds?.handle || !creds.appPassword) throw new SourceError('auth-needed', t('bskySignInNeeded', t('source_bluesky')));
  try {
    const { data } = await httpJson(env, `${XRPC}/com.atproto.server.createSession`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: creds.handle, password: creds.appPassword }),
      attempts: 1,
    });
    const session = { ...parseSession(data), identifier: creds.handle };
    await env.state.set('session', session);
    return session;
  } catch (err) {
    // 401 is a wrong handle/password; createSession answers 400 for malformed identifiers.
    if (err instanceof HttpError && (err.kind === 'auth' || err.status === 400)) {
      throw new SourceError('auth-needed', t('bskySignInRefused', t('source_bluesky')));
    }
    throw err;
  }
}

async function refreshSession(env: SourceEnv, old: BskySession): Promise<BskySession> {
  try {
    const { data } = await httpJson(env, `${XRPC}/com.atproto.server.refreshSession`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${old.refreshJwt}` },
      attempts: 1,
    });
    const session = { ...parseSession(data), identifier: old.identifier };
    await env.state.set('session', session);
    return session;
  } catch (err) {
    // An expired or revoked refresh token: start over from the app password.
    if (err instanceof HttpError && (err.kind === 'auth' || err.status === 400)) return createSession(env);
    throw err;
  }
}

async function validSession(env: SourceEnv): Promise<BskySession> {
  const creds = env.credentials.bluesky;
  if (!creds?.handle || !creds.appPassword) throw new SourceError('auth-needed', t('bskySignInNeeded', t('source_bluesky')));
  const stored = await env.state.get<BskySession>('session');
  if (!stored || typeof stored.accessJwt !== 'string' || (stored.identifier !== undefined && stored.identifier !== creds.handle)) return createSession(env);
  const exp = jwtExpiry(stored.accessJwt);
  if (exp !== undefined && exp - 60_000 <= env.now()) return refreshSession(env, stored);
  return stored;
}

export function bskySince(papers: readonly Paper[], now: number): string {
  let earliest = Infinity;
  for (const p of papers) {
    if (p.announced && DAY_RE.test(p.announced)) earliest = Math.min(earliest, Date.parse(`${p.announced}T00:00:00Z`));
  }
  const from = Number.isFinite(earliest) ? earliest - 2 * DAY_MS : now - 3 * DAY_MS;
  return new Date(Math.max(from, now - 7 * DAY_MS)).toISOString();
}

export function searchUrl(since: string, cursor?: string): string {
  const q = new URLSearchParams({ q: 'arxiv.org', domain: 'arxiv.org', since, sort: 'latest', limit: '100' });
  if (cursor) q.set('cursor', cursor);
  return `${XRPC}/app.bsky.feed.searchPosts?${q.toString()}`;
}

/** Every link a post carries: facets, the record's embed, and the hydrated embed view. */
export function postLinks(post: Record<string, unknown>): string[] {
  const out: string[] = [];
  const external = (e: unknown) => {
    if (!isObject(e)) return;
    if (isObject(e.external) && typeof e.external.uri === 'string') out.push(e.external.uri);
    // recordWithMedia wraps the external embed in `media`.
    if (isObject(e.media)) external(e.media);
  };
  const record = isObject(post.record) ? post.record : {};
  if (Array.isArray(record.facets)) {
    for (const f of record.facets) {
      if (!isObject(f) || !Array.isArray(f.features)) continue;
      for (const feat of f.features) if (isObject(feat) && typeof feat.uri === 'string') out.push(feat.uri);
    }
  }
  external(record.embed);
  external(post.embed);
  return out;
}

const DID = /^did:(plc:[a-z2-7]{24}|web:[a-zA-Z0-9.-]{1,253})$/;
const HANDLE = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const RKEY = /^[a-zA-Z0-9._~:-]{1,512}$/;

/** https://bsky.app link built from the validated parts of an at:// post URI, or null. */
export function postUrl(uri: unknown, handle?: unknown): string | null {
  if (typeof uri !== 'string') return null;
  const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/?#]+)$/.exec(uri);
  if (!m || !RKEY.test(m[2]!) || m[2] === '.' || m[2] === '..') return null;
  const actor = DID.test(m[1]!) ? m[1]! : typeof handle === 'string' && HANDLE.test(handle) ? handle : null;
  return actor ? `https://bsky.app/profile/${actor}/post/${m[2]}` : null;
}

interface Post {
  url: string;
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
}

export function parseSearch(data: unknown): { posts: (Post & { links: string[] })[]; cursor?: string } {
  if (!isObject(data) || !Array.isArray(data.posts)) throw new SourceError('bad-payload', t('bskyNoPosts', t('source_bluesky')));
  const posts: (Post & { links: string[] })[] = [];
  for (const p of data.posts) {
    if (!isObject(p)) continue;
    const url = postUrl(p.uri, isObject(p.author) ? p.author.handle : undefined);
    if (!url) continue;
    posts.push({ url, links: postLinks(p), likes: count(p.likeCount), reposts: count(p.repostCount), replies: count(p.replyCount), quotes: count(p.quoteCount) });
  }
  return { posts, cursor: typeof data.cursor === 'string' && data.cursor ? data.cursor : undefined };
}

export const bluesky: EngagementSource = {
  id: 'bluesky',
  get label() {
    return t('source_bluesky');
  },
  hosts: ['bsky.social'],
  credentials: 'app-password',
  minIntervalMs: 10 * 60_000,
  maxRequests: BSKY_MAX_REQUESTS,
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    // Sign-in and refresh requests come out of the same budget as the search pages.
    let sent = 0;
    const counted: SourceEnv = { ...env, fetch: (input, init) => (sent++, env.fetch(input, init)) };
    let session = await validSession(counted);
    const matcher = new PaperMatcher(papers);
    const since = bskySince(papers, env.now());
    const byPaper = new Map<string, Post[]>();
    const seen = new Set<string>();
    let cursor: string | undefined;
    let refreshed = false;
    while (sent < BSKY_MAX_REQUESTS) {
      let data: unknown;
      try {
        ({ data } = await httpJson(counted, searchUrl(since, cursor), { headers: { Authorization: `Bearer ${session.accessJwt}` } }));
      } catch (err) {
        // ExpiredToken comes back as 400 (or 401): refresh once and retry the same page.
        if (!refreshed && sent < BSKY_MAX_REQUESTS && err instanceof HttpError && (err.kind === 'auth' || err.status === 400)) {
          refreshed = true;
          session = await refreshSession(counted, session);
          continue;
        }
        throw err;
      }
      const res = parseSearch(data);
      for (const post of res.posts) {
        if (seen.has(post.url)) continue;
        seen.add(post.url);
        const ids = new Set(post.links.map((l) => matcher.fromUrl(l)).filter((x): x is string => x !== null));
        for (const id of ids) {
          const list = byPaper.get(id) ?? [];
          list.push(post);
          byPaper.set(id, list);
        }
      }
      cursor = res.cursor;
      if (!cursor || res.posts.length === 0) break;
    }
    const signals: PaperSignal[] = [];
    const name = t('source_bluesky');
    for (const [paperId, posts] of byPaper) {
      const sum = (k: keyof Omit<Post, 'url'>) => posts.reduce((n, p) => n + p[k], 0);
      posts.sort((a, b) => b.likes - a.likes);
      const links: DiscussionLink[] = posts.slice(0, MAX_LINKS).map((p) => ({ url: p.url, label: t('discussionBskyPost', name, p.likes, p.reposts) }));
      signals.push({ paperId, counts: { likes: sum('likes'), reposts: sum('reposts'), replies: sum('replies'), quotes: sum('quotes') }, links });
    }
    return { signals, requests: sent };
  },
};
