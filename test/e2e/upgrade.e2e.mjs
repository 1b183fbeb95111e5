/* global chrome, indexedDB -- evaluated in extension pages */
/**
 * Issues 3 and 6: the extension UPDATED over a cache written by an older version keeps the user's
 * data. Each case lets the extension fill its cache from the replay server, replaces that cache by
 * the same data in the shape schema version 2 stored it (what every release up to 91c6da1 wrote:
 * listing rows and signals one record each, before v3's day lists and v4's signal blocks), bumps
 * the version and reloads the extension — Chrome's update path, runtime.onInstalled with reason
 * 'update' — and then looks at what the user sees.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.mjs';
import { bumpVersion, extensionErrors, launchExtension } from './harness.mjs';

const HOUR = 60 * 60_000;
const CURRENT_DB_VERSION = 4;
const THREE_DAY_FEED = '/rss/cs.CV+math.NT+astro-ph';
const ENGAGEMENT_HOSTS = ['huggingface.co', 'hn.algolia.com', 'api.semanticscholar.org', 'bsky.social', 'api.x.com'];

/**
 * Replaces the extension's database by a version-2 one holding `data` ({ papers, listings,
 * signals, snapshots, notified: values; meta: [{ key, value }] }). The stores, key paths and
 * indexes are those of lib/store/db.ts's UPGRADES[0] and [1] as they stood at v2 (5fa6ead … 91c6da1; a
 * new install ran both steps in one open). Run with the worker stopped: its connection would
 * otherwise hold the delete back until it closes.
 */
async function writeV2Database(page, data) {
  return page.evaluate(async (d) => {
    const req = (r) =>
      new Promise((res, rej) => {
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    await req(indexedDB.deleteDatabase('hot-papers'));
    const open = indexedDB.open('hot-papers', 2);
    open.onupgradeneeded = () => {
      const db = open.result;
      const papers = db.createObjectStore('papers', { keyPath: 'id' });
      papers.createIndex('updatedAt', 'updatedAt');
      const listings = db.createObjectStore('listings', { keyPath: ['day', 'category', 'id'] });
      listings.createIndex('id', 'id');
      db.createObjectStore('meta');
      db.createObjectStore('signals', { keyPath: ['paperId', 'source'] });
      db.createObjectStore('snapshots', { keyPath: ['paperId', 'source', 't'] });
      db.createObjectStore('notified', { keyPath: 'key' });
    };
    const db = await req(open);
    const names = ['papers', 'listings', 'signals', 'snapshots', 'notified', 'meta'];
    const tx = db.transaction(names, 'readwrite');
    for (const name of names.slice(0, -1)) for (const v of d[name]) tx.objectStore(name).put(v);
    for (const { key, value } of d.meta) tx.objectStore('meta').put(value, key);
    await new Promise((res, rej) => {
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
      tx.onabort = () => rej(tx.error);
    });
    const shape = { version: db.version, stores: [...db.objectStoreNames].sort() };
    db.close();
    return shape;
  }, data);
}

/** What the popup shows for each row of Today: id, title, the heat number and the per-source counts. */
async function popupRows(session) {
  const popup = await session.openPopup();
  await popup.waitForSelector('[data-arxiv-id] .heat-badge', { timeout: 20_000 });
  const rows = await popup.$$eval('[data-arxiv-id]', (els) =>
    els.map((e) => ({
      id: e.getAttribute('data-arxiv-id'),
      title: e.querySelector('.title')?.textContent ?? '',
      heat: e.querySelector('.heat-badge .heat')?.textContent ?? '',
      counts: [...e.querySelectorAll('.heat-badge .count')].map((c) => c.textContent),
    })),
  );
  return { popup, rows };
}

/**
 * Warnings and errors logged by the extension's service worker (the harness collects pages only):
 * a failed database open or upgrade surfaces there as "[hot-papers] install poll failed: …".
 */
function watchWorkerConsole(context) {
  const lines = [];
  context.on('console', (m) => {
    if (m.worker() && ['warning', 'error'].includes(m.type())) lines.push(`${m.type()}: ${m.text()}`);
  });
  return lines;
}

/** Bumps the version, reloads the extension and waits for the poll its onInstalled ('update') runs. */
async function updateExtension(session, version) {
  const since = Date.now();
  bumpVersion(session.extDir, version);
  await session.reloadExtension();
  await session.waitFor(
    async () => (await (await session.sw()).evaluate(() => chrome.runtime.getManifest().version)) === version,
    { what: `the worker of version ${version}`, timeout: 30_000 },
  );
  return session.waitFor(
    async () => {
      const st = await session.pollState();
      return !st.running && st.lastPoll?.reason === 'install' && st.lastPoll.finishedAt >= since ? st.lastPoll : null;
    },
    { what: 'the poll after the update', timeout: 60_000 },
  );
}

const byKey = (rows) => new Map(rows.map((r) => [JSON.stringify(r.key), r.value]));

/** The cache as readDb gives it (rows as v2 keyed them) → the records writeV2Database takes. */
const asV2Data = (db) => ({
  papers: db.papers.map((r) => r.value),
  listings: db.listings.map((r) => r.value),
  signals: db.signals.map((r) => r.value),
  snapshots: db.snapshots.map((r) => r.value),
  notified: db.notified.map((r) => r.value),
  meta: db.meta.filter((r) => r.key !== 'pollLease'),
});

/** Clears shown notifications, stops the worker and puts the version-2 database in place. */
async function replaceWithV2(session, data) {
  const page = await session.helper();
  await page.evaluate(async () => {
    for (const id of Object.keys(await chrome.notifications.getAll())) await chrome.notifications.clear(id);
  });
  await session.stopServiceWorker();
  const shape = await writeV2Database(page, data);
  assert.deepEqual(shape, { version: 2, stores: ['listings', 'meta', 'notified', 'papers', 'signals', 'snapshots'] });
  return shape;
}

describe('update over a version-2 cache', () => {
  let server;
  let session;
  let workerLines;
  let before2;
  let shown;
  let todayBefore;
  let old;
  let v2Shape;
  let report;
  let notifications;
  let feedRequests;
  let engagementRequests;
  let badgeAfter;

  before(async () => {
    server = await startReplayServer();
    session = await launchExtension({ server });
    workerLines = watchWorkerConsole(session.context);
    // Two announcement days of real recorded papers: the install poll (2023-10-26), then the next
    // announcement (the recorded three-day feed, latest day 2023-10-27), with engagement signals.
    await session.pollAndWait();
    server.setScenario('rss.arxiv.org', 'normal', { feed: THREE_DAY_FEED });
    await session.ageSourceStatuses(4 * HOUR);
    await session.pollAndWait();

    // What the user saw before the update (the popup also marks these rows seen).
    todayBefore = (await session.sendMessage('hotlist:get', { view: 'today' })).value.items.map((v) => ({ id: v.paper.id, heat: v.heat }));
    const first = await popupRows(session);
    shown = first.rows;
    await session.waitFor(async () => {
      const m = (await session.readDb(['meta'])).meta.find((r) => r.key === 'popup:seen');
      return shown.every((r) => m?.value.ids.includes(r.id));
    }, { what: 'the popup to mark its rows seen' });
    await first.popup.close();

    before2 = await session.readDb();
    assert.equal(before2.version, CURRENT_DB_VERSION);
    const hot = todayBefore.filter((v) => v.heat >= 10).map((v) => v.id);
    assert.equal(hot.length, 2, `two hot papers in the recording: ${JSON.stringify(todayBefore)}`);
    assert.deepEqual(before2.notified.map((r) => r.key).sort(), hot.map((id) => `hot:${id}`).sort());
    // The old version had told the user about the hottest paper only (say the other one turned
    // hot during quiet hours): after the update, only the other one may be announced.
    const [hottest, other] = hot;
    const data = asV2Data(before2);
    old = { ...data, hottest, other, notified: data.notified.filter((n) => n.key === `hot:${hottest}`) };
    v2Shape = await replaceWithV2(session, old);
    const v2 = await session.readDb();
    assert.equal(v2.version, 2);
    assert.equal(v2.listings.length, old.listings.length);

    server.log.length = 0;
    // Stopped in any case: a watcher left sampling keeps node (and the test run) alive.
    const watch = session.watchNotifications();
    try {
      report = await updateExtension(session, '0.2.0');
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      notifications = [...(await watch.stop())];
    }
    badgeAfter = await session.badgeText();
    feedRequests = server.requests({ host: 'rss.arxiv.org' });
    engagementRequests = server.log.filter((e) => ENGAGEMENT_HOSTS.includes(e.host));
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  test('the version-2 database was written as v2 defined it', () => {
    assert.deepEqual(v2Shape, { version: 2, stores: ['listings', 'meta', 'notified', 'papers', 'signals', 'snapshots'] });
    assert.ok(old.papers.length >= 5 && old.listings.length >= 7 && old.signals.length >= 6 && old.snapshots.length >= 6, JSON.stringify(old).slice(0, 300));
    assert.deepEqual([...new Set(old.listings.map((r) => r.day))].sort(), ['2023-10-26', '2023-10-27']);
  });

  test('after the update the database is the current version and holds every old record', async () => {
    const now = await session.readDb();
    assert.equal(now.version, CURRENT_DB_VERSION);
    for (const store of ['papers', 'listings', 'signals', 'snapshots']) {
      assert.equal(now[store].length, before2[store].length, `${store}: as many records as before`);
      assert.deepEqual(byKey(now[store]), byKey(before2[store]), `${store}: the same records`);
    }
    const papers = byKey(now.papers);
    assert.equal(papers.get('"2310.16646"').title, 'Mysteries of the Universe');
    assert.equal(papers.get('"2310.16106"').title, 'Decentralized Learning over Wireless Networks with Broadcast-Based Subgraph Sampling');
    assert.deepEqual(byKey(now.signals).get('["2310.16646","hn"]').counts, { points: 58, comments: 12 });
    // Settings-like state kept in meta: the feed's validators, source statuses, what was seen.
    const meta = byKey(now.meta);
    for (const { key, value } of old.meta.filter((m) => m.key.startsWith('feed:') || m.key === 'popup:seen')) {
      assert.deepEqual(meta.get(JSON.stringify(key)), value, key);
    }
  });

  test('the update poll found the cache current: a conditional feed request (304), no signals fetched again', () => {
    assert.equal(report.feeds[0].status, 'not-modified', JSON.stringify(report.feeds));
    assert.equal(feedRequests.length, 1, JSON.stringify(feedRequests));
    assert.equal(feedRequests[0].status, 304);
    // So everything the popup shows below was read from the migrated database.
    assert.deepEqual(engagementRequests.map((e) => `${e.host}${e.path}`), []);
  });

  test('the popup lists the latest day of the old listings, with the heat of the old signals', async () => {
    const { popup, rows } = await popupRows(session);
    assert.deepEqual(rows.map((r) => r.id), shown.map((r) => r.id));
    assert.deepEqual(rows.map((r) => r.id).sort(), old.listings.filter((r) => r.day === '2023-10-27' && r.category === 'cs.CV').map((r) => r.id).sort());
    assert.deepEqual(rows, shown, 'titles, heat and counts as before the update');
    const hottest = rows.find((r) => r.id === old.hottest);
    assert.ok(Number(hottest.heat) >= 10 && hottest.counts.some((c) => c.includes('58')), JSON.stringify(hottest));
    const today = (await session.sendMessage('hotlist:get', { view: 'today' })).value.items.map((v) => ({ id: v.paper.id, heat: v.heat }));
    assert.deepEqual(today, todayBefore);
    await popup.close();
  });

  test('a paper notified before the update is not notified again; the one never notified is, once', async () => {
    assert.equal(notifications.length, 1, `one notification, got ${notifications}`);
    assert.match(notifications[0], new RegExp(`^hp:paper:${old.other.replace('.', '\\.')}:`));
    const notified = byKey((await session.readDb(['notified'])).notified);
    assert.deepEqual(notified.get(JSON.stringify(`hot:${old.hottest}`)), old.notified[0], 'the old record kept as it was');
    assert.ok(notified.has(JSON.stringify(`hot:${old.other}`)));
    // The papers the user had looked at stay seen: no unseen-count badge for them.
    assert.equal(badgeAfter, '');
  });

  test('no extension errors: pages, worker console', () => {
    assert.deepEqual(extensionErrors(session.errors), []);
    assert.deepEqual(workerLines, []);
  });
});

describe('update over a version-2 cache with corrupt records', () => {
  let server;
  let session;
  let workerLines;
  let good;
  let shown;
  let corrupt;
  let notifications;

  before(async () => {
    server = await startReplayServer();
    session = await launchExtension({ server });
    workerLines = watchWorkerConsole(session.context);
    await session.pollAndWait();
    const first = await popupRows(session);
    shown = first.rows;
    await first.popup.close();
    good = asV2Data(await session.readDb());

    // Hand-written corruptions (edge cases, not recordings) next to the recorded records: what an
    // older version's bug or a damaged disk could leave. A listed paper without a title whose
    // listing row has no announce type, a signal of it with counts that are not numbers, a signal
    // whose paper id is a number (no signal block can hold it) and one without counts at all.
    const untitled = { ...good.papers.find((p) => p.id === '2310.16645'), id: '2310.16699' };
    delete untitled.title;
    corrupt = {
      paper: untitled,
      listing: { day: '2023-10-26', category: 'cs.CV', id: '2310.16699' },
      oddCounts: { paperId: '2310.16699', source: 'hn', counts: { points: 'many', comments: null }, links: [], fetchedAt: 1 },
      unusable: [
        { paperId: 2310.16106, source: 's2', counts: { citations: 3 }, links: [], fetchedAt: 1 },
        { paperId: '2310.16106', source: 'hf', counts: null, links: [], fetchedAt: 1 },
      ],
    };
    await replaceWithV2(session, {
      ...good,
      papers: [...good.papers, corrupt.paper],
      listings: [...good.listings, corrupt.listing],
      signals: [...good.signals, corrupt.oddCounts, ...corrupt.unusable],
    });
    const watch = session.watchNotifications();
    try {
      await updateExtension(session, '0.2.0');
      await new Promise((r) => setTimeout(r, 1500));
    } finally {
      notifications = [...(await watch.stop())];
    }
  });
  after(async () => {
    await session?.close();
    await server?.close();
  });

  test('the upgrade completes and keeps every record, the corrupt ones included', async () => {
    const now = await session.readDb();
    assert.equal(now.version, CURRENT_DB_VERSION);
    assert.deepEqual(now.papers.map((r) => r.value).sort((a, b) => (a.id < b.id ? -1 : 1)), [...good.papers, corrupt.paper].sort((a, b) => (a.id < b.id ? -1 : 1)));
    assert.equal(now.listings.length, good.listings.length + 1);
    for (const row of good.listings) assert.ok(now.listings.some((r) => JSON.stringify(r.value) === JSON.stringify(row)), JSON.stringify(row));
    assert.deepEqual(byKey(now.signals), byKey([...good.signals, corrupt.oddCounts].map((v) => ({ key: [v.paperId, v.source], value: v }))));
    assert.equal(now.snapshots.length, good.snapshots.length);
    assert.deepEqual(now.notified.map((r) => r.value), good.notified);
    // The two signals no block can hold or no reader can use are set aside, not deleted.
    assert.deepEqual(byKey(now.meta).get('"upgrade:v4:unreadable-signals"'), corrupt.unusable);
  });

  test('the options page says once that two records were set aside, and where they are kept', async () => {
    const first = await session.openExtensionPage('options.html');
    const notice = first.locator('.set-aside');
    await notice.waitFor({ timeout: 15_000 });
    const text = await notice.innerText();
    assert.match(text, /set aside 2 engagement record\(s\)/);
    assert.match(text, /upgrade:v4:unreadable-signals/);
    await first.close();
    // Told once: the worker has nothing more to say to the next opening; the records stay.
    const reply = await session.sendMessage('upgrade:setAside', {});
    assert.deepEqual(reply, { ok: true, value: { records: [] } });
    assert.deepEqual(byKey((await session.readDb(['meta'])).meta).get('"upgrade:v4:unreadable-signals"'), corrupt.unusable);
  });

  test('the popup shows the good papers with their heat as before; nothing is notified twice; no errors', async () => {
    const { popup, rows } = await popupRows(session);
    assert.deepEqual(rows.filter((r) => r.id !== corrupt.paper.id), shown);
    assert.ok(rows.some((r) => r.id === corrupt.paper.id), 'the untitled paper is listed too');
    await popup.close();
    assert.deepEqual(notifications, []);
    assert.deepEqual(extensionErrors(session.errors), []);
    assert.deepEqual(workerLines, []);
  });
});
