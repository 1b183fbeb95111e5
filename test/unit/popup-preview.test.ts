/**
 * The popup's preview (lib/popup/preview.ts): Today's first screenful kept in storage.session by
 * the worker, so that the popup paints its first rows from one storage read. The contract the
 * popup relies on: the preview is the worker's own answer to the plain Today request, and it never
 * outlives a change of what that answer shows (a poll, rows marked seen, settings, a cleared cache).
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackgroundEnv } from '../../lib/worker/background-env';
import { openHotDb, type HotDb } from '../../lib/store/db';
import { createHandlers } from '../../lib/worker/handlers';
import type { HotList } from '../../lib/messages';
import { POLL_LEASE_KEY } from '../../lib/worker/poll';
import { startPoll } from '../../lib/worker/poll-service';
import { FIRST_PAGE, PREVIEW_KEY } from '../../lib/popup/boot';
import { PREVIEW_VERSION, previewList, type SessionStore } from '../../lib/popup/preview';
import { DEFAULT_SETTINGS, SETTINGS_KEY } from '../../lib/settings';
import { onStorageChanged } from '../../lib/worker/events';

const FEED = readFileSync(new URL('../fixtures/rss_cs.CV+cs.IT_2023-10-26.xml', import.meta.url), 'utf8');
const T0 = Date.UTC(2023, 9, 26, 16, 0); // Thu noon Eastern: the recorded feed (Thu 26 Oct) is current
const quiet = { collectSignals: async () => [], afterPoll: async () => {} };
let db: HotDb;
let n = 0;

function memSession(): SessionStore & { data: Map<string, unknown>; failing: boolean } {
  const data = new Map<string, unknown>();
  const s = {
    data,
    failing: false,
    async get(key: string) {
      return data.has(key) ? { [key]: structuredClone(data.get(key)) } : {};
    },
    async set(items: Record<string, unknown>) {
      if (s.failing) throw new Error('Session storage quota bytes exceeded.');
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(key: string) {
      data.delete(key);
    },
  };
  return s;
}

function backgroundEnv(session = memSession(), categories = ['cs.CV', 'cs.IT']): BackgroundEnv & { session: ReturnType<typeof memSession>; data: Record<string, unknown> } {
  const data: Record<string, unknown> = { [SETTINGS_KEY]: { ...DEFAULT_SETTINGS, categories } };
  return {
    db,
    data,
    session,
    now: () => T0,
    sleep: async () => {},
    random: () => 0.5,
    fetch: async (url) => (url.startsWith('https://rss.arxiv.org/') ? new Response(FEED, { status: 200 }) : new Response('nope', { status: 404 })),
    storage: {
      get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
      set: async (items) => {
        Object.assign(data, structuredClone(items));
      },
    },
    setBadge: async () => {},
    showNotification: async () => {},
    pushToTab: async () => {},
  };
}

/** What the popup would paint from the session store. */
async function stored(session: SessionStore): Promise<HotList | undefined> {
  return previewList((await session.get(PREVIEW_KEY))[PREVIEW_KEY]);
}

const ids = (list: HotList | undefined) => list?.items.map((v) => v.paper.id);
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(async () => {
  db = await openHotDb(`preview-${++n}`);
});

describe('popup preview', () => {
  it("is the worker's answer to the plain Today request, cut to the first screenful", async () => {
    const env = backgroundEnv();
    await startPoll(env, 'user', quiet);
    const answer = await createHandlers(env)['hotlist:get']({ view: 'today', limit: 200 }, {});
    await settle();
    const preview = await stored(env.session);
    expect(answer.items.length).toBeGreaterThan(0);
    expect(preview).toEqual({ ...answer, items: answer.items.slice(0, FIRST_PAGE) });
  });

  it('is not written from a search, a category filter, another tab or a shorter request', async () => {
    const env = backgroundEnv();
    await startPoll(env, 'user', quiet);
    env.session.data.clear();
    const h = createHandlers(env);
    await h['hotlist:get']({ view: 'today', limit: 200, query: 'universe' }, {});
    await h['hotlist:get']({ view: 'today', limit: 200, categories: ['cs.IT'] }, {});
    await h['hotlist:get']({ view: 'week', limit: 200 }, {});
    await h['hotlist:get']({ view: 'today', limit: 3 }, {});
    await settle();
    expect(env.session.data.size).toBe(0);
  });

  it('is dropped while a poll runs and written afresh, with the new data, when it ends', async () => {
    const env = backgroundEnv();
    // Before any poll: the empty cache's answer.
    await createHandlers(env)['hotlist:get']({ view: 'today', limit: FIRST_PAGE }, {});
    await settle();
    expect((await stored(env.session))?.day).toBeNull();
    let during: unknown = 'not looked';
    await startPoll(env, 'user', {
      ...quiet,
      afterPoll: async () => {
        during = env.session.data.get(PREVIEW_KEY);
      },
    });
    expect(during).toBeUndefined();
    const after = await stored(env.session);
    expect(after?.day).toBe('2023-10-26');
    expect(ids(after)).toEqual(ids(await createHandlers(env)['hotlist:get']({ view: 'today', limit: FIRST_PAGE }, {})));
  });

  it('is not written from an answer given while a poll holds the lease', async () => {
    const env = backgroundEnv();
    await startPoll(env, 'user', quiet);
    env.session.data.clear();
    await db.put('meta', { owner: 'other', until: T0 + 60_000 }, POLL_LEASE_KEY);
    const answer = await createHandlers(env)['hotlist:get']({ view: 'today', limit: 200 }, {});
    await settle();
    expect(answer.polling).toBe(true);
    expect(env.session.data.size).toBe(0);
  });

  it('loses its "new" marks once the popup marked the rows seen', async () => {
    const env = backgroundEnv();
    await startPoll(env, 'user', quiet);
    const h = createHandlers(env);
    const answer = await h['hotlist:get']({ view: 'today', limit: 200 }, {});
    await settle();
    expect((await stored(env.session))!.items.every((v) => v.isNew)).toBe(true);
    await h['popup:seen']({ ids: answer.items.map((v) => v.paper.id) }, {});
    const preview = await stored(env.session);
    expect(ids(preview)).toEqual(ids(answer)!.slice(0, FIRST_PAGE));
    expect(preview!.items.some((v) => v.isNew)).toBe(false);
  });

  it('follows a settings change (a watchlist star) and a cleared cache', async () => {
    const env = backgroundEnv();
    await startPoll(env, 'user', quiet);
    await createHandlers(env)['hotlist:get']({ view: 'today', limit: 200 }, {});
    await settle();
    const before = await stored(env.session);
    const watched = before!.items[0]!.paper.id;
    expect(before!.items[0]!.watched).toBe(false);
    // A star on the watchlist: a settings change that starts no poll (the paper is cached).
    env.data[SETTINGS_KEY] = { ...DEFAULT_SETTINGS, categories: ['cs.CV', 'cs.IT'], watchlist: { ...DEFAULT_SETTINGS.watchlist, papers: [watched] } };
    const alarms = { create: () => undefined, get: async () => ({ periodInMinutes: DEFAULT_SETTINGS.signalsRefreshMinutes }) };
    await onStorageChanged(env, { [SETTINGS_KEY]: {} }, 'local', alarms);
    const after = await stored(env.session);
    expect(after!.items[0]).toMatchObject({ paper: { id: watched }, watched: true });
    expect(after).toEqual(await createHandlers(env)['hotlist:get']({ view: 'today', limit: FIRST_PAGE }, {}));

    await createHandlers(env)['cache:clear']({}, {});
    expect((await stored(env.session))?.items).toEqual([]);
  });

  it('a session store that refuses writes costs nothing but the preview', async () => {
    const env = backgroundEnv();
    await startPoll(env, 'user', quiet);
    env.session.failing = true;
    const answer = await createHandlers(env)['hotlist:get']({ view: 'today', limit: 200 }, {});
    expect(answer.items.length).toBeGreaterThan(0);
    await settle();
    const noSession = { ...backgroundEnv(), session: undefined };
    await expect(startPoll(noSession, 'user', quiet)).resolves.toMatchObject({ started: true });
  });

  it('the popup takes only a preview of this version with rows it can paint', async () => {
    const env = backgroundEnv();
    await startPoll(env, 'user', quiet);
    const answer = await createHandlers(env)['hotlist:get']({ view: 'today', limit: FIRST_PAGE }, {});
    const good = { v: PREVIEW_VERSION, list: answer };
    // Kept as JSON text: parsed, it is the answer with its keys in the answer's order.
    expect(previewList(JSON.stringify(good))).toEqual(answer);
    expect(JSON.stringify(previewList(JSON.stringify(good)))).toBe(JSON.stringify(answer));
    const paper = answer.items[0]!.paper;
    for (const bad of [
      undefined,
      null,
      'x',
      { v: PREVIEW_VERSION + 1, list: answer },
      { v: PREVIEW_VERSION, list: { ...answer, view: 'week' } },
      { v: PREVIEW_VERSION, list: { ...answer, items: 'rows' } },
      { v: PREVIEW_VERSION, list: { ...answer, items: [null] } },
      { v: PREVIEW_VERSION, list: { ...answer, items: [{ ...answer.items[0], paper: { ...paper, title: 7 } }] } },
      { v: PREVIEW_VERSION, list: { ...answer, items: [{ ...answer.items[0], history: undefined }] } },
      { v: PREVIEW_VERSION, list: { ...answer, sources: undefined } },
    ]) {
      expect(previewList(typeof bad === 'object' && bad !== null ? JSON.stringify(bad) : bad)).toBeUndefined();
    }
    // Not JSON text: a preview stored as an object by the version before, or broken text.
    expect(previewList(good)).toBeUndefined();
    expect(previewList(JSON.stringify(good).slice(0, -1))).toBeUndefined();
  });
});
