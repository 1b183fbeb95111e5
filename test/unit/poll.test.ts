import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { clearCache, getMeta, getPapers, listingsBetween, openHotDb, storePapers, type HotDb } from '../../lib/store/db';
import { feedStateKey as FEED_STATE_KEY_FOR, LAST_FEED_KEY, LAST_POLL_KEY, PollInProgressError, POLL_LEASE_KEY, runPoll, WATCH_UNKNOWN_KEY, type PollEnv } from '../../lib/worker/poll';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/settings';
import type { Paper, PollReport } from '../../lib/types';

// storePapers can be made to fail with a quota error (IndexedDB's real failure on a full disk).
const quota = vi.hoisted(() => ({ failures: 0 }));
vi.mock('../../lib/store/db', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../lib/store/db')>();
  return {
    ...real,
    storePapers: async (...args: Parameters<typeof real.storePapers>) => {
      if (quota.failures > 0) {
        quota.failures--;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return real.storePapers(...args);
    },
  };
});

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const FEED = fixture('rss_cs.CV+cs.IT_2023-10-26.xml');
// Derived from the fixture: arXiv's test-data ids (impossible month 34) replaced by valid ones.
const FEED_VALID_IDS = FEED.replace(/1234\.56(\d\d)/g, '2310.166$1');
const ETAG = '5a394619748bbcf7e1889101e062ed3da2732d9f2dec4fec41e00eeae195a4dc'; // recorded with the fixture
const URL_JOINED = 'https://rss.arxiv.org/rss/cs.CV+cs.IT';
const T0 = Date.UTC(2023, 9, 27, 4, 30); // Fri 00:30 Eastern, just after the Thursday-evening announcement
const DAY = 86_400_000;

type Reply = (url: string, headers: Record<string, string>) => Response;
const rss = (body: string) => new Response(body, { status: 200, headers: { 'Content-Type': 'application/rss+xml', ETag: ETAG } });
/** Serves the recorded feed and honours If-None-Match like arXiv's CDN. */
const recorded = (body = FEED): Reply => (_url, h) => (h['If-None-Match'] === ETAG ? new Response(null, { status: 304 }) : rss(body));

let db: HotDb;
let t: number;
let calls: { url: string; headers: Record<string, string> }[];
let n = 0;

function settings(over: Partial<Settings> = {}): Settings {
  return { ...structuredClone(DEFAULT_SETTINGS), categories: ['cs.CV', 'cs.IT'], ...over };
}

function env(reply: Reply, over: Partial<PollEnv> = {}): PollEnv {
  return {
    db,
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    fetch: async (url, init) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({ url, headers });
      return reply(url, headers);
    },
    settings: settings(),
    reason: 'user',
    feeds: true,
    owner: `test-${Math.random()}`,
    ...over,
  };
}

const allListings = () => listingsBetween(db, '0000-00-00', '9999-12-31');

async function dump(): Promise<unknown> {
  return { papers: await db.getAll('papers'), listings: await allListings() };
}

function paper(id: string, updatedAt: number): Paper {
  return { id, version: 1, title: `Old ${id}`, authors: [], abstract: '', categories: ['cs.CV'], primaryCategory: 'cs.CV', announced: '2023-09-01', announceType: 'new', firstSeen: updatedAt, updatedAt, origin: 'rss' };
}

beforeEach(async () => {
  db = await openHotDb(`poll-${++n}`);
  t = T0;
  calls = [];
  quota.failures = 0;
});

describe('runPoll feeds', () => {
  it('makes ONE joined request for all categories and stores papers, listings, validators and the report', async () => {
    const report = await runPoll(env(recorded()));
    expect(calls.map((c) => c.url)).toEqual([URL_JOINED]);
    expect(report.feeds).toEqual([{ feed: URL_JOINED, status: 'ok', added: 1, unchanged: 0, skipped: 2, day: '2023-10-26' }]);
    expect(report).toMatchObject({ reason: 'user', startedAt: T0, finishedAt: T0, sources: [] });
    expect((await getPapers(db, ['2310.16106'])).get('2310.16106')?.title).toContain('Decentralized Learning');
    expect(await allListings()).toEqual([{ day: '2023-10-26', category: 'cs.IT', id: '2310.16106', announceType: 'new' }]);
    expect(await getMeta(db, LAST_POLL_KEY)).toEqual(report);
    expect(await getMeta(db, FEED_STATE_KEY_FOR(URL_JOINED))).toMatchObject({ etag: ETAG, crossLists: true, day: '2023-10-26' });
    expect(await getMeta(db, LAST_FEED_KEY)).toEqual({ at: T0, day: '2023-10-26' });
  });

  it('sends the stored ETag next time; a 304 writes no paper or listing', async () => {
    await runPoll(env(recorded()));
    const before = await dump();
    t += 3 * 3600_000;
    const report = await runPoll(env(recorded()));
    expect(calls[1]!.headers['If-None-Match']).toBe(ETAG);
    expect(report.feeds[0]).toMatchObject({ status: 'not-modified', added: 0, unchanged: 0, day: '2023-10-26' });
    expect(await dump()).toEqual(before);
  });

  it('after "clear cached data" the next poll fetches in full instead of trusting a 304', async () => {
    await runPoll(env(recorded()));
    await clearCache(db);
    calls = [];
    const report = await runPoll(env(recorded()));
    expect(calls[0]!.headers['If-None-Match']).toBeUndefined();
    expect(report.feeds[0]).toMatchObject({ status: 'ok', added: 1 });
    expect(await db.count('papers')).toBe(1);
  });

  it('is idempotent: the same feed twice adds nothing twice and keeps firstSeen', async () => {
    const noCache: Reply = () => rss(FEED_VALID_IDS);
    const first = await runPoll(env(noCache));
    t += 1000;
    const second = await runPoll(env(noCache));
    expect(first.feeds[0]).toMatchObject({ added: 3, unchanged: 0 });
    expect(second.feeds[0]).toMatchObject({ added: 0, unchanged: 3 });
    expect(await db.count('papers')).toBe(3);
    expect(await allListings()).toHaveLength(3);
    expect((await getPapers(db, ['2310.16106'])).get('2310.16106')!.firstSeen).toBe(T0);
  });

  it.each<[string, Reply, RegExp]>([
    ['a 500 on every attempt', () => new Response('oops', { status: 500 }), /HTTP 500/],
    ['a 503 / 429 (arXiv answering a burst)', () => new Response('busy', { status: 503, headers: { 'Retry-After': '3600' } }), /slow down/],
    ['a 406 (arXiv throttling)', () => new Response('Not Acceptable', { status: 406 }), /slow down \(HTTP 406\)/],
    ['an HTML maintenance page', () => new Response('<!DOCTYPE html><html><body>Maintenance</body></html>', { status: 200 }), /page instead of a feed/],
    ['a truncated feed', () => rss(FEED.slice(0, 2000)), /broken or cut off/],
    ['the network being down', () => { throw new TypeError('Failed to fetch'); }, /Could not reach rss\.arxiv\.org/],
    ["arXiv's 400 error feed", () => new Response(fixture('rss_error_bad_category.xml'), { status: 400 }), /Bad subject class 'XX'/],
  ])('keeps every cached paper when the feed fails with %s, and reports it', async (_what, failing, words) => {
    await runPoll(env(recorded()));
    const before = await dump();
    const stateBefore = await getMeta(db, FEED_STATE_KEY_FOR(URL_JOINED));
    t += DAY / 4;
    const report = await runPoll(env(failing));
    expect(report.feeds[0]!.status).toBe('error');
    expect(report.feeds[0]!.error).toMatch(words);
    expect(await dump()).toEqual(before);
    expect(await getMeta(db, FEED_STATE_KEY_FOR(URL_JOINED))).toEqual(stateBefore);
    expect(((await getMeta(db, LAST_POLL_KEY)) as PollReport).feeds[0]!.status).toBe('error');
  });

  it('honours a long Retry-After in scheduled polls; a user Refresh still asks once', async () => {
    const limited = () => new Response('slow down', { status: 429, headers: { 'Retry-After': '3600' } });
    expect((await runPoll(env(limited, { reason: 'alarm' }))).feeds[0]!.status).toBe('error');
    t += 10 * 60_000;
    const skipped = await runPoll(env(recorded(), { reason: 'announce' }));
    expect(calls).toHaveLength(1);
    expect(skipped.feeds[0]).toMatchObject({ status: 'skipped', error: expect.stringMatching(/wait/) });
    expect((await runPoll(env(recorded(), { reason: 'user' }))).feeds[0]!.status).toBe('ok');
    expect(calls).toHaveLength(2);
    // arXiv answered that Refresh, so scheduled polls resume.
    t += 60_000;
    expect((await runPoll(env(recorded(), { reason: 'alarm' }))).feeds[0]!.status).toBe('not-modified');
    expect(calls).toHaveLength(3);
  });

  it('reports an empty feed (weekend) as empty and writes no paper', async () => {
    const report = await runPoll(env(() => rss(fixture('rss_cs.LG_empty_2023-10-26.xml')), { settings: settings({ categories: ['cs.LG'] }) }));
    expect(report.feeds[0]).toMatchObject({ status: 'empty', added: 0, day: '2023-10-26' });
    expect(await db.count('papers')).toBe(0);
  });

  it('leaves cross-lists out when includeCrossLists is off, and refetches in full when the setting changes', async () => {
    await runPoll(env(() => rss(FEED_VALID_IDS)));
    expect(await db.count('papers')).toBe(3);
    const off = settings({ includeCrossLists: false });
    const db2 = await openHotDb(`poll-${++n}`);
    const r = await runPoll(env(() => rss(FEED_VALID_IDS), { db: db2, settings: off }));
    expect(r.feeds[0]).toMatchObject({ status: 'ok', added: 1 });
    expect((await db2.getAll('papers')).map((p) => p.id)).toEqual(['2310.16106']);
    // Same db, setting flipped: the stored ETag must not be used, or the cross-lists would never arrive.
    calls = [];
    await runPoll(env(recorded(FEED_VALID_IDS), { settings: off }));
    expect(calls[0]!.headers['If-None-Match']).toBeUndefined();
  });
});

describe('runPoll single flight', () => {
  it('refuses to start while another owner holds a live lease, and sends nothing', async () => {
    await db.put('meta', { owner: 'other-worker', until: T0 + 60_000 }, POLL_LEASE_KEY);
    await expect(runPoll(env(recorded()))).rejects.toBeInstanceOf(PollInProgressError);
    expect(calls).toHaveLength(0);
  });

  it('takes over a lease left by a killed worker once it has expired', async () => {
    await db.put('meta', { owner: 'dead-worker', until: T0 - 1 }, POLL_LEASE_KEY);
    const report = await runPoll(env(recorded()));
    expect(report.feeds[0]!.status).toBe('ok');
    expect(await getMeta(db, POLL_LEASE_KEY)).toBeUndefined();
  });

  it('takes over at once a live lease left by another worker instance (stopped mid-poll), and does not duplicate', async () => {
    await runPoll({ ...env(recorded()), instance: 'old-worker' });
    const before = await db.count('papers');
    await db.put('meta', { owner: 'old-run', until: T0 + 600_000, instance: 'old-worker' }, POLL_LEASE_KEY);
    await expect(runPoll({ ...env(recorded()), instance: 'old-worker', owner: 'again' })).rejects.toBeInstanceOf(PollInProgressError);
    const report = await runPoll({ ...env(recorded()), instance: 'new-worker' });
    expect(report.error).toBeUndefined();
    expect(await db.count('papers')).toBe(before);
    expect(await getMeta(db, POLL_LEASE_KEY)).toBeUndefined();
  });

  it('lets exactly one of two simultaneous polls run', async () => {
    const results = await Promise.allSettled([runPoll(env(recorded())), runPoll(env(recorded()))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof PollInProgressError)).toHaveLength(1);
    expect(calls).toHaveLength(1);
  });

  it('releases the lease even when signals throw', async () => {
    const report = await runPoll(env(recorded(), { collectSignals: async () => { throw new Error('boom'); } }));
    expect(report.error).toMatch(/boom/);
    expect(await getMeta(db, POLL_LEASE_KEY)).toBeUndefined();
  });
});

describe('runPoll signals, pruning and quota', () => {
  it("passes today's papers plus the watchlist to collectSignals and reports its SourceReports, then afterPoll", async () => {
    await storePapers(db, [paper('2309.00001', T0 - DAY)], []);
    const seen: string[][] = [];
    const after: PollReport[] = [];
    const report = await runPoll(env(recorded(), {
      settings: settings({ watchlist: { papers: ['arXiv:2309.00001v2'], authors: [], keywords: [] } }),
      collectSignals: async (papers) => {
        seen.push(papers.map((p) => p.id).sort());
        return [{ source: 'hn', state: 'ok', papers: 2, requests: 1 }];
      },
      afterPoll: async (r) => {
        after.push(r);
      },
    }));
    expect(seen).toEqual([['2309.00001', '2310.16106']]);
    expect(report.sources).toEqual([{ source: 'hn', state: 'ok', papers: 2, requests: 1 }]);
    expect(after).toEqual([report]);
  });

  it('fetches watchlisted papers the cache lacks from the arXiv API (one request), before signals; unknown ids wait a day', async () => {
    // 1707.08567 is in the recorded id_list reply; 2101.00001 is not (arXiv does not know it).
    const API = fixture('arxiv_api_idlist_2026-04.xml');
    const reply: Reply = (url, h) => (url.startsWith('https://export.arxiv.org/') ? new Response(API, { status: 200, headers: { 'Content-Type': 'application/atom+xml' } }) : recorded()(url, h));
    const watch = settings({ watchlist: { papers: ['1707.08567', 'arXiv:2101.00001v1', '2310.16106'], authors: [], keywords: [] } });
    const seen: string[][] = [];
    const collect = async (papers: Paper[]) => {
      seen.push(papers.map((p) => p.id).sort());
      return [];
    };
    const report = await runPoll(env(reply, { settings: watch, collectSignals: collect }));
    const api = calls.filter((c) => c.url.startsWith('https://export.arxiv.org/'));
    // 2310.16106 came with the feed, before the lookup: only the two others are asked for, in one request.
    expect(api).toHaveLength(1);
    expect(new URL(api[0]!.url).searchParams.get('id_list')!.split(',').sort()).toEqual(['1707.08567', '2101.00001']);
    expect(report.watchlistFetched).toBe(1);
    expect((await getPapers(db, ['1707.08567'])).get('1707.08567')).toMatchObject({ origin: 'api' });
    expect(seen).toEqual([['1707.08567', '2310.16106']]);
    expect(await getMeta(db, WATCH_UNKNOWN_KEY)).toEqual({ '2101.00001': T0 });

    // Next poll: nothing to fetch (one cached, one known unknown). A day later the unknown one is asked again.
    calls = [];
    await runPoll(env(reply, { settings: watch, collectSignals: collect }));
    expect(calls.filter((c) => c.url.startsWith('https://export.arxiv.org/'))).toHaveLength(0);
    t += DAY + 1;
    await runPoll(env(reply, { settings: watch, collectSignals: collect }));
    const later = calls.filter((c) => c.url.startsWith('https://export.arxiv.org/'));
    expect(later.map((c) => new URL(c.url).searchParams.get('id_list'))).toEqual(['2101.00001']);
  });

  it('an arXiv API failure for the watchlist is reported in words and keeps the poll and the cache', async () => {
    const reply: Reply = (url, h) => (url.startsWith('https://export.arxiv.org/') ? new Response('<html>Service Unavailable</html>', { status: 500 }) : recorded()(url, h));
    const report = await runPoll(env(reply, { settings: settings({ watchlist: { papers: ['1707.08567'], authors: [], keywords: [] } }), collectSignals: async () => [] }));
    expect(report.feeds[0]).toMatchObject({ status: 'ok', added: 1 });
    expect(report.error).toMatch(/^Could not fetch watchlist papers from arXiv: /);
    expect(report.error).not.toMatch(/undefined|\[object/);
    expect(await getMeta(db, WATCH_UNKNOWN_KEY)).toBeUndefined();
  });

  it('signals-only refresh sends no feed request and carries the last feed day and error', async () => {
    await runPoll(env(recorded()));
    const report = await runPoll(env(recorded(), { feeds: false, reason: 'signals', collectSignals: async () => [] }));
    expect(calls).toHaveLength(1);
    expect(report.feeds).toEqual([{ feed: URL_JOINED, status: 'skipped', added: 0, unchanged: 0, skipped: 0, day: '2023-10-26' }]);
  });

  it('prunes papers older than retentionDays after the poll but keeps watchlisted ones', async () => {
    await storePapers(db, [paper('2301.00001', T0 - 40 * DAY), paper('2301.00002', T0 - 40 * DAY), paper('2309.00003', T0 - 5 * DAY)], []);
    const report = await runPoll(env(recorded(), { settings: settings({ watchlist: { papers: ['2301.00002'], authors: [], keywords: [] } }) }));
    expect(report.pruned).toBe(1);
    expect([...(await getPapers(db, ['2301.00001', '2301.00002', '2309.00003', '2310.16106'])).keys()].sort()).toEqual(['2301.00002', '2309.00003', '2310.16106']);
  });

  it('on a quota error prunes to the last days, retries once, stores the new papers and says so', async () => {
    await storePapers(db, [paper('2309.00010', T0 - 10 * DAY), paper('2309.00011', T0 - 10 * DAY), paper('2310.00012', T0 - DAY)], []);
    quota.failures = 1;
    const report = await runPoll(env(recorded(), { settings: settings({ watchlist: { papers: ['2309.00011'], authors: [], keywords: [] } }) }));
    expect(report.feeds[0]).toMatchObject({ status: 'ok', added: 1 });
    expect(report.error).toMatch(/Storage was full/);
    expect(report.pruned).toBe(1);
    expect([...(await getPapers(db, ['2309.00010', '2309.00011', '2310.00012', '2310.16106'])).keys()].sort()).toEqual(['2309.00011', '2310.00012', '2310.16106']);
  });

  it('when storage stays full, keeps the existing cache and reports the problem in words', async () => {
    await storePapers(db, [paper('2310.00012', T0 - DAY)], []);
    quota.failures = 2;
    let signalled = 0;
    const report = await runPoll(env(recorded(), { collectSignals: async () => { signalled++; return []; } }));
    expect(report.error).toMatch(/Storage is full/);
    expect(report.feeds[0]).toMatchObject({ status: 'error', error: expect.stringMatching(/could not be saved/) });
    expect(signalled).toBe(1);
    expect([...(await getPapers(db, ['2310.00012'])).keys()]).toEqual(['2310.00012']);
    expect(await getMeta(db, LAST_POLL_KEY)).toEqual(report);
    expect(await getMeta(db, POLL_LEASE_KEY)).toBeUndefined();
  });
});
