import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countPapers, storePapers, type HotDb } from '../../lib/store/db';
import { popupHandlers } from '../../lib/worker/popup-handlers';
import type { ListingEntry, Paper } from '../../lib/types';
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

  it('exports the whole view, not its first 1,000 papers (the popup shows 200)', async () => {
    // A busy day: 1,250 papers listed in cs.SE (the recorded papers' metadata under new ids).
    const day = '2023-10-26';
    const many = Array.from({ length: 1250 }, (_, i) => ({ ...papers[i % papers.length]!, id: `2310.${String(20000 + i)}`, announced: day, announceType: 'new' as const }));
    const rows: ListingEntry[] = many.map((p) => ({ day, category: 'cs.SE', id: p.id, announceType: 'new' }));
    await storePapers(db, many, rows);
    const env = fakeEnv(db, memStorage({ categories: ['cs.SE'] }));
    const handlers = popupHandlers(env);
    const shown = await handlers['hotlist:get']({ view: 'today', limit: 1000 });
    expect(shown.total).toBe(1254);
    expect(shown.items).toHaveLength(1000);
    const all = await handlers['export:build']({ format: 'csv', view: 'today' });
    expect(all.text.trim().split('\n')).toHaveLength(1 + 1254);
    // In hot-list order: the four papers with signals first.
    const json = JSON.parse((await handlers['export:build']({ format: 'json', view: 'today' })).text) as { papers: { id: string }[] };
    expect(json.papers).toHaveLength(1254);
    expect(json.papers.slice(0, 4).map((p) => p.id)).toEqual(shown.items.slice(0, 4).map((v) => v.paper.id));
    // A filter that matches the whole day, and a selection of 1,100 rows, are exported whole too.
    const filtered = await handlers['export:build']({ format: 'bibtex', view: 'today', categories: ['cs.SE'] });
    expect(filtered.text.match(/^@/gm)).toHaveLength(1254);
    const picked = many.slice(100, 1200).map((p) => p.id);
    const selected = JSON.parse((await handlers['export:build']({ format: 'json', view: 'today', ids: picked })).text) as { papers: { id: string }[] };
    expect(selected.papers.map((p) => p.id).sort()).toEqual([...picked].sort());
    // 1,254 papers written and exported four times: seconds on a loaded machine, not the default 5.
  }, 60_000);

  it("'hotlist:has' says which selected papers are still in the view", async () => {
    const env = fakeEnv(db, memStorage({ categories: ['cs.SE'], watchlist: { papers: [papers[1]!.id], authors: [], keywords: [] } }));
    const h = popupHandlers(env);
    const asked = [papers[0]!.id, papers[5]!.id, papers[1]!.id, 'not-an-id'];
    expect(await h['hotlist:has']({ view: 'today', ids: asked })).toEqual({ ids: [papers[0]!.id, papers[1]!.id] });
    expect(await h['hotlist:has']({ view: 'watchlist', ids: asked })).toEqual({ ids: [papers[1]!.id] });
    expect(await h['hotlist:has']({ view: 'today', ids: 'x' } as never)).toEqual({ ids: [] });
    // After the cache is cleared, nothing is in Today any more.
    await h['cache:clear']();
    expect(await h['hotlist:has']({ view: 'today', ids: asked })).toEqual({ ids: [] });
  });

  it('clears the cache and the badge', async () => {
    const env = fakeEnv(db, memStorage({ categories: ['cs.SE'] }));
    await popupHandlers(env)['cache:clear']();
    expect(await countPapers(db)).toBe(0);
    expect(env.badges.at(-1)!.text).toBe('');
    expect((await popupHandlers(env)['hotlist:get']({ view: 'today' })).day).toBeNull();
  });
});
