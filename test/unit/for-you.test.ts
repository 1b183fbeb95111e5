import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getMeta, setMeta, storePapers, type HotDb } from '../../lib/store/db';
import { getHotList, HOT_DEPS } from '../../lib/rank/hotlist';
import { forYouScore, getForYouList } from '../../lib/rank/for-you';
import { loadModel, MODEL_KEY, trainFromCache } from '../../lib/relevance/model-store';
import { afterPoll } from '../../lib/worker/notify';
import { markForYou } from '../../lib/worker/lookup';
import { buildViews } from '../../lib/rank/views';
import { dismiss, relevanceStatus, resetRelevance, retrainIfExamplesChanged } from '../../lib/worker/relevance-handlers';
import { loadSettings, SETTINGS_KEY, type Settings } from '../../lib/settings';
import type { ListingEntry, Paper, PollReport } from '../../lib/types';
import { fakeEnv, freshDb, memStorage, signal, useEnglish } from './popup-test-kit';

const DAY = '2026-05-18';
const NOW = Date.parse(`${DAY}T23:00:00Z`);
const CATS = ['cs.CV', 'cs.CL', 'cs.AI', 'cs.GR', 'cs.IT'];

/** The recorded day (test/fixtures/README.md), all 479 papers listed as one day. */
function recordedDay(): Paper[] {
  const out = new Map<string, Paper>();
  for (const d of ['2026-05-15', '2026-05-18']) {
    const text = readFileSync(join(__dirname, '..', 'fixtures', `arxiv_new_daily-arXiv-ai-enhanced_${d}.jsonl`), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { id: string; title: string; summary: string; authors: string[]; categories: string[] };
      if (out.has(r.id)) continue;
      out.set(r.id, { id: r.id, version: 1, title: r.title, authors: r.authors, abstract: r.summary, categories: r.categories, primaryCategory: r.categories[0]!, announced: DAY, announceType: 'new', firstSeen: NOW, updatedAt: NOW, origin: 'rss' });
    }
  }
  return [...out.values()];
}

let day: Paper[];
let db: HotDb;
const ofCat = (c: string) => day.filter((p) => p.primaryCategory === c);
const stars = () => ofCat('cs.IT').slice(0, 10).map((p) => p.id);
const report: PollReport = { startedAt: NOW - 5000, finishedAt: NOW, reason: 'alarm', feeds: [], sources: [] };

function storage(watched: string[] = [], patch: Partial<Settings> = {}) {
  const s = memStorage({ categories: CATS, ...patch });
  (s.data[SETTINGS_KEY] as Settings).watchlist.papers = watched;
  return s;
}

async function hotEnv(st: ReturnType<typeof storage>) {
  const { settings } = await loadSettings(st);
  return { db, now: NOW, settings, deps: HOT_DEPS };
}

beforeAll(() => {
  useEnglish();
  day = recordedDay();
});
beforeEach(async () => {
  db = await freshDb();
  const rows: ListingEntry[] = day.flatMap((p) => p.categories.filter((c) => CATS.includes(c)).map((category) => ({ day: DAY, category, id: p.id, announceType: 'new' as const })));
  await storePapers(db, day, rows);
});

describe('For you tab', () => {
  it('until there are 3 stars, says so and keeps today’s ranking', async () => {
    const st = storage(stars().slice(0, 2));
    const list = await getForYouList(await hotEnv(st), { view: 'foryou', limit: 20 });
    expect(list.view).toBe('foryou');
    expect(list.forYou).toMatchObject({ ready: false, stars: 2, needed: 3 });
    const today = await getHotList(await hotEnv(st), { view: 'today', limit: 20 });
    expect(list.items.map((v) => v.paper.id)).toEqual(today.items.map((v) => v.paper.id));
    expect(await getMeta(db, MODEL_KEY)).toBeUndefined();
  });

  it('after 10 stars of one topic, lists that topic’s other papers first, each saying why', async () => {
    const st = storage(stars());
    const list = await getForYouList(await hotEnv(st), { view: 'foryou', limit: 10 });
    expect(list.forYou).toMatchObject({ ready: true, stars: 10, positives: 10, corpus: day.length });
    const ids = list.items.map((v) => v.paper.id);
    for (const s of stars()) expect(ids).not.toContain(s);
    expect(list.items.filter((v) => v.paper.primaryCategory === 'cs.IT').length).toBeGreaterThanOrEqual(6);
    const first = list.items[0]!;
    expect(first.forYou!.close).toBe(true);
    expect(first.forYou!.terms.length).toBeGreaterThan(0);
    expect(stars()).toContain(first.forYou!.near[0]!.id);
    const today = await getHotList(await hotEnv(st), { view: 'today', limit: 1 });
    expect(list.total).toBe(today.total - 10);
    // The model is stored with its version, and reused while the stars are the same.
    const stored = await loadModel(db);
    expect(stored).toMatchObject({ version: 1, positives: 10 });
  });

  it('orders by heat alone at mix 0 and by closeness alone at mix 1', async () => {
    const cv = ofCat('cs.CV')[0]!;
    await signal(db, cv.id, 'hf', { upvotes: 300 }, NOW);
    const at = async (mix: number) => (await getForYouList(await hotEnv(storage(stars(), { forYou: { mix, closeness: 0.9, notify: true, notifyHeat: 5, notForMe: [] } })), { view: 'foryou', limit: 5 })).items;
    expect((await at(0))[0]!.paper.id).toBe(cv.id);
    expect((await at(1)).map((v) => v.paper.id)).not.toContain(cv.id);
    expect(forYouScore(10, 0.5, { hotThreshold: 10, forYou: { mix: 0.5 } } as Settings)).toBeCloseTo(0.5);
  });

  it('a damaged model record is ignored and trained again', async () => {
    const st = storage(stars());
    await setMeta(db, MODEL_KEY, { version: 1, examples: 'x', terms: 'not a list' });
    expect(await loadModel(db)).toBeNull();
    const list = await getForYouList(await hotEnv(st), { view: 'foryou', limit: 5 });
    expect(list.forYou!.ready).toBe(true);
    expect(await loadModel(db)).not.toBeNull();
  });
});

describe('not for me', () => {
  it('is a negative example, undoable, listed with its title, and learned at once', async () => {
    const st = storage(stars());
    const env = fakeEnv(db, st, NOW);
    await trainFromCache(db, (await loadSettings(st)).settings, NOW);
    const target = ofCat('cs.IT')[12]!;
    expect(await dismiss(env, { id: `arXiv:${target.id}v2` })).toEqual({ notForMe: true });
    expect((await loadSettings(st)).settings.forYou.notForMe).toEqual([target.id]);
    expect(await retrainIfExamplesChanged(env)).toBe(true);
    expect((await loadModel(db))!.negatives).toBe(1);
    expect(await retrainIfExamplesChanged(env)).toBe(false);
    const status = await relevanceStatus(env);
    expect(status).toMatchObject({ ready: true, notForMe: 1, dismissed: [{ id: target.id, title: target.title }] });
    // The same message again undoes it.
    expect(await dismiss(env, { id: target.id })).toEqual({ notForMe: false });
    expect((await loadSettings(st)).settings.forYou.notForMe).toEqual([]);
    await expect(dismiss(env, { id: 'nonsense' })).rejects.toThrow();
  });

  it('reset forgets the model and every "not for me", and keeps the stars', async () => {
    const st = storage(stars(), { forYou: { mix: 0.6, closeness: 0.9, notify: true, notifyHeat: 5, notForMe: [ofCat('cs.CV')[0]!.id] } });
    const env = fakeEnv(db, st, NOW);
    await trainFromCache(db, (await loadSettings(st)).settings, NOW);
    await resetRelevance(env);
    expect(await loadModel(db)).toBeNull();
    const { settings } = await loadSettings(st);
    expect(settings.forYou.notForMe).toEqual([]);
    expect(settings.watchlist.papers).toEqual(stars());
  });
});

describe('badge marks and notifications', () => {
  it('marks close papers for the page with a reason, dismissed ones as such, starred ones not at all', async () => {
    const st = storage(stars(), { forYou: { mix: 0.6, closeness: 0.9, notify: true, notifyHeat: 5, notForMe: [ofCat('cs.IT')[11]!.id] } });
    const { settings } = await loadSettings(st);
    await trainFromCache(db, settings, NOW);
    const ids = [...ofCat('cs.IT').map((p) => p.id), ...ofCat('cs.CV').slice(0, 20).map((p) => p.id)];
    const page = await markForYou(db, settings, await buildViews(db, ids, { settings, now: NOW }));
    const byId = new Map(page.map((v) => [v.id, v]));
    for (const s of stars()) expect(byId.get(s)!.fy).toBeUndefined();
    expect(byId.get(ofCat('cs.IT')[11]!.id)!.nfm).toBe(true);
    const marked = page.filter((v) => v.fy);
    expect(marked.filter((v) => ofCat('cs.IT').some((p) => p.id === v.id)).length).toBeGreaterThanOrEqual(4);
    expect(marked.length).toBeLessThanOrEqual(8);
    expect(marked[0]!.fy).toMatch(/^For you: closer to your stars than \d+% of recent papers/);
  });

  it('notifies a paper hot by its own threshold and close to the stars, once; not a merely warm one elsewhere', async () => {
    const st = storage(stars());
    const env = fakeEnv(db, st, NOW);
    await trainFromCache(db, (await loadSettings(st)).settings, NOW);
    const close = ofCat('cs.IT')[10]!;
    const far = ofCat('cs.CV')[3]!;
    // heat 6.9: above For you's threshold (5), below the hot one (10).
    await signal(db, close.id, 'hf', { upvotes: 8 }, NOW);
    await signal(db, far.id, 'hf', { upvotes: 8 }, NOW);
    await afterPoll(env, report, { timezoneOffsetMinutes: 0 });
    expect(env.shown).toEqual([expect.objectContaining({ title: 'Hot and close to what you read', message: close.title })]);
    await afterPoll(env, report, { timezoneOffsetMinutes: 0 });
    expect(env.shown).toHaveLength(1);
  });
});
