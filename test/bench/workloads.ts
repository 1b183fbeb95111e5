/**
 * Benchmark workloads over the real lib/ code. This file is bundled by test/bench/bundle.mjs into
 * one ESM file (run in Node over fake-indexeddb) and one IIFE (evaluated inside an extension page
 * of the loaded build in real Chromium, exposed as globalThis.__hpBench). Every function takes
 * plain data (feed XML, recorded JSON) from the caller, so the same code runs in both places.
 */
import { parseFeed } from '../../lib/arxiv/feed';
import { easternDay, expectedFeedDay, weekdayOf } from '../../lib/arxiv/schedule';
import { groupListings, openHotDb, storePapers, storeSignals, type HotDb } from '../../lib/store/db';
import { heatOf, rankScore, rankViews } from '../../lib/rank/heat';
import { runPoll, todayCoverage } from '../../lib/worker/poll';
import { onAlarm, onInstalled, type AlarmsApi } from '../../lib/worker/poll-service';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type KeyValueStorage, type Settings } from '../../lib/settings';
import { collectSignals } from '../../lib/worker/signals';
import { CREDENTIALS_KEY } from '../../lib/credentials';
import type { FetchFn } from '../../lib/http';
import type { Coverage, DiscussionLink, Paper, PaperView, SignalRecord, SourceId } from '../../lib/types';
import type { BackgroundEnv } from '../../lib/worker/background-env';
import { seeded } from '../../lib/relevance/linear-svm';

const now = (): number => performance.now();

/** Small seeded PRNG (mulberry32, the one the relevance model trains with): every run simulates the same week. */
const rng = seeded;

function deleteDb(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = () => resolve();
    req.onerror = () => resolve();
    req.onblocked = () => resolve();
  });
}

// ------------------------------------------------------------------ ingest

export interface IngestTiming {
  parseMs: number;
  storeMs: number;
  totalMs: number;
  papers: number;
  listings: number;
}

/** parseFeed + storePapers of one feed into a fresh database, as a poll does. */
export async function ingest(xml: string, dbName: string, at: number, categories: string[]): Promise<IngestTiming> {
  await deleteDb(dbName);
  const db = await openHotDb(dbName);
  try {
    const t0 = now();
    const feed = parseFeed(xml, { now: at, categories });
    const t1 = now();
    await storePapers(db, feed.papers, feed.listings);
    const t2 = now();
    return { parseMs: t1 - t0, storeMs: t2 - t1, totalMs: t2 - t0, papers: feed.papers.length, listings: feed.listings.length };
  } finally {
    db.close();
    await deleteDb(dbName);
  }
}

/**
 * Naive baseline: the same parse, then one IndexedDB transaction per record (a put per paper, and
 * per listing row a storePapers of that row alone, each awaited), as a first draft that stores
 * items as it reads them would do.
 */
export async function ingestNaive(xml: string, dbName: string, at: number, categories: string[]): Promise<IngestTiming> {
  await deleteDb(dbName);
  const db = await openHotDb(dbName);
  try {
    const t0 = now();
    const feed = parseFeed(xml, { now: at, categories });
    const t1 = now();
    for (const p of feed.papers) await db.put('papers', p);
    for (const l of feed.listings) await storePapers(db, [], [l]);
    const t2 = now();
    return { parseMs: t1 - t0, storeMs: t2 - t1, totalMs: t2 - t0, papers: feed.papers.length, listings: feed.listings.length };
  } finally {
    db.close();
    await deleteDb(dbName);
  }
}

/**
 * Floor for the store step on this machine right now: the records storePapers writes (each paper,
 * one day list per category) as bare puts in one transaction with the same (relaxed) durability,
 * no reads, no merge. storePapers cannot be faster than this.
 */
export async function storeFloor(xml: string, dbName: string, at: number, categories: string[]): Promise<number> {
  await deleteDb(dbName);
  const db = await openHotDb(dbName);
  try {
    const feed = parseFeed(xml, { now: at, categories });
    const t0 = now();
    const tx = db.transaction(['papers', 'dayLists'], 'readwrite', { durability: 'relaxed' });
    const puts: Promise<unknown>[] = feed.papers.map((p) => tx.objectStore('papers').put(p));
    for (const l of groupListings(feed.listings)) puts.push(tx.objectStore('dayLists').put(l));
    await Promise.all([...puts, tx.done]);
    return now() - t0;
  } finally {
    db.close();
    await deleteDb(dbName);
  }
}

// ------------------------------------------------------------------ storage over a week

/** Per-source coverage and change model of the storage simulation (see test/bench/README.md). */
export const STORAGE_MODEL: Record<SourceId, { coverage: number; pollMinutes: number; changeP0: number; links: [number, number] }> = {
  // Share of papers with a signal, minutes between refreshes (the source's own minInterval / the
  // signals alarm), probability that counts change at a refresh of a fresh paper (halves every 24 h).
  hf: { coverage: 0.03, pollMinutes: 30, changeP0: 0.5, links: [1, 1] },
  alphaxiv: { coverage: 0.1, pollMinutes: 30, changeP0: 0.5, links: [1, 1] },
  hn: { coverage: 0.01, pollMinutes: 30, changeP0: 0.5, links: [1, 3] },
  bluesky: { coverage: 0.15, pollMinutes: 30, changeP0: 0.3, links: [1, 5] },
  x: { coverage: 0.075, pollMinutes: 60, changeP0: 0.3, links: [1, 5] },
  s2: { coverage: 0.95, pollMinutes: 180, changeP0: 0.05, links: [1, 1] },
};

const LINK_URL: Record<SourceId, (id: string, k: number) => DiscussionLink> = {
  hf: (id) => ({ url: `https://huggingface.co/papers/${id}`, label: 'Hugging Face paper page' }),
  alphaxiv: (id) => ({ url: `https://www.alphaxiv.org/abs/${id}`, label: 'alphaXiv paper page' }),
  hn: (_id, k) => ({ url: `https://news.ycombinator.com/item?id=${44012345 + k}`, label: `Hacker News thread: ${40 + k} points, ${12 + k} comments` }),
  bluesky: (_id, k) => ({ url: `https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3lp2xk7nq4c${k}a`, label: `Bluesky post: ${20 + k} likes, ${3 + k} reposts` }),
  x: (_id, k) => ({ url: `https://x.com/i/web/status/${1578000000000000000 + k}`, label: `X post: ${5 + k} retweets, ${30 + k} likes` }),
  s2: () => ({ url: 'https://www.semanticscholar.org/paper/649def34f8be52c8b66281af98ae884c09aef38b', label: 'Semantic Scholar page' }),
};

function bump(source: SourceId, counts: Record<string, number>, r: () => number): Record<string, number> {
  const inc = (n: number | undefined, max: number) => (n ?? 0) + 1 + Math.floor(r() * max);
  switch (source) {
    case 'hf':
      return { upvotes: inc(counts.upvotes, 5), comments: counts.comments ?? 0, githubStars: inc(counts.githubStars, 20) };
    case 'alphaxiv':
      return { votes: inc(counts.votes, 5), visits: inc(counts.visits, 60), xLikes: inc(counts.xLikes, 10), githubStars: inc(counts.githubStars, 20) };
    case 'hn':
      return { points: inc(counts.points, 20), comments: inc(counts.comments, 8) };
    case 'bluesky':
      return { likes: inc(counts.likes, 10), reposts: inc(counts.reposts, 3), replies: counts.replies ?? 0, quotes: counts.quotes ?? 0 };
    case 'x':
      return { retweets: inc(counts.retweets, 4), likes: inc(counts.likes, 15), posts: inc(counts.posts, 1) };
    case 's2':
      return { citations: inc(counts.citations, 1), influentialCitations: counts.influentialCitations ?? 0 };
  }
}

function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

export interface StorageFigures {
  papers: number;
  bytes: Record<string, number>;
  records: Record<string, number>;
  totalBytes: number;
  bytesPerPaper: number;
  /** Same week if every refresh wrote a snapshot for every (paper, source) with a signal. */
  naiveBytesPerPaper: number;
  estimateDelta?: number;
  storeMs: number;
}

/**
 * A week of the cache: each day's feed (parseFeed + storePapers), then every source's refreshes over
 * the 7 days through storeSignals (which writes a snapshot only where counts changed). Counts change
 * at each refresh with a probability that halves per day since the announcement. Bytes are the UTF-8
 * length of each stored record serialized as JSON; in Chromium the navigator.storage.estimate()
 * delta is returned too.
 */
export async function storageWeek(feeds: { xml: string; at: number }[], dbName: string, categories: string[], seed = 7): Promise<StorageFigures> {
  await deleteDb(dbName);
  const estimate = typeof navigator !== 'undefined' && navigator.storage?.estimate ? () => navigator.storage.estimate() : null;
  const before = estimate ? (await estimate()).usage ?? 0 : 0;
  const db = await openHotDb(dbName);
  const r = rng(seed);
  const t0 = now();
  try {
    const papersByDay: { at: number; ids: string[] }[] = [];
    for (const f of feeds) {
      const feed = parseFeed(f.xml, { now: f.at, categories });
      await storePapers(db, feed.papers, feed.listings);
      papersByDay.push({ at: f.at, ids: feed.papers.map((p) => p.id) });
    }
    const start = feeds[0]!.at;
    const end = start + 7 * 86_400_000;
    // (paper, source) pairs with a signal, decided once per paper.
    interface Pair { id: string; source: SourceId; from: number; counts: Record<string, number>; links: DiscussionLink[] }
    const pairs: Pair[] = [];
    for (const day of papersByDay) {
      for (const id of day.ids) {
        for (const source of Object.keys(STORAGE_MODEL) as SourceId[]) {
          const m = STORAGE_MODEL[source];
          if (r() >= m.coverage) continue;
          const n = m.links[0] + Math.floor(r() * (m.links[1] - m.links[0] + 1));
          pairs.push({ id, source, from: day.at, counts: bump(source, {}, r), links: Array.from({ length: n }, (_, k) => LINK_URL[source](id, k)) });
        }
      }
    }
    let naiveSnapshots = 0;
    let naiveSnapshotBytes = 0;
    // Walk the week in 30-minute steps; each source refreshes on its own period.
    for (let t = start; t < end; t += 30 * 60_000) {
      const batch: SignalRecord[] = [];
      for (const p of pairs) {
        const m = STORAGE_MODEL[p.source];
        if (t < p.from || Math.round((t - start) / 60_000) % m.pollMinutes !== 0) continue;
        const ageDays = (t - p.from) / 86_400_000;
        const first = t === p.from;
        if (!first && r() < m.changeP0 * 0.5 ** ageDays) p.counts = bump(p.source, p.counts, r);
        batch.push({ paperId: p.id, source: p.source, counts: p.counts, links: p.links, fetchedAt: t });
        naiveSnapshots++;
        naiveSnapshotBytes += utf8Bytes(JSON.stringify({ paperId: p.id, source: p.source, t, counts: p.counts }));
      }
      if (batch.length) await storeSignals(db, batch);
    }
    const storeMs = now() - t0;
    const bytes: Record<string, number> = {};
    const records: Record<string, number> = {};
    // Reported under the names of what they hold: listing membership (dayLists since schema v3)
    // as 'listings', latest signals (signalBlocks since v4) as 'signals'.
    for (const [label, store] of [['papers', 'papers'], ['listings', 'dayLists'], ['signals', 'signalBlocks'], ['snapshots', 'snapshots'], ['meta', 'meta']] as const) {
      const rows = await db.getAll(store);
      records[label] = rows.length;
      bytes[label] = rows.reduce<number>((n, row) => n + utf8Bytes(JSON.stringify(row)), 0);
    }
    const totalBytes = Object.values(bytes).reduce((a, b) => a + b, 0);
    const papers = records.papers!;
    const naiveTotal = totalBytes - bytes.snapshots! + naiveSnapshotBytes;
    const out: StorageFigures = { papers, bytes, records: { ...records, naiveSnapshots }, totalBytes, bytesPerPaper: totalBytes / papers, naiveBytesPerPaper: naiveTotal / papers, storeMs };
    if (estimate) out.estimateDelta = ((await estimate()).usage ?? 0) - before;
    return out;
  } finally {
    db.close();
    await deleteDb(dbName);
  }
}

// ------------------------------------------------------------------ requests

export interface RecordedReplies {
  feedXml: string;
  hf: string;
  hn: string;
  bskySession: string;
  bskySearch: string;
  x: string;
  s2: unknown[];
  /**
   * A busy X: every search answers a full page (max_results posts, the recorded posts copied with
   * fresh ids) with a next_token, so the X source's budget, not the replies, bounds what it reads.
   */
  xBusy?: boolean;
}

export interface RequestLog {
  /** Posts the X replies carried (what X bills). */
  xPosts: number;
  total: number;
  byHost: Record<string, number>;
  conditional: number;
  notModified: number;
}

function memoryStorage(init: Record<string, unknown>): KeyValueStorage {
  const data = new Map(Object.entries(structuredClone(init)));
  return {
    get: async (key: string) => (data.has(key) ? { [key]: structuredClone(data.get(key)) } : {}),
    set: async (items: Record<string, unknown>) => {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
  };
}

function json(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

/**
 * A fetch that counts every request and answers from recorded replies (the arXiv feed from
 * `feed(url, headers)` so a caller can model ETags and day turnover).
 */
export function countingFetch(rec: RecordedReplies, feed?: (headers: Headers) => Response): { fetch: FetchFn; log: RequestLog } {
  const log: RequestLog = { total: 0, byHost: {}, conditional: 0, notModified: 0, xPosts: 0 };
  const fetchFn: FetchFn = async (input, init) => {
    const url = new URL(input);
    const headers = new Headers(init?.headers);
    log.total++;
    log.byHost[url.host] = (log.byHost[url.host] ?? 0) + 1;
    if (headers.has('If-None-Match') || headers.has('If-Modified-Since')) log.conditional++;
    let res: Response;
    if (url.host === 'rss.arxiv.org') {
      res = feed ? feed(headers) : new Response(rec.feedXml, { status: 200, headers: { 'Content-Type': 'application/rss+xml', ETag: '"bench-feed"' } });
    } else if (url.host === 'huggingface.co') {
      res = json(rec.hf);
    } else if (url.host === 'hn.algolia.com') {
      res = json(rec.hn);
    } else if (url.host === 'bsky.social' && url.pathname.endsWith('createSession')) {
      res = json(rec.bskySession);
    } else if (url.host === 'bsky.social') {
      res = json(rec.bskySearch);
    } else if (url.host === 'api.x.com') {
      const body = rec.xBusy ? busyXPage(rec.x, Number(url.searchParams.get('max_results') ?? 10), log.total) : rec.x;
      log.xPosts += ((JSON.parse(body) as { data?: unknown[] }).data ?? []).length;
      res = json(body);
    } else if (url.host === 'api.semanticscholar.org') {
      // The batch reply lines up with the ids asked: recorded entries, cycled to that length.
      const ids = (JSON.parse(String(init?.body ?? '{"ids":[]}')) as { ids: string[] }).ids;
      res = json(JSON.stringify(ids.map((_, i) => rec.s2[i % rec.s2.length] ?? null)));
    } else {
      res = new Response('not found', { status: 404 });
    }
    if (res.status === 304) log.notModified++;
    return res;
  };
  return { fetch: fetchFn, log };
}

/** A full page of `n` posts made of the recorded ones (fresh ids), always with a next page. */
function busyXPage(recorded: string, n: number, salt: number): string {
  const rec = JSON.parse(recorded) as { data: { id: string }[] };
  const data = Array.from({ length: n }, (_, i) => ({ ...rec.data[i % rec.data.length]!, id: String(1900000000000000000n + BigInt(salt * 1000 + i)) }));
  return JSON.stringify({ data, meta: { result_count: n, next_token: `busy${salt}` } });
}

export const BENCH_CREDENTIALS = {
  bluesky: { handle: 'bench.bsky.social', appPassword: 'abcd-efgh-ijkl-mnop' },
  xBearer: 'AAAAAAAAAAAAAAAAAAAAAbenchbenchbenchbenchbench',
  s2Key: 'bench-s2-key-0000000000',
};

export function allSourcesOn(base: Settings = DEFAULT_SETTINGS): Settings {
  const sources = { ...base.sources };
  for (const id of Object.keys(sources) as SourceId[]) sources[id] = { ...sources[id], enabled: true };
  return { ...base, sources };
}

export interface PollRequests {
  log: RequestLog;
  perSource: Record<string, number>;
  papers: number;
}

/** One poll (feed + every source) of an empty cache through the counting fetch. */
export async function pollRequests(rec: RecordedReplies, dbName: string, at: number, settings: Settings, credentials: boolean): Promise<PollRequests> {
  await deleteDb(dbName);
  const db = await openHotDb(dbName);
  try {
    const { fetch, log } = countingFetch(rec);
    const clock = () => at;
    const sleep = async () => {};
    const storage = memoryStorage({ [SETTINGS_KEY]: settings, ...(credentials ? { [CREDENTIALS_KEY]: BENCH_CREDENTIALS } : {}) });
    const report = await runPoll({
      fetch, now: clock, sleep, db, settings, reason: 'user', feeds: true, owner: 'bench',
      collectSignals: (papers) => collectSignals({ fetch, now: clock, sleep, db, settings, storage }, papers),
    });
    const perSource: Record<string, number> = { arxiv: log.byHost['rss.arxiv.org'] ?? 0 };
    for (const s of report.sources) perSource[s.source] = s.requests;
    const papers = report.feeds.reduce((n, f) => n + f.added + f.unchanged, 0);
    return { log, perSource, papers };
  } finally {
    db.close();
    await deleteDb(dbName);
  }
}

// ------------------------------------------------------------------ a day of alarms

export interface DaySimOptions {
  /** Simulation start (install), epoch ms. */
  start: number;
  days: number;
  /** How long after the 20:00 ET announcement the feed shows the new day. */
  feedLagMs: number;
  /** Feed XML for a listing day (weekend days get arXiv's empty feed). */
  feedFor: (day: string, empty: boolean) => string;
  settings: Settings;
  seed?: number;
  /** Store BENCH_CREDENTIALS (the account sources can run). */
  credentials?: boolean;
}

export interface DaySimResult {
  /** arXiv requests per full simulated UTC day after the install day. */
  perDay: { day: string; requests: number; conditional: number; notModified: number; full: number; alarms: Record<string, number>; x: { requests: number; posts: number } }[];
  installDay: { requests: number };
  otherHosts: Record<string, number>;
}

/**
 * Which listing the feed shows at t: the last announcement's day once `lagMs` has passed since it;
 * on a Saturday or Sunday (Eastern) with no newer announcement, an empty feed dated that day.
 */
export function arxivFeedDay(t: number, lagMs: number): { day: string; empty: boolean } {
  const listed = expectedFeedDay(t - lagMs);
  const today = easternDay(t);
  const wd = weekdayOf(today);
  if ((wd === 6 || wd === 0) && listed < today) return { day: today, empty: true };
  return { day: listed, empty: false };
}

/**
 * Runs the real alarm plan (onInstalled, then onAlarm for every firing) over `days` days with a
 * fake clock and fake alarms, counting every request arXiv's feed host receives.
 */
export async function simulateDays(rec: RecordedReplies, dbName: string, opts: DaySimOptions): Promise<DaySimResult> {
  await deleteDb(dbName);
  const db = await openHotDb(dbName);
  let clock = opts.start;
  const feed = (headers: Headers): Response => {
    const { day, empty } = arxivFeedDay(clock, opts.feedLagMs);
    const etag = `"feed-${day}"`;
    const lastModified = new Date(Date.parse(`${day}T01:00:00Z`)).toUTCString();
    if (headers.get('If-None-Match') === etag) return new Response(null, { status: 304, headers: { ETag: etag, 'Last-Modified': lastModified } });
    return new Response(opts.feedFor(day, empty), { status: 200, headers: { 'Content-Type': 'application/rss+xml', ETag: etag, 'Last-Modified': lastModified } });
  };
  const { fetch, log } = countingFetch(rec, feed);
  const alarms = new Map<string, { when: number; period?: number }>();
  const api: AlarmsApi = {
    create(name, info) {
      alarms.set(name, { when: info.when, period: info.periodInMinutes });
    },
  };
  const env: BackgroundEnv = {
    db,
    fetch,
    now: () => clock,
    sleep: async () => {},
    storage: memoryStorage({ [SETTINGS_KEY]: opts.settings, ...(opts.credentials ? { [CREDENTIALS_KEY]: BENCH_CREDENTIALS } : {}) }),
    setBadge: async () => {},
    showNotification: async () => {},
    pushToTab: async () => {},
    random: rng(opts.seed ?? 1),
  };
  const arxivCount = () => ({ requests: log.byHost['rss.arxiv.org'] ?? 0, conditional: log.conditional, notModified: log.notModified, xRequests: log.byHost['api.x.com'] ?? 0, xPosts: log.xPosts });
  try {
    await onInstalled(env, api);
    const end = opts.start + opts.days * 86_400_000;
    const perDay: DaySimResult['perDay'] = [];
    const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
    let curDay = dayOf(opts.start);
    let mark = arxivCount();
    const installDay = { requests: 0 };
    let alarmCounts: Record<string, number> = {};
    const close = (day: string) => {
      const c = arxivCount();
      const requests = c.requests - mark.requests;
      if (day === dayOf(opts.start)) installDay.requests = requests;
      // The last day is cut short by the end of the simulation: not a full day, not counted.
      else if (day !== dayOf(end)) {
        perDay.push({
          day, requests, conditional: c.conditional - mark.conditional, notModified: c.notModified - mark.notModified, full: requests - (c.notModified - mark.notModified), alarms: alarmCounts,
          x: { requests: c.xRequests - mark.xRequests, posts: c.xPosts - mark.xPosts },
        });
      }
      mark = c;
      alarmCounts = {};
    };
    for (;;) {
      let next: [string, { when: number; period?: number }] | undefined;
      for (const e of alarms) if (!next || e[1].when < next[1].when) next = e;
      if (!next || next[1].when >= end) break;
      const [name, a] = next;
      if (dayOf(a.when) !== curDay) {
        close(curDay);
        curDay = dayOf(a.when);
      }
      clock = a.when;
      if (a.period) alarms.set(name, { when: a.when + a.period * 60_000, period: a.period });
      else alarms.delete(name);
      const before = log.byHost['rss.arxiv.org'] ?? 0;
      await onAlarm(env, name, api);
      if ((log.byHost['rss.arxiv.org'] ?? 0) > before) alarmCounts[name] = (alarmCounts[name] ?? 0) + 1;
    }
    close(curDay);
    const otherHosts = { ...log.byHost };
    delete otherHosts['rss.arxiv.org'];
    return { perDay, installDay, otherHosts };
  } finally {
    db.close();
    await deleteDb(dbName);
  }
}

// ------------------------------------------------------------------ heat ranking

export interface RankInput {
  papers: Paper[];
  signals: { source: SourceId; counts: Record<string, number> }[][];
}

export interface CountPools {
  hf: { upvotes: number; comments: number; githubStars: number }[];
  alphaxiv?: { votes: number; visits: number; xLikes: number; githubStars: number }[];
  hn: { points: number; comments: number }[];
  bluesky: { likes: number; reposts: number; replies: number; quotes: number }[];
  x: { retweets: number; likes: number; posts: number }[];
  s2: { citations: number; influentialCitations: number }[];
}

/**
 * `n` papers cloned from a parsed feed (fresh ids, announcement days spread over the last week),
 * each given signals drawn from recorded counts with the coverage of STORAGE_MODEL.
 */
export function makeRankInput(xml: string, categories: string[], n: number, at: number, pools: CountPools, seed = 3): RankInput {
  const base = parseFeed(xml, { now: at, categories }).papers;
  const r = rng(seed);
  const papers: Paper[] = [];
  const signals: RankInput['signals'] = [];
  for (let i = 0; i < n; i++) {
    const src = base[i % base.length]!;
    const day = new Date(at - Math.floor(r() * 7) * 86_400_000).toISOString().slice(0, 10);
    const month = 1 + Math.floor(i / 90_000);
    papers.push({ ...src, id: `26${String(month).padStart(2, '0')}.${String(i % 90_000).padStart(5, '0')}`, announced: day });
    const sig: RankInput['signals'][number] = [];
    for (const source of Object.keys(STORAGE_MODEL) as SourceId[]) {
      const pool = (pools[source] ?? []) as Record<string, number>[];
      if (pool.length && r() < STORAGE_MODEL[source].coverage) sig.push({ source, counts: pool[Math.floor(r() * pool.length)]! });
    }
    signals.push(sig);
  }
  return { papers, signals };
}

/**
 * 'fast': heat of every paper from its signals (heatOf), then rankViews ('week'); 'naive': one
 * Array.sort that recomputes heat and the age discount inside the comparator. Returns the top id
 * (the two must agree) and the time of each phase by `clock` (wall time unless given).
 */
export function rankBench(input: RankInput, at: number, mode: 'fast' | 'naive', clock: () => number = now, settings: Settings = DEFAULT_SETTINGS): { ms: number; rankOnlyMs: number; top: string } {
  const srcSettings = settings.sources;
  if (mode === 'naive') {
    const idx = new Map(input.papers.map((p, i) => [p, i]));
    const score = (p: Paper) => rankScore({ paper: p, heat: heatOf(input.signals[idx.get(p)!]!, srcSettings) }, 'week', at);
    const t0 = clock();
    const sorted = input.papers.slice().sort((a, b) => score(b) - score(a));
    return { ms: clock() - t0, rankOnlyMs: NaN, top: sorted[0]!.id };
  }
  const t0 = clock();
  const views: PaperView[] = input.papers.map((paper, i) => ({
    paper, heat: heatOf(input.signals[i]!, srcSettings), velocity: 0, parts: [], history: [], watched: false, isNew: false,
  }));
  const t1 = clock();
  const ranked = rankViews(views, 'week', at);
  const t2 = clock();
  return { ms: t2 - t0, rankOnlyMs: t2 - t1, top: ranked[0]!.paper.id };
}

/** A plain numeric sort of n numbers: a yardstick of how fast this machine is right now. */
export function yardstick(n = 100_000, clock: () => number = now): number {
  const r = rng(11);
  const xs = Array.from({ length: n }, () => r());
  const t0 = clock();
  xs.sort((a, b) => a - b);
  return clock() - t0;
}

export { parseFeed, DEFAULT_SETTINGS };
export type { HotDb };
export * from './relevance-workloads';

// ------------------------------------------------------------------ coverage of a recorded day (issue 16)

/**
 * "Signals for N of M papers today" on a recorded day: the day's papers (the recording's JSONL lines,
 * each listed under its primary category, every primary followed), one signals run of every default
 * source against `replies` (host → body; a host without one answers 404, i.e. no data recorded),
 * then the figure the popup shows (lib/worker/poll.ts todayCoverage).
 */
export async function recordedDayCoverage(day: string, jsonl: string, replies: Record<string, string>, dbName: string): Promise<{ coverage: Coverage; requests: Record<string, number> }> {
  await deleteDb(dbName);
  const db = await openHotDb(dbName);
  try {
    const lines = jsonl.trim().split('\n').map((l) => JSON.parse(l) as { id: string; categories: string[]; authors: string[]; title: string });
    const byId = new Map(lines.map((l) => [l.id, l]));
    const at = Date.parse(`${day}T12:00:00Z`);
    const papers: Paper[] = [...byId.values()].map((l) => ({ id: l.id, version: 1, title: l.title, authors: l.authors, abstract: '', categories: l.categories, primaryCategory: l.categories[0]!, announced: day, firstSeen: at, updatedAt: at, origin: 'rss' }));
    await storePapers(db, papers, papers.map((p) => ({ day, category: p.primaryCategory, id: p.id, announceType: 'new' as const })));
    const settings: Settings = { ...DEFAULT_SETTINGS, categories: [...new Set(papers.map((p) => p.primaryCategory))] };
    const requests: Record<string, number> = {};
    const fetch: FetchFn = async (input) => {
      const host = new URL(String(input)).host;
      requests[host] = (requests[host] ?? 0) + 1;
      const body = replies[host];
      return body === undefined ? new Response('not recorded', { status: 404 }) : new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    await collectSignals({ fetch, now: () => at, sleep: async () => {}, db, settings, storage: memoryStorage({ [SETTINGS_KEY]: settings }) }, papers);
    return { coverage: await todayCoverage(db, settings), requests };
  } finally {
    db.close();
    await deleteDb(dbName);
  }
}
