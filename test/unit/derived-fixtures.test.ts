import { describe, expect, it } from 'vitest';
import { alphaxiv } from '../../lib/sources/alphaxiv';
import { bluesky, jwtExpiry } from '../../lib/sources/bluesky';
import { hackerNews } from '../../lib/sources/hacker-news';
import { huggingFace } from '../../lib/sources/hugging-face';
import { semanticScholar } from '../../lib/sources/semantic-scholar';
import { xTwitter } from '../../lib/sources/x-twitter';
import { fakeFetch, fixture, json, paper, sourceEnv } from './source-test-kit';

// Derived replay data for the e2e tests (see test/fixtures/derived/README.md).
const HF = fixture('derived/hf_daily_papers_derived.json');
const HN = fixture('derived/hn_algolia_derived.json');
const BSKY_SEARCH = fixture('derived/bluesky_search_posts_derived.json');
const BSKY_SESSION = fixture('derived/bluesky_create_session_derived.json');
const X = fixture('derived/x_search_recent_derived.json');
const S2 = fixture('derived/s2_paper_batch_derived.json');
const AX = fixture('derived/alphaxiv_feed_derived.json');
const BSKY_BOTS = fixture('derived/bluesky_author_feed_derived.json');
const expected = JSON.parse(fixture('derived/expected.json')) as {
  ids: string[];
  hf: { from: string; to: string; upvotes: number; comments: number; githubStars: number }[];
  hn: Record<string, { points: number; comments: number }>;
  bluesky: Record<string, { likes: number; reposts: number; replies: number; quotes: number }>;
  x: Record<string, { retweets: number; likes: number; posts: number }>;
  s2: Record<string, { citations: number; influentialCitations: number }>;
  alphaxiv: Record<string, { votes: number; visits: number; xLikes: number; githubStars: number }>;
  blueskyBots: Record<string, Record<string, number>>;
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every [path, a, b] where two JSON values differ (a deep diff, to pin down what was re-pointed). */
function differences(a: Json, b: Json, path = ''): [string, Json, Json][] {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b ? [] : [[path, a, b]];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) => differences((a as Record<string, Json>)[k] ?? null, (b as Record<string, Json>)[k] ?? null, `${path}/${k}`));
}
const papers = expected.ids.map((id) => paper(id, '2023-10-26'));

describe('derived e2e replay data', () => {
  it('differs from the real HF capture only in the re-keyed ids', () => {
    const real = JSON.parse(fixture('hf_daily_papers_2026-05-18.json')) as { paper: { id: string } }[];
    const derived = JSON.parse(HF) as { paper: { id: string } }[];
    const rekey = new Map(expected.hf.map((r) => [r.from, r.to]));
    const back = derived.map((e, i) => ({ ...e, paper: { ...e.paper, id: real[i]!.paper.id } }));
    expect(back).toEqual(real);
    expect(derived.map((e) => e.paper.id)).toEqual(real.map((e) => rekey.get(e.paper.id) ?? e.paper.id));
  });

  it('the HF source reads the derived reply into the expected counts for the feed papers', async () => {
    const { fetch } = fakeFetch(() => json(HF));
    const res = await huggingFace.fetchSignals(papers, sourceEnv(fetch));
    for (const r of expected.hf) {
      expect(res.signals.find((s) => s.paperId === r.to)!.counts).toEqual({ upvotes: r.upvotes, comments: r.comments, githubStars: r.githubStars });
    }
  });

  it('the HN source reads the derived reply into the expected counts for the feed papers', async () => {
    const { fetch } = fakeFetch(() => json(HN));
    const res = await hackerNews.fetchSignals(papers, sourceEnv(fetch));
    expect(Object.fromEntries(res.signals.map((s) => [s.paperId, s.counts]))).toEqual(expected.hn);
  });

  it('the alphaXiv reply differs from its recording only in the re-keyed universal_paper_id of three cards', () => {
    const real = JSON.parse(fixture('alphaxiv_feed_v3_2025-11-04.json')) as Json;
    const diffs = differences(real, JSON.parse(AX) as Json);
    expect(diffs).toHaveLength(3);
    for (const [path, , to] of diffs) {
      expect(path).toMatch(/^\/papers\/\d+\/universal_paper_id$/);
      expect(expected.ids).toContain(to);
    }
  });

  it('the Bluesky bot feed differs from its format recording only in its three own posts\' links (and their facet offsets)', () => {
    const rec = JSON.parse(fixture('bluesky_author_feed_format.json')) as Json;
    const paths = differences(rec, JSON.parse(BSKY_BOTS) as Json).map(([path]) => path.replace(/\/feed\/\d+/, '/feed/N'));
    const allowed = ['/feed/N/post/record/text', '/feed/N/post/record/facets/0/features/0/uri', '/feed/N/post/record/facets/0/index/byteStart', '/feed/N/post/record/facets/0/index/byteEnd', '/feed/N/post/record/embed/external/uri', '/feed/N/post/embed/external/uri'];
    expect(paths.every((p) => allowed.includes(p)), paths.join(' ')).toBe(true);
    expect(paths.filter((p) => p.endsWith('/uri'))).toHaveLength(9);
  });

  it('the Bluesky source without an account reads the derived bot feed into the expected bot counts', async () => {
    const { fetch } = fakeFetch(() => json(BSKY_BOTS));
    const res = await bluesky.fetchSignals(papers, sourceEnv(fetch, { categories: ['cs.LG'] }));
    expect(Object.fromEntries(res.signals.map((s) => [s.paperId, s.counts]))).toEqual(expected.blueskyBots);
  });

  it('the alphaXiv source reads the derived reply into the expected counts for the feed papers', async () => {
    const { fetch } = fakeFetch(() => json(AX));
    const res = await alphaxiv.fetchSignals(papers, sourceEnv(fetch));
    expect(Object.fromEntries(res.signals.map((s) => [s.paperId, s.counts]))).toEqual(expected.alphaxiv);
  });
});

describe('derived e2e replay data for the sources with an account or a call per batch', () => {
  it('the Bluesky reply differs from its format recording only in the link URIs, now pointing at the feed ids', () => {
    const diffs = differences(JSON.parse(fixture('bluesky_search_posts_format.json')) as Json, JSON.parse(BSKY_SEARCH) as Json);
    expect(diffs.length).toBeGreaterThan(0);
    for (const [path, , to] of diffs) {
      expect(path).toMatch(/\/(features\/\d+|external)\/uri$/);
      expect(expected.ids.some((id) => String(to).includes(id))).toBe(true);
    }
  });

  it('the Bluesky session differs from its format recording only in JWT expiries, far in the future', () => {
    const rec = JSON.parse(fixture('bluesky_create_session_format.json')) as Record<string, string>;
    const der = JSON.parse(BSKY_SESSION) as Record<string, string>;
    expect(differences(rec as Json, der as Json).map(([p]) => p).sort()).toEqual(['/accessJwt', '/refreshJwt']);
    for (const k of ['accessJwt', 'refreshJwt']) {
      expect(jwtExpiry(der[k]!)).toBe(Date.UTC(2100, 0, 1));
      // Header and (fake) signature as recorded.
      expect([der[k]!.split('.')[0], der[k]!.split('.')[2]]).toEqual([rec[k]!.split('.')[0], rec[k]!.split('.')[2]]);
    }
  });

  it('the Bluesky source reads the derived reply into the expected counts for the feed papers', async () => {
    const { fetch } = fakeFetch((url) => json(url.includes('createSession') ? BSKY_SESSION : BSKY_SEARCH));
    const creds = { bluesky: { handle: 'reader.example.com', appPassword: 'abcd-efgh-ijkl-mnop' } };
    const res = await bluesky.fetchSignals(papers, sourceEnv(fetch, { credentials: creds }));
    expect(Object.fromEntries(res.signals.map((s) => [s.paperId, s.counts]))).toEqual(expected.bluesky);
  });

  it('the X reply differs from its format recording only in expanded/unwound URLs, now pointing at the feed ids', () => {
    const diffs = differences(JSON.parse(fixture('x_v2_tweets_search_recent_public_metrics_format.json')) as Json, JSON.parse(X) as Json);
    expect(diffs.length).toBeGreaterThan(0);
    for (const [path, , to] of diffs) {
      expect(path).toMatch(/^\/data\/\d+\/entities\/urls\/\d+\/(expanded_url|unwound_url)$/);
      expect(expected.ids.some((id) => String(to).includes(id))).toBe(true);
    }
  });

  it('the X source reads the derived reply into the expected counts for the feed papers', async () => {
    const { fetch } = fakeFetch(() => json(X));
    const res = await xTwitter.fetchSignals(papers, sourceEnv(fetch, { credentials: { xBearer: 'x-token-123456789' } }));
    expect(Object.fromEntries(res.signals.map((s) => [s.paperId, s.counts]))).toEqual(expected.x);
  });

  it('the S2 entries are the real capture\'s found entries, in order, each only gaining externalIds.ArXiv', () => {
    const real = (JSON.parse(fixture('s2_paper_batch.json')) as (Record<string, Json> | null)[]).filter((e) => e !== null);
    const derived = JSON.parse(S2) as { externalIds: Record<string, string> }[];
    expect(derived.map((e) => e.externalIds.ArXiv)).toEqual(expected.ids);
    const back = derived.map((e) => {
      const { ArXiv: _dropped, ...ext } = e.externalIds;
      return { ...e, externalIds: ext };
    });
    expect(back).toEqual(real.slice(0, 3));
  });

  it('the S2 source reads the derived entries, answered in the order asked, into the expected counts', async () => {
    // As the replay server answers a batch: the entry whose externalIds.ArXiv is the asked id, else null.
    const entries = JSON.parse(S2) as { externalIds: { ArXiv: string } }[];
    const { fetch, calls } = fakeFetch((_url, init) =>
      json((JSON.parse(init!.body as string) as { ids: string[] }).ids.map((id) => entries.find((e) => `ARXIV:${e.externalIds.ArXiv}` === id) ?? null)),
    );
    const asked = [...papers].reverse();
    const res = await semanticScholar.fetchSignals(asked, sourceEnv(fetch));
    expect(JSON.parse(calls[0]!.body!)).toEqual({ ids: asked.map((p) => `ARXIV:${p.id}`) });
    expect(Object.fromEntries(res.signals.map((s) => [s.paperId, s.counts]))).toEqual(expected.s2);
  });
});

describe('the X replay day (scenario data in the recorded X v2 format)', () => {
  it('the committed pages and expectations are what make-x-day.mjs writes', async () => {
    // @ts-expect-error a plain .mjs module of the fixtures folder, without types
    const { buildXDay } = (await import('../fixtures/derived/make-x-day.mjs')) as { buildXDay(): { page1: unknown; page2: unknown; expected: unknown } };
    const built = buildXDay();
    expect(JSON.parse(fixture('derived/x_day_2026-05-18_page1.json'))).toEqual(built.page1);
    expect(JSON.parse(fixture('derived/x_day_2026-05-18_page2.json'))).toEqual(built.page2);
    expect(JSON.parse(fixture('derived/x_day_2026-05-18_expected.json'))).toEqual(built.expected);
  });

  it('the X source reads the two pages into the expected counts and top posts of the hot papers', async () => {
    const pages = [fixture('derived/x_day_2026-05-18_page1.json'), fixture('derived/x_day_2026-05-18_page2.json')];
    const { fetch } = fakeFetch((_u, _i, n) => json(pages[n - 1]!));
    const res = await xTwitter.fetchSignals([], sourceEnv(fetch, { credentials: { xBearer: 'x-token-123456789' }, day: '2026-05-18' }));
    const by = new Map(res.signals.map((s) => [s.paperId, s]));
    const expectedX = JSON.parse(fixture('derived/x_day_2026-05-18_expected.json')) as { id: string; retweets: number; favorites: number; posts: number; top: { id: string; handle: string; text: string } }[];
    for (const e of expectedX) {
      const s = by.get(e.id)!;
      expect(s.counts).toEqual({ retweets: e.retweets, likes: e.favorites, posts: e.posts });
      expect(s.posts![0]).toMatchObject({ id: e.top.id, handle: e.top.handle, text: e.top.text });
    }
    expect(res.usage).toMatchObject({ posts: 50, requests: 2 });
  });
});
