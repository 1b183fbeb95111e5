import { describe, expect, it } from 'vitest';
import { openHotDb, setMeta, storePapers, storeSignals } from '../../lib/store/db';
import { heatOf } from '../../lib/rank/heat';
import { DEFAULT_SETTINGS, type Settings } from '../../lib/settings';
import type { SignalRecord } from '../../lib/types';
import { buildViews, getSourceStatuses } from '../../lib/rank/views';
import { NOW, paper } from './source-test-kit';

const H = 3_600_000;
let n = 0;

async function seeded() {
  const db = await openHotDb(`views-test-${n++}`);
  await storePapers(db, [paper('2605.13301', '2026-05-18'), paper('2605.06554', '2026-05-15'), paper('2605.15320', '2026-05-18')], []);
  const rec = (paperId: string, source: SignalRecord['source'], counts: Record<string, number>, t: number, links: SignalRecord['links'] = []): SignalRecord => ({ paperId, source, counts, links, fetchedAt: t });
  // Counts from the recorded HF and HN replies, arriving over a few hours.
  await storeSignals(db, [rec('2605.13301', 'hf', { upvotes: 100, comments: 2, githubStars: 70 }, NOW - 5 * H)]);
  await storeSignals(db, [rec('2605.13301', 'hf', { upvotes: 140, comments: 4, githubStars: 70 }, NOW - 1 * H, [{ url: 'https://huggingface.co/papers/2605.13301', label: 'Hugging Face paper page' }])]);
  await storeSignals(db, [rec('2605.13301', 'hn', { points: 421, comments: 190 }, NOW - 1 * H, [{ url: 'https://news.ycombinator.com/item?id=44012345', label: 'Hacker News thread' }])]);
  await storeSignals(db, [rec('2605.06554', 'hf', { upvotes: 21, comments: 2, githubStars: 25 }, NOW - 2 * H)]);
  await storeSignals(db, [rec('2605.06554', 'x', { retweets: 5, likes: 50, posts: 2 }, NOW - 2 * H)]);
  return db;
}

const settings = (over: Partial<Settings> = {}): Settings => ({ ...structuredClone(DEFAULT_SETTINGS), ...over });

describe('buildViews', () => {
  it('joins papers, latest signals and snapshots into views in the requested order, omitting unknown ids', async () => {
    const db = await seeded();
    const views = await buildViews(db, ['2605.06554', '9999.99999', '2605.13301', '2605.15320'], { settings: settings(), now: NOW });
    expect(views.map((v) => v.paper.id)).toEqual(['2605.06554', '2605.13301', '2605.15320']);
    const hot = views[1]!;
    expect(hot.parts.map((p) => p.source).sort()).toEqual(['hf', 'hn']);
    expect(hot.parts.find((p) => p.source === 'hf')!.counts).toEqual({ upvotes: 140, comments: 4, githubStars: 70 });
    expect(hot.heat).toBeCloseTo(
      heatOf(
        [
          { source: 'hf', counts: { upvotes: 140, comments: 4, githubStars: 70 } },
          { source: 'hn', counts: { points: 421, comments: 190 } },
        ],
        DEFAULT_SETTINGS.sources,
      ),
      9,
    );
    expect(hot.parts.flatMap((p) => p.links.map((l) => l.url))).toContain('https://news.ycombinator.com/item?id=44012345');
    expect(hot.history.map((h) => h.t)).toEqual([NOW - 5 * H, NOW - H]);
    expect(hot.velocity).toBeGreaterThan(0);
    // A paper with no signal at all is shown cold, not dropped.
    expect(views[2]).toMatchObject({ heat: 0, velocity: 0, parts: [], history: [] });
  });

  it('leaves out disabled sources (X is off by default) and counts them once enabled', async () => {
    const db = await seeded();
    const [off] = await buildViews(db, ['2605.06554'], { settings: settings(), now: NOW });
    expect(off!.parts.map((p) => p.source)).toEqual(['hf']);
    const s = settings();
    s.sources.x = { enabled: true, weight: 1 };
    const [on] = await buildViews(db, ['2605.06554'], { settings: s, now: NOW });
    expect(on!.parts.map((p) => p.source).sort()).toEqual(['hf', 'x']);
    expect(on!.heat).toBeGreaterThan(off!.heat);
  });

  it('marks watched and new papers', async () => {
    const db = await seeded();
    const s = settings();
    s.watchlist.papers = ['2605.06554'];
    const views = await buildViews(db, ['2605.06554', '2605.13301'], { settings: s, now: NOW, seen: new Set(['2605.06554']) });
    expect(views.map((v) => [v.watched, v.isNew])).toEqual([
      [true, false],
      [false, true],
    ]);
    const noSeen = await buildViews(db, ['2605.13301'], { settings: s, now: NOW });
    expect(noSeen[0]!.isNew).toBe(false);
  });
});

describe('getSourceStatuses', () => {
  it('lists every source in registry order, "never" until it has run', async () => {
    const db = await openHotDb(`views-test-${n++}`);
    await setMeta(db, 'source-status:hn', { source: 'hn', state: 'error', lastAttempt: NOW, lastError: 'Hacker News did not answer in time' });
    const statuses = await getSourceStatuses(db);
    expect(statuses.map((s) => s.source)).toEqual(['hf', 'alphaxiv', 'hn', 'bluesky', 'x', 's2']);
    expect(statuses[0]).toEqual({ source: 'hf', state: 'never' });
    expect(statuses[2]).toMatchObject({ state: 'error', lastError: 'Hacker News did not answer in time' });
  });
});
