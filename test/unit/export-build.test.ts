import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countPapers, type HotDb } from '../../lib/store/db';
import { popupHandlers } from '../../lib/worker/popup-handlers';
import type { Paper } from '../../lib/types';
import { fakeEnv, freshDb, list, memStorage, realPapers, signal, useEnglish } from './popup-test-kit';

let db: HotDb;
let papers: Paper[];
beforeAll(() => {
  useEnglish();
  papers = realPapers().filter((p) => p.primaryCategory === 'cs.SE');
});
beforeEach(async () => {
  db = await freshDb();
  for (const [i, p] of papers.slice(0, 4).entries()) {
    await list(db, p, p.id, '2023-10-26', 'new', ['cs.SE']);
    await signal(db, p.id, 'hf', { upvotes: 10 * (i + 1) });
  }
});

describe("'export:build' and 'cache:clear'", () => {
  it("builds the day's digest in hot-list order, named after the day", async () => {
    const env = fakeEnv(db, memStorage({ categories: ['cs.SE'] }));
    const out = await popupHandlers(env)['export:build']({ format: 'markdown', view: 'today' });
    expect(out.filename).toBe('hot-papers-2023-10-26.md');
    expect(out.mime).toBe('text/markdown');
    const titles = [...out.text.matchAll(/^# (\d+)\. (.*)$/gm)].map((m) => m[2]);
    expect(titles).toEqual(papers.slice(0, 4).reverse().map((p) => p.title.replace(/\s+/g, ' ').trim()));
    expect(out.text).toContain('- hf upvotes: 40 (10/27/2023 12:00:00)');
  });

  it('exports only the selected papers as BibTeX', async () => {
    const env = fakeEnv(db, memStorage({ categories: ['cs.SE'] }));
    const ids = [papers[0]!.id, papers[2]!.id];
    const out = await popupHandlers(env)['export:build']({ format: 'bibtex', view: 'today', ids });
    expect(out.filename).toBe('hot-papers-2023-10-26.bib');
    expect([...out.text.matchAll(/eprint = \{([^}]+)\}/g)].map((m) => m[1]).sort()).toEqual([...ids].sort());
  });

  it('exports the matches of a search or category filter of the whole view', async () => {
    const env = fakeEnv(db, memStorage({ categories: ['cs.SE'] }));
    const target = papers[1]!;
    const word = target.title.split(/\s+/).find((w) => w.length > 5 && papers.slice(0, 4).filter((p) => p.title.includes(w)).length === 1)!;
    const out = await popupHandlers(env)['export:build']({ format: 'json', view: 'today', query: word.toUpperCase() });
    expect((JSON.parse(out.text) as { papers: { id: string }[] }).papers.map((p) => p.id)).toEqual([target.id]);
    const none = await popupHandlers(env)['export:build']({ format: 'csv', view: 'today', categories: ['math.OC'] });
    expect(none.text.trim().split('\n')).toHaveLength(1);
  });

  it('clears the cache and the badge', async () => {
    const env = fakeEnv(db, memStorage({ categories: ['cs.SE'] }));
    await popupHandlers(env)['cache:clear']();
    expect(await countPapers(db)).toBe(0);
    expect(env.badges.at(-1)!.text).toBe('');
    expect((await popupHandlers(env)['hotlist:get']({ view: 'today' })).day).toBeNull();
  });
});
