import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackgroundEnv } from '../../lib/worker/background-env';
import { getMeta, getPapers, openHotDb, setMeta, type HotDb } from '../../lib/store/db';
import { createHandlers } from '../../lib/worker/handlers';
import { LAST_FEED_KEY, LAST_POLL_KEY, POLL_LEASE_KEY } from '../../lib/worker/poll';
import { onAlarm, onInstalled, onSettingsChanged, onStartup, pollState, startPoll, type AlarmsApi } from '../../lib/worker/poll-service';
import { SETTINGS_KEY, DEFAULT_SETTINGS, loadSettings } from '../../lib/settings';
import type { PollReport } from '../../lib/types';

const FEED = readFileSync(new URL('../fixtures/rss_cs.CV+cs.IT_2023-10-26.xml', import.meta.url), 'utf8');
const T0 = Date.UTC(2023, 9, 26, 16, 0); // Thu noon Eastern: the recorded feed (Thu 26 Oct) is current
let db: HotDb;
let n = 0;
let urls: string[];

function backgroundEnv(now = T0, categories = ['cs.CV', 'cs.IT']): BackgroundEnv {
  const data: Record<string, unknown> = { [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, categories } };
  return {
    db,
    now: () => now,
    sleep: async () => {},
    random: () => 0.5,
    fetch: async (url) => {
      urls.push(url);
      // Only arXiv's feed is recorded here; every other host is "down", which sources must survive.
      return url.startsWith('https://rss.arxiv.org/') ? new Response(FEED, { status: 200 }) : new Response('nope', { status: 404 });
    },
    storage: {
      get: async (key) => (key in data ? { [key]: data[key] } : {}),
      set: async (items) => {
        Object.assign(data, items);
      },
    },
    setBadge: async () => {},
    showNotification: async () => {},
    pushToTab: async () => {},
  };
}

function fakeAlarms(): AlarmsApi & { made: Map<string, { when: number; periodInMinutes?: number }> } {
  const made = new Map<string, { when: number; periodInMinutes?: number }>();
  return { made, create: (name, info) => made.set(name, info) };
}

const quiet = { collectSignals: async () => [], afterPoll: async () => {} };

beforeEach(async () => {
  db = await openHotDb(`svc-${++n}`);
  urls = [];
});

describe('poll:run and poll:state handlers', () => {
  it("resolve { started: false } with the last report while another poll holds the lease", async () => {
    const last = { startedAt: 1, finishedAt: 2, reason: 'alarm', feeds: [], sources: [] } satisfies PollReport;
    await setMeta(db, LAST_POLL_KEY, last);
    await db.put('meta', { owner: 'other', until: T0 + 60_000 }, POLL_LEASE_KEY);
    const handlers = createHandlers(backgroundEnv());
    expect(await handlers['poll:run']({ reason: 'user' }, {})).toEqual({ started: false, report: last });
    expect(urls).toEqual([]);
    expect(await handlers['poll:state']({}, {})).toMatchObject({ running: true, lastPoll: last });
  });

  it('poll:run runs a full poll with the stored settings, signals and notifications included', async () => {
    const res = await createHandlers(backgroundEnv())['poll:run']({ reason: 'user' }, {});
    expect(res.started).toBe(true);
    expect(res.report!.feeds[0]).toMatchObject({ feed: 'https://rss.arxiv.org/rss/cs.CV+cs.IT', status: 'ok', added: 1 });
    expect(res.report!.sources.length).toBeGreaterThan(0);
    expect(urls.filter((u) => u.startsWith('https://rss.arxiv.org/'))).toHaveLength(1);
    expect((await pollState(backgroundEnv())).running).toBe(false);
  });
});

describe('worker lifecycle', () => {
  it('on install: schedules announce, feeds and signals alarms, then polls at once', async () => {
    const alarms = fakeAlarms();
    await onInstalled(backgroundEnv(), alarms);
    expect([...alarms.made.keys()].sort()).toEqual(['announce', 'feeds', 'signals']);
    expect(alarms.made.get('signals')!.periodInMinutes).toBe(DEFAULT_SETTINGS.signalsRefreshMinutes);
    expect(((await getMeta(db, LAST_POLL_KEY)) as PollReport).reason).toBe('install');
  });

  it('on browser start: polls only when the cache is stale', async () => {
    expect(await onStartup(backgroundEnv(), fakeAlarms())).toBe(true);
    expect(await getMeta(db, LAST_FEED_KEY)).toMatchObject({ at: T0 });
    urls = [];
    // An hour later, nothing was announced in between: no request.
    expect(await onStartup(backgroundEnv(T0 + 3600_000), fakeAlarms())).toBe(false);
    expect(urls).toEqual([]);
    // After Thursday's 20:00 Eastern announcement the cache is stale again.
    expect(await onStartup(backgroundEnv(T0 + 10 * 3600_000), fakeAlarms())).toBe(true);
    expect(urls.filter((u) => u.startsWith('https://rss.arxiv.org/'))).toHaveLength(1);
  });

  it('the signals alarm refreshes signals without a feed request', async () => {
    await startPoll(backgroundEnv(), 'user', quiet);
    urls = [];
    await onAlarm(backgroundEnv(T0 + 1800_000), 'signals', fakeAlarms());
    expect(urls.some((u) => u.startsWith('https://rss.arxiv.org/'))).toBe(false);
    expect(((await getMeta(db, LAST_POLL_KEY)) as PollReport).feeds[0]!.status).toBe('skipped');
  });

  it('the announce alarm polls the feed and plans the next announce alarm', async () => {
    const alarms = fakeAlarms();
    await onAlarm(backgroundEnv(), 'announce', alarms);
    expect(urls.filter((u) => u.startsWith('https://rss.arxiv.org/'))).toHaveLength(1);
    expect(alarms.made.get('announce')!.when).toBeGreaterThan(T0);
  });

  it('ignores alarms it does not own', async () => {
    await onAlarm(backgroundEnv(), 'someone-else', fakeAlarms());
    expect(urls).toEqual([]);
  });

  it('settings change: polls at once for a new category set, not for an unrelated change; keeps unchanged alarms', async () => {
    await startPoll(backgroundEnv(), 'user', quiet);
    urls = [];
    const alarms = fakeAlarms();
    const get = async (name: string) => (name === 'signals' ? { periodInMinutes: DEFAULT_SETTINGS.signalsRefreshMinutes } : undefined);
    expect(await onSettingsChanged(backgroundEnv(T0 + 600_000), { ...alarms, get })).toBe(false);
    expect(urls).toEqual([]);
    expect([...alarms.made.keys()]).toEqual(['feeds']);
    expect(await onSettingsChanged(backgroundEnv(T0 + 600_000, ['cs.CV', 'cs.IT', 'cs.LG']), fakeAlarms())).toBe(true);
    expect(urls.filter((u) => u.startsWith('https://rss.arxiv.org/'))).toEqual(['https://rss.arxiv.org/rss/cs.CV+cs.IT+cs.LG']);
  });

  it('settings change: a watched paper that is not cached is fetched at once, without a feed request', async () => {
    await startPoll(backgroundEnv(), 'user', quiet);
    urls = [];
    const base = backgroundEnv(T0 + 600_000);
    const API = readFileSync(new URL('../fixtures/arxiv_api_idlist_2026-04.xml', import.meta.url), 'utf8');
    const env: BackgroundEnv = { ...base, fetch: async (url, init) => (url.startsWith('https://export.arxiv.org/') ? (urls.push(url), new Response(API, { status: 200 })) : base.fetch(url, init)) };
    const { settings } = await loadSettings(env.storage);
    await env.storage.set({ [SETTINGS_KEY]: { ...settings, watchlist: { ...settings.watchlist, papers: ['1707.08567'] } } });
    expect(await onSettingsChanged(env, fakeAlarms())).toBe(true);
    expect(urls.filter((u) => u.startsWith('https://rss.arxiv.org/'))).toEqual([]);
    expect(urls.filter((u) => u.startsWith('https://export.arxiv.org/api/query?id_list=1707.08567'))).toHaveLength(1);
    expect(await getPapers(db, ['1707.08567'])).toHaveProperty('size', 1);
    // Cached now: the next settings write polls nothing.
    urls = [];
    expect(await onSettingsChanged(env, fakeAlarms())).toBe(false);
    expect(urls).toEqual([]);
  });
});
