/**
 * Records an upgrade set aside are told to the user once: 'upgrade:setAside' (asked by the options
 * page) says how many there are and where they are kept, then never again; a database with none
 * says nothing.
 */
import type { IDBPDatabase } from 'idb';
import { describe, expect, it } from 'vitest';
import { openHotDb, UNREADABLE_SIGNALS_KEY } from '../../lib/store/db';
import { createHandlers } from '../../lib/worker/handlers';
import { fakeEnv, memStorage } from './popup-test-kit';

let n = 0;
const T = Date.UTC(2023, 9, 27);

describe("'upgrade:setAside'", () => {
  it('tells once about the old signals a v4 upgrade could not use', async () => {
    const name = `set-aside-${++n}`;
    const v2 = (await openHotDb(name, 2)) as unknown as IDBPDatabase;
    // Hand-written corruptions (as in db.test.ts): a paper id that is not a string, counts that are not an object.
    const corrupt = [
      { paperId: 2310.00103, source: 'hn', counts: { points: 9 }, links: [], fetchedAt: T },
      { paperId: '2310.00104', source: 'hf', counts: null, links: [], fetchedAt: T },
    ];
    const good = { paperId: '2310.00101', source: 'hn', counts: { points: 12 }, links: [], fetchedAt: T };
    const tx = v2.transaction('signals', 'readwrite');
    await Promise.all([...[good, ...corrupt].map((r) => tx.store.put(r)), tx.done]);
    v2.close();

    const db = await openHotDb(name);
    const handlers = createHandlers(fakeEnv(db, memStorage()));
    expect(await handlers['upgrade:setAside']({}, {})).toEqual({ records: [{ key: UNREADABLE_SIGNALS_KEY, what: 'signals', count: 2 }] });
    // Told once: the next opening of the options page says nothing; the records stay where they were.
    expect(await handlers['upgrade:setAside']({}, {})).toEqual({ records: [] });
    expect(await db.get('meta', UNREADABLE_SIGNALS_KEY)).toEqual(corrupt);
    db.close();
  });

  it('says nothing when an upgrade set nothing aside', async () => {
    const db = await openHotDb(`set-aside-${++n}`);
    expect(await createHandlers(fakeEnv(db, memStorage()))['upgrade:setAside']({}, {})).toEqual({ records: [] });
    db.close();
  });
});
