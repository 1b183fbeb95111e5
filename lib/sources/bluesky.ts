/**
 * Bluesky, in two tiers.
 *
 * **Without an account** (the default): the per-category arXiv bot accounts
 * (`arxiv-cs-lg.bsky.social` …, lib/sources/post-accounts.ts) post once per new paper, and each
 * post carries its likes, reposts, replies and quotes. `app.bsky.feed.getAuthorFeed` on the public
 * AppView (https://public.api.bsky.app, no auth, 100 posts) reads them: one request per followed
 * category, at most BSKY_BOT_FEEDS categories a run, the ones read longest ago first (so five
 * categories are all read within two runs). A category without a bot answers 400 and is not asked
 * again for a day. A broad signal, but a weak one: these are bot posts (they count as "bot").
 *
 * **Signed in** (handle + app password): discovery through `app.bsky.feed.searchPosts` with
 * `domain=arxiv.org`, `since` the latest announcement, newest first, cursor paging, through
 * https://api.bsky.app (public.api.bsky.app can refuse tokens), at most BSKY_MAX_REQUESTS requests
 * a run, sign-in and session refresh included. The session (access + refresh JWT) comes from
 * `com.atproto.server.createSession` on bsky.social, is kept in the source state, refreshed with
 * `com.atproto.server.refreshSession` when expired, and recreated from the app password when the
 * refresh token is refused. Search results include the bots' posts, which count as "bot".
 *
 * Both tiers count one voice per account (its best post about a paper), and split counts into
 * people, bots (known bot handles, accounts linking many papers a day) and the paper's own
 * authors (lib/sources/post-accounts.ts). Posts that have scrolled past keep the counts they had
 * when last seen (windowed counts never drop, lib/worker/signals.ts).
 */
import { HttpError, httpJson } from '../http';
import { t } from '../i18n';
import type { DiscussionLink, Paper } from '../types';
import { count, DAY_RE, isObject, PaperMatcher } from './paper-match';
import { categoryBotHandle, countByAccount, isKnownBotHandle, isPaperAuthor, prolificAccounts, type AccountKind, type AccountPost } from './post-accounts';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';

const XRPC = 'https://bsky.social/xrpc';
/** The AppView that takes a session token for search. */
const APPVIEW = 'https://api.bsky.app/xrpc';
/** The public AppView: no account. */
const PUBLIC_APPVIEW = 'https://public.api.bsky.app/xrpc';
/** Signed in: sign-in/refresh and search pages together. */
export const BSKY_MAX_REQUESTS = 8;
/** Without an account: bot feeds (one per category) per run. */
export const BSKY_BOT_FEEDS = 3;
const METRICS = ['likes', 'reposts', 'replies', 'quotes'] as const;
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

/** Search from the latest announcement (arXiv announces at 20:00 US Eastern, 00:00–01:00 UTC), within 7 days. */
export function bskySince(papers: readonly Paper[], now: number): string {
  let latest = -Infinity;
  for (const p of papers) {
    if (p.announced && DAY_RE.test(p.announced)) latest = Math.max(latest, Date.parse(`${p.announced}T00:00:00Z`));
  }
  // Posts can come an hour or two before the listing reaches everyone's feed reader.
  const from = Number.isFinite(latest) ? latest - 4 * 3_600_000 : now - DAY_MS;
  return new Date(Math.min(now, Math.max(from, now - 7 * DAY_MS))).toISOString();
}

export function searchUrl(since: string, cursor?: string): string {
  const q = new URLSearchParams({ q: 'arxiv.org', domain: 'arxiv.org', since, sort: 'latest', limit: '100' });
  if (cursor) q.set('cursor', cursor);
  return `${APPVIEW}/app.bsky.feed.searchPosts?${q.toString()}`;
}

export function authorFeedUrl(handle: string): string {
  const q = new URLSearchParams({ actor: handle, limit: '100', filter: 'posts_no_replies' });
  return `${PUBLIC_APPVIEW}/app.bsky.feed.getAuthorFeed?${q.toString()}`;
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

export interface Post {
  url: string;
  /** The author's DID (one voice per account). */
  account: string;
  handle: string;
  displayName: string;
  links: string[];
  likes: number;
  reposts: number;
  replies: number;
  quotes: number;
}

function readPost(p: unknown): Post | null {
  if (!isObject(p)) return null;
  const author = isObject(p.author) ? p.author : {};
  const url = postUrl(p.uri, author.handle);
  if (!url) return null;
  const did = typeof author.did === 'string' && DID.test(author.did) ? author.did : null;
  const handle = typeof author.handle === 'string' ? author.handle : '';
  return {
    url,
    account: did ?? (handle || url),
    handle,
    displayName: typeof author.displayName === 'string' ? author.displayName : '',
    links: postLinks(p),
    likes: count(p.likeCount),
    reposts: count(p.repostCount),
    replies: count(p.replyCount),
    quotes: count(p.quoteCount),
  };
}

export function parseSearch(data: unknown): { posts: Post[]; cursor?: string } {
  if (!isObject(data) || !Array.isArray(data.posts)) throw new SourceError('bad-payload', t('bskyNoPosts', t('source_bluesky')));
  const posts = data.posts.map(readPost).filter((p): p is Post => p !== null);
  return { posts, cursor: typeof data.cursor === 'string' && data.cursor ? data.cursor : undefined };
}

/** An author feed reply (`{ feed: [{ post, reason? }] }`): the account's own posts, reposts left out. */
export function parseAuthorFeed(data: unknown): Post[] {
  if (!isObject(data) || !Array.isArray(data.feed)) throw new SourceError('bad-payload', t('bskyNoFeed', t('source_bluesky')));
  const posts: Post[] = [];
  for (const item of data.feed) {
    if (!isObject(item) || item.reason !== undefined) continue;
    const post = readPost(item.post);
    if (post) posts.push(post);
  }
  return posts;
}

/** Per paper: counts by account kind (people, bots, authors) and the top posts as links. */
function signalsFrom(all: Post[], matcher: PaperMatcher, papers: readonly Paper[], days: number): PaperSignal[] {
  const authors = new Map(papers.map((p) => [p.id, p.authors]));
  const seen = new Set<string>();
  const posts: (Post & { papers: string[] })[] = [];
  for (const post of all) {
    if (seen.has(post.url)) continue;
    seen.add(post.url);
    const ids = [...new Set(post.links.map((l) => matcher.fromUrl(l)).filter((x): x is string => x !== null))];
    posts.push({ ...post, papers: ids });
  }
  const prolific = prolificAccounts(
    posts.map((p) => ({ account: p.account, links: p.links.filter((l) => /arxiv\.org|alphaxiv\.org/i.test(l)) })),
    days,
  );
  const kindOf = (p: AccountPost, paperId: string): AccountKind =>
    isKnownBotHandle(p.handle ?? '') || prolific.has(p.account) ? 'bot' : isPaperAuthor(p, authors.get(paperId) ?? []) ? 'author' : 'person';
  const counted = countByAccount(
    posts.filter((p) => p.papers.length).map((p) => ({ account: p.account, handle: p.handle, displayName: p.displayName, papers: p.papers, counts: { likes: p.likes, reposts: p.reposts, replies: p.replies, quotes: p.quotes }, weight: p.likes + 2 * p.reposts + p.replies + 2 * p.quotes })),
    kindOf,
    METRICS,
  );
  const name = t('source_bluesky');
  const signals: PaperSignal[] = [];
  for (const [paperId, counts] of counted) {
    const mine = posts.filter((p) => p.papers.includes(paperId)).sort((a, b) => b.likes - a.likes);
    const links: DiscussionLink[] = mine.slice(0, MAX_LINKS).map((p) => ({ url: p.url, label: t('discussionBskyPost', name, p.likes, p.reposts) }));
    signals.push({ paperId, counts, links });
  }
  return signals;
}

/** Bot handle → epoch ms until which it is not asked (no such account), and when each was last read. */
interface BotState {
  lastRead: Record<string, number>;
  missing: Record<string, number>;
}

/** The categories' bot feeds to read this run: never-read and least recently read first. */
export function botFeedsToRead(categories: readonly string[], state: BotState, now: number, max = BSKY_BOT_FEEDS): string[] {
  const handles = [...new Set(categories.map(categoryBotHandle).filter((h): h is string => h !== null))].filter((h) => !((state.missing[h] ?? 0) > now));
  return handles
    .map((h, i) => ({ h, i, at: state.lastRead[h] ?? -Infinity }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .slice(0, max)
    .map((x) => x.h);
}

async function botTier(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
  const categories = env.categories?.length ? env.categories : [...new Set(papers.map((p) => p.primaryCategory).filter(Boolean))];
  const stored = (await env.state.get<BotState>('bots')) ?? { lastRead: {}, missing: {} };
  const state: BotState = { lastRead: { ...stored.lastRead }, missing: { ...stored.missing } };
  const now = env.now();
  const posts: Post[] = [];
  let requests = 0;
  for (const handle of botFeedsToRead(categories, state, now)) {
    try {
      const { data } = await httpJson(env, authorFeedUrl(handle), { timeoutMs: 20_000 });
      posts.push(...parseAuthorFeed(data));
    } catch (err) {
      // No bot for this category ("Profile not found"): not asked again for a day; the others go on.
      if (!(err instanceof HttpError && err.status === 400)) throw err;
      state.missing[handle] = now + DAY_MS;
    } finally {
      requests++;
      state.lastRead[handle] = now;
    }
  }
  await env.state.set('bots', state);
  return { signals: signalsFrom(posts, new PaperMatcher(papers), papers, 1), requests };
}

async function searchTier(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
  // Sign-in and refresh requests come out of the same budget as the search pages.
  let sent = 0;
  const counted: SourceEnv = { ...env, fetch: (input, init) => (sent++, env.fetch(input, init)) };
  let session = await validSession(counted);
  const since = bskySince(papers, env.now());
  const posts: Post[] = [];
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
    posts.push(...res.posts);
    cursor = res.cursor;
    if (!cursor || res.posts.length === 0) break;
  }
  const days = Math.max(1, (env.now() - Date.parse(since)) / DAY_MS);
  return { signals: signalsFrom(posts, new PaperMatcher(papers), papers, days), requests: sent };
}

export const bluesky: EngagementSource = {
  id: 'bluesky',
  get label() {
    return t('source_bluesky');
  },
  hosts: ['bsky.social', 'api.bsky.app', 'public.api.bsky.app'],
  credentials: 'app-password',
  minIntervalMs: 10 * 60_000,
  maxRequests: BSKY_MAX_REQUESTS,
  maxRequestsSignedOut: BSKY_BOT_FEEDS,
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    const creds = env.credentials.bluesky;
    return creds?.handle && creds.appPassword ? searchTier(papers, env) : botTier(papers, env);
  },
};
