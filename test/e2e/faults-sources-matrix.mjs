/**
 * Issue 6, "each source failing in each way while the others work", shared by
 * faults-sources-{a,b,c}.e2e.mjs (split so the matrix runs in parallel) and faults-slow.e2e.mjs.
 *
 * Every source is on (Bluesky and X with fake credentials, their optional hosts granted as the
 * options page would) and has derived replay data for the feed papers (test/fixtures/derived/).
 * One source at a time fails in one of the replay server's scenarios while the others keep working;
 * after the poll the failed source's status says in plain words what happened (in the DB and in the
 * popup), its last good data is untouched, every other source stored fresh data, and the next poll
 * with the source back to normal recovers.
 *
 * Sources rest between runs (HF, alphaXiv, HN, Bluesky 10 min, X 6 h, Semantic Scholar 3 h): the tests let
 * that time pass by ageing the persisted source statuses (harness.ageSourceStatuses) instead of
 * waiting.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FEED_IDS, FEED_IDS_IN_DEFAULT_CATEGORIES, startReplayServer } from './replay-server.mjs';
import { extensionErrors, launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
/** Longer than every source's rest (X: 6 h). */
export const REST = 7 * HOUR;

/** host: where the source's requests go; label: its name in the popup (public/_locales). */
export const SOURCES = {
  hf: { host: 'huggingface.co', label: 'Hugging Face' },
  alphaxiv: { host: 'api.alphaxiv.org', label: 'alphaXiv' },
  hn: { host: 'hn.algolia.com', label: 'Hacker News' },
  // Signed in, Bluesky searches on api.bsky.app (sign-in on bsky.social, once: the session lasts).
  bluesky: { host: 'api.bsky.app', label: 'Bluesky' },
  x: { host: 'api.x.com', label: 'X' },
  s2: { host: 'api.semanticscholar.org', label: 'Semantic Scholar' },
};
const ALL = Object.keys(SOURCES);

/** Every scenario of the replay server but 'normal' and 'slow' (faults-slow.e2e.mjs), and what it must become. */
export const MODES = [
  { mode: '500', state: 'error', says: /HTTP 500/ },
  { mode: '429', state: 'rate-limited', options: { retryAfter: 600 }, says: /slow down/ },
  { mode: 'reset', state: 'error', says: /could not reach/i },
  { mode: 'html', state: 'error', says: /could not read/ },
  { mode: 'truncated', state: 'error', says: /could not read/ },
  { mode: 'garbage', state: 'error', says: /could not read/ },
  { mode: 'empty', state: 'error', says: /could not read/ },
  { mode: 'offline', state: 'error', says: /could not reach/i },
  // What a broken proxy or cache does: "not modified" to a request that asked nothing of the kind.
  { mode: '304', state: 'error', options: { unconditional: true }, says: /unexpected|not modified/ },
];

export const CREDENTIALS = {
  xBearer: 'x-bearer-faults-AAAAAAAAAAAAAAAAAAAA',
  bluesky: { handle: 'reader.example.com', appPassword: 'faul-tspa-sswo-rdbs' },
};

export const SETTINGS_ALL_SOURCES = {
  version: 1,
  categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'],
  includeCrossLists: true,
  sources: Object.fromEntries(ALL.map((id) => [id, { enabled: true, weight: id === 's2' ? 0.5 : 1 }])),
  // The matrix polls X dozens of times in one day: a budget far above the default (200 posts, 10
  // requests a day) keeps X asked in every test.
  xDailyPosts: 100_000,
  signalsRefreshMinutes: 30,
  hotThreshold: 10,
  notifications: { enabled: true, quietHours: null, dailyCap: 10 },
  watchlist: { papers: [], authors: [], keywords: [] },
  retentionDays: 30,
};

/**
 * Starts the replay server and Chromium, then turns every source on and polls until each has data.
 * Returns a context whose helpers the tests share.
 */
export function allSourcesSession({ accounts = true } = {}) {
  // Without accounts (issue 16): the default sources, Bluesky reading the category bots' feeds on
  // its public AppView; X (an account only) stays off.
  const ctx = {
    server: null,
    session: null,
    all: accounts ? ALL : ALL.filter((id) => id !== 'x'),
    hostOf: (id) => (!accounts && id === 'bluesky' ? 'public.api.bsky.app' : SOURCES[id].host),
  };
  const settings = accounts ? SETTINGS_ALL_SOURCES : { ...SETTINGS_ALL_SOURCES, sources: { ...SETTINGS_ALL_SOURCES.sources, x: { enabled: false, weight: 1 } } };
  before(async () => {
    ctx.server = await startReplayServer();
    ctx.session = await launchExtension({ server: ctx.server, grantOptionalHosts: accounts });
    await ctx.session.pollAndWait();
    await ctx.session.setStorage({ settings, credentials: accounts ? CREDENTIALS : {} });
    await ctx.session.ageSourceStatuses(REST);
    await ctx.session.pollAndWait();
  });
  after(async () => {
    await ctx.session?.close();
    await ctx.server?.close();
  });

  /** The stored signal records of one source, by paper id. */
  ctx.signalsOf = async (source) => {
    const db = await ctx.session.readDb(['signals']);
    return Object.fromEntries(db.signals.filter((r) => r.value.source === source).map((r) => [r.value.paperId, r.value]));
  };
  ctx.statusOf = async (source) => (await ctx.session.pollState()).sources.find((s) => s.source === source);
  /** The popup's status line of a source (matched on its exact name: "X" is in other words too). */
  ctx.popupLine = (popup, source) =>
    popup
      .locator('.sources li')
      .filter({ has: popup.locator('.source-name', { hasText: new RegExp(`^${SOURCES[source].label}$`) }) })
      .innerText();
  return ctx;
}

/**
 * Every source stored data for every feed paper of the user's categories; X, which finds papers from
 * the posts, for every cached paper they link (the cs.IT one outside the categories too).
 */
async function assertHasData(ctx, source, why) {
  const ids = Object.keys(await ctx.signalsOf(source)).sort();
  const want = source === 'x' ? FEED_IDS : FEED_IDS_IN_DEFAULT_CATEGORIES;
  assert.deepEqual(ids, [...want].sort(), `${SOURCES[source].label} data for the feed papers (${why})`);
}

export function baselineTest(ctx) {
  test('baseline: every source is on and stored signals for the feed papers', async () => {
    const state = await ctx.session.pollState();
    for (const id of ctx.all) {
      assert.equal(state.sources.find((s) => s.source === id)?.state, 'ok', `${id}: ${JSON.stringify(state.sources.find((s) => s.source === id))}`);
      await assertHasData(ctx, id, 'baseline');
    }
  });
}

/**
 * After a failed poll: the report and the stored status of `source` say `state` in words matching
 * `says`, the popup shows it, its data is exactly `good`, and every other source ran and has data.
 */
async function assertFailedAlone(ctx, report, source, { state, says }, good) {
  const { label } = SOURCES[source];
  const failed = report.sources.find((s) => s.source === source);
  assert.equal(failed.state, state, JSON.stringify(failed));
  for (const other of ctx.all.filter((id) => id !== source)) {
    const working = report.sources.find((s) => s.source === other);
    assert.equal(working.state, 'ok', `${other} kept working: ${JSON.stringify(working)}`);
    assert.ok(working.papers >= FEED_IDS_IN_DEFAULT_CATEGORIES.length, `${other} stored fresh data: ${JSON.stringify(working)}`);
    await assertHasData(ctx, other, `while ${label} fails`);
  }
  const status = await ctx.statusOf(source);
  assert.equal(status.state, state);
  assert.match(status.lastError ?? '', /\w{3,}/, 'the status explains in words');
  assert.ok(status.lastError.includes(label), `the status names ${label}: "${status.lastError}"`);
  assert.match(status.lastError, says);
  assert.doesNotMatch(status.lastError, /undefined|\[object|TypeError|SyntaxError|https?:/);
  assert.deepEqual(await ctx.signalsOf(source), good, `the last good ${label} data stays`);

  const popup = await ctx.session.openPopup();
  await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
  const line = await ctx.popupLine(popup, source);
  if (state === 'rate-limited') assert.match(line, /slow|limit|until|later/i, `the popup says ${label} is rate-limited: "${line}"`);
  else assert.ok(line.includes(status.lastError), `the popup shows "${status.lastError}", got "${line}"`);
  await popup.close();
}

async function assertRecovers(ctx, source) {
  const next = await ctx.session.pollAndWait();
  assert.equal(next.sources.find((s) => s.source === source).state, 'ok', JSON.stringify(next.sources.find((s) => s.source === source)));
  assert.equal((await ctx.statusOf(source)).state, 'ok');
  await assertHasData(ctx, source, 'after recovering');
  assert.deepEqual(extensionErrors(ctx.session.errors), []);
}

/** One test per (source, mode): the source fails that way alone, keeps its data, says so, recovers. */
export function faultMatrix(ctx, sources) {
  for (const source of sources) {
    const { label } = SOURCES[source];
    const host = ctx.hostOf(source);
    for (const m of MODES) {
      test(`${label} ${m.mode}: the other sources still work, ${label} keeps its last data and says what happened; next poll recovers`, async (t) => {
        const { server, session } = ctx;
        t.after(() => server.setScenario(host, 'normal'));
        const good = await ctx.signalsOf(source);
        server.setScenario(host, m.mode, m.options);
        server.log.length = 0;
        await session.ageSourceStatuses(REST);
        const report = await session.pollAndWait();

        const asked = server.requests({ host });
        assert.ok(asked.length >= 1, `${label} was asked`);
        if (m.mode === '304') {
          // The scenario under test: none of these requests asked "has it changed since …?".
          assert.deepEqual(asked.filter((e) => e.ifNoneMatch || e.ifModifiedSince), [], 'requests without validators');
          assert.ok(asked.every((e) => e.status === 304), `every request answered 304: ${asked.map((e) => e.status)}`);
        }
        await assertFailedAlone(ctx, report, source, m, good);

        server.setScenario(host, 'normal');
        // Past any Retry-After and the source's rest.
        await session.ageSourceStatuses(REST);
        await assertRecovers(ctx, source);
      });
    }

    test(`${label} 429 with Retry-After: no request to it until that time has passed, the others are still asked`, async (t) => {
      const { server, session } = ctx;
      t.after(() => server.setScenario(host, 'normal'));
      // Ten hours: longer than the ageing below, which is longer than every source's rest.
      server.setScenario(host, '429', { retryAfter: 10 * 3600 });
      await session.ageSourceStatuses(REST);
      await session.pollAndWait();
      const status = await ctx.statusOf(source);
      assert.equal(status.state, 'rate-limited');
      assert.ok(status.retryAt > Date.now() + 9.5 * HOUR, 'the Retry-After of ten hours is kept');
      server.log.length = 0;
      await session.ageSourceStatuses(REST);
      const report = await session.pollAndWait();
      assert.equal(server.requests({ host }).length, 0, `${label} was left alone`);
      for (const other of ctx.all.filter((id) => id !== source)) {
        assert.ok(server.requests({ host: ctx.hostOf(other) }).length >= 1, `${other} was still asked`);
        assert.equal(report.sources.find((s) => s.source === other).state, 'ok');
      }
      assert.equal(report.sources.find((s) => s.source === source).state, 'rate-limited', 'still reported as rate-limited');
      server.setScenario(host, 'normal');
      await session.ageSourceStatuses(REST);
      await assertRecovers(ctx, source);
    });
  }
}

/**
 * "slow (beyond the client timeout)" for several sources in one poll (each waits out its 20 s
 * timeout three times, about a minute, so they share that minute): each is abandoned with a
 * timed-out status and keeps its data; `working` sources are unaffected; the next poll recovers.
 */
export function slowTest(ctx, slow, { delayMs = 25_000 } = {}) {
  const working = ctx.all.filter((id) => !slow.includes(id));
  const names = slow.map((id) => SOURCES[id].label);
  test(`${names.join(', ')} slower than the client timeout: each abandoned with a plain-words status and its data kept; ${working.map((id) => SOURCES[id].label).join(', ')} unaffected`, async (t) => {
    const { server, session } = ctx;
    t.after(() => slow.forEach((id) => server.setScenario(ctx.hostOf(id), 'normal')));
    const good = Object.fromEntries(await Promise.all(slow.map(async (id) => [id, await ctx.signalsOf(id)])));
    for (const id of slow) server.setScenario(ctx.hostOf(id), 'slow', { delayMs });
    server.log.length = 0;
    await session.ageSourceStatuses(REST);
    const report = await session.pollAndWait({ timeout: 150_000 });
    for (const id of working) {
      assert.equal(report.sources.find((s) => s.source === id).state, 'ok', `${id} kept working`);
      await assertHasData(ctx, id, 'while others are slow');
    }
    const popup = await session.openPopup();
    await popup.waitForSelector('[data-arxiv-id]', { timeout: 15_000 });
    for (const id of slow) {
      const { label } = SOURCES[id];
      const host = ctx.hostOf(id);
      assert.equal(report.sources.find((s) => s.source === id).state, 'error', `${label} failed`);
      const status = await ctx.statusOf(id);
      assert.equal(status.state, 'error');
      assert.match(status.lastError, /did not answer in time/, `${label} timed out: "${status.lastError}"`);
      assert.ok(status.lastError.includes(label));
      assert.deepEqual(await ctx.signalsOf(id), good[id], `${label} data kept`);
      assert.ok(server.requests({ host }).some((e) => e.status === 'client-gave-up'), `the extension hung up on slow ${host}`);
      const line = await ctx.popupLine(popup, id);
      assert.ok(line.includes(status.lastError), `the popup shows "${status.lastError}", got "${line}"`);
    }
    await popup.close();
    assert.ok(['ok', 'not-modified'].includes(report.feeds[0].status), 'the feed was not held up');

    for (const id of slow) server.setScenario(ctx.hostOf(id), 'normal');
    await session.ageSourceStatuses(REST);
    const next = await session.pollAndWait();
    for (const id of slow) {
      assert.equal(next.sources.find((s) => s.source === id).state, 'ok', `${id} recovered`);
      await assertHasData(ctx, id, 'after recovering');
    }
    assert.deepEqual(extensionErrors(session.errors), []);
  });
}
