import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HOT_THRESHOLD, descendingOrder, heatAt, heatBreakdown, heatHistory, heatOf, rankScore, rankScores, rankViews, SOURCE_MODELS, velocity, type SignalLike } from '../../lib/rank/heat';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import { SOURCE_IDS, type HotView, type PaperView, type SourceId, type Snapshot } from '../../lib/types';
import { NOW, paper } from './source-test-kit';

const W = DEFAULT_SETTINGS.sources;
const H = 3_600_000;

const sourceArb = fc.constantFrom<SourceId>(...SOURCE_IDS);
const countsArb = (s: SourceId) =>
  fc.record(Object.fromEntries(Object.keys(SOURCE_MODELS[s].metrics).map((k) => [k, fc.nat({ max: 1_000_000 })])) as Record<string, fc.Arbitrary<number>>);
const signalArb: fc.Arbitrary<SignalLike> = sourceArb.chain((source) => countsArb(source).map((counts) => ({ source, counts })));
const signalsArb = fc.uniqueArray(signalArb, { selector: (s) => s.source, maxLength: 5 });
const allOn = Object.fromEntries(SOURCE_IDS.map((id) => [id, { enabled: true, weight: 1 }])) as typeof W;

function view(id: string, heat: number, announced: string): PaperView {
  return { paper: paper(id, announced), heat, velocity: 0, parts: [], history: [], watched: false, isNew: false };
}

describe('heat', () => {
  it('never decreases when any count rises', () => {
    fc.assert(
      fc.property(signalsArb, fc.nat({ max: 4 }), fc.nat({ max: 10 }), fc.integer({ min: 1, max: 100_000 }), (signals, si, ki, bump) => {
        fc.pre(signals.length > 0);
        const s = signals[si % signals.length]!;
        const keys = Object.keys(s.counts);
        const k = keys[ki % keys.length]!;
        const raised = signals.map((x) => (x === s ? { ...x, counts: { ...x.counts, [k]: x.counts[k]! + bump } } : x));
        expect(heatOf(raised, allOn)).toBeGreaterThanOrEqual(heatOf(signals, allOn));
      }),
    );
  });

  it('a missing source is neutral: adding a source with all-zero counts changes nothing', () => {
    fc.assert(
      fc.property(signalsArb, sourceArb, (signals, extra) => {
        fc.pre(!signals.some((s) => s.source === extra));
        const zero = Object.fromEntries(Object.keys(SOURCE_MODELS[extra].metrics).map((k) => [k, 0]));
        expect(heatOf([...signals, { source: extra, counts: zero }], allOn)).toBeCloseTo(heatOf(signals, allOn), 9);
      }),
    );
  });

  it('one huge Hacker News thread does not drown a paper noticed everywhere (saturation)', () => {
    const huge = heatOf([{ source: 'hn', counts: { points: 3000, comments: 2000 } }], W);
    const broad = heatOf(
      [
        { source: 'hf', counts: { upvotes: 40, comments: 5, githubStars: 100 } },
        { source: 'hn', counts: { points: 150, comments: 60 } },
        { source: 'bluesky', counts: { likes: 120, reposts: 30, replies: 10, quotes: 5 } },
      ],
      W,
    );
    expect(broad).toBeGreaterThan(huge);
    // 100× more HN engagement is far less than 100× the heat.
    const small = heatOf([{ source: 'hn', counts: { points: 30, comments: 20 } }], W);
    expect(huge / small).toBeLessThan(6);
  });

  it('the default threshold separates "noticed" from "hot" with default weights', () => {
    expect(DEFAULT_SETTINGS.hotThreshold).toBe(DEFAULT_HOT_THRESHOLD);
    // A couple of upvotes or one small HN post is not hot.
    expect(heatOf([{ source: 'hf', counts: { upvotes: 3, comments: 0, githubStars: 0 } }], W)).toBeLessThan(DEFAULT_HOT_THRESHOLD);
    expect(heatOf([{ source: 'hn', counts: { points: 8, comments: 2 } }], W)).toBeLessThan(DEFAULT_HOT_THRESHOLD);
    // A front-page HN thread or a top HF daily paper is.
    expect(heatOf([{ source: 'hn', counts: { points: 120, comments: 60 } }], W)).toBeGreaterThanOrEqual(DEFAULT_HOT_THRESHOLD);
    expect(heatOf([{ source: 'hf', counts: { upvotes: 40, comments: 3, githubStars: 0 } }], W)).toBeGreaterThanOrEqual(DEFAULT_HOT_THRESHOLD);
  });

  it('explains itself: parts per source with weight and shares summing to 1', () => {
    const { heat, parts } = heatBreakdown(
      [
        { source: 'hf', counts: { upvotes: 21, comments: 2, githubStars: 25 }, links: [{ url: 'https://huggingface.co/papers/2605.06554', label: 'HF' }] },
        { source: 's2', counts: { citations: 4, influentialCitations: 0 } },
      ],
      W,
    );
    expect(parts.map((p) => p.source)).toEqual(['hf', 's2']);
    expect(parts[1]!.weight).toBe(0.5);
    expect(parts.reduce((n, p) => n + p.share, 0)).toBeCloseTo(1, 9);
    expect(parts.reduce((n, p) => n + p.score, 0)).toBeCloseTo(heat, 9);
    expect(parts[0]!.links).toHaveLength(1);
  });

  it('heatOf is exactly the heat of heatBreakdown, for any weights', () => {
    const settingArb = fc.record({ enabled: fc.boolean(), weight: fc.oneof(fc.double({ min: 0, max: 5, noNaN: true }), fc.constant(0)) });
    const settingsArb = fc.record(Object.fromEntries(SOURCE_IDS.map((id) => [id, settingArb])) as Record<SourceId, typeof settingArb>);
    fc.assert(
      fc.property(signalsArb, settingsArb, (signals, settings) => {
        expect(Object.is(heatOf(signals, settings), heatBreakdown(signals, settings).heat)).toBe(true);
      }),
    );
  });

  it('a disabled source or weight 0 contributes nothing', () => {
    const sig: SignalLike[] = [{ source: 'x', counts: { retweets: 45, likes: 153, posts: 1 } }];
    expect(heatOf(sig, W)).toBe(0); // X is off by default
    expect(heatOf(sig, { ...W, x: { enabled: true, weight: 0 } })).toBe(0);
    expect(heatOf(sig, { ...W, x: { enabled: true, weight: 1 } })).toBeGreaterThan(0);
  });
});

describe('X ranks as the Hot Papers digests did', () => {
  const xOnly = { ...DEFAULT_SETTINGS.sources, hf: { enabled: false, weight: 1 }, hn: { enabled: false, weight: 1 }, bluesky: { enabled: false, weight: 1 }, s2: { enabled: false, weight: 1 }, x: { enabled: true, weight: 1 } };
  const xHeat = (retweets: number, likes: number) => heatOf([{ source: 'x', counts: { retweets, likes, posts: 1 } }], xOnly);

  it('a retweet weighs the same as a like: 7 + 48 is above 12 + 39', () => {
    expect(xHeat(7, 48)).toBeGreaterThan(xHeat(12, 39));
    expect(xHeat(0, 50)).toBeGreaterThan(xHeat(49, 0));
  });

  it('on equal retweets + favorites, more favorites first; a whole count always wins', () => {
    expect(xHeat(10, 40)).toBeGreaterThan(xHeat(20, 30));
    fc.assert(
      fc.property(fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }), fc.nat({ max: 100_000 }), (r1, l1, r2, l2) => {
        const a = xHeat(r1, l1);
        const b = xHeat(r2, l2);
        const want = r1 + l1 - (r2 + l2) || l1 - l2;
        expect(Math.sign(a - b)).toBe(Math.sign(want));
      }),
    );
  });

  it('the ranking of a day is retweets + favorites, ties to favorites', () => {
    const counts: [string, number, number][] = [['a', 12, 39], ['b', 7, 48], ['c', 45, 153], ['d', 20, 30], ['e', 10, 40], ['f', 0, 0]];
    const views: PaperView[] = counts.map(([id, retweets, likes]) => {
      const { heat, parts } = heatBreakdown([{ source: 'x', counts: { retweets, likes, posts: 1 } }], xOnly);
      return { paper: paper(id, '2026-05-18'), heat, velocity: 0, parts, history: [], watched: false, isNew: false };
    });
    expect(rankViews(views, 'today', NOW).map((v) => v.paper.id)).toEqual(['c', 'b', 'a', 'e', 'd', 'f']);
  });
});

describe('velocity and history from snapshots', () => {
  const snap = (t: number, points: number): Snapshot => ({ paperId: 'p', source: 'hn', t, counts: { points, comments: 0 } });

  it('is heat gained per hour over the last 6 hours', () => {
    const snaps = [snap(NOW - 10 * H, 10), snap(NOW - 6 * H, 30), snap(NOW - 1 * H, 120)];
    const v = velocity(snaps, NOW, W);
    const expected = (heatAt(snaps, NOW, W) - heatAt(snaps, NOW - 6 * H, W)) / 6;
    expect(v).toBeCloseTo(expected, 9);
    expect(v).toBeGreaterThan(0);
  });

  it('is 0 without history, and the first reading of existing counts is not a surge', () => {
    expect(velocity([], NOW, W)).toBe(0);
    expect(velocity([snap(NOW - 5 * 60_000, 500)], NOW, W)).toBe(0);
    // First seen 3 h ago with 100 points, now 100: no gain.
    expect(velocity([snap(NOW - 3 * H, 100)], NOW, W)).toBe(0);
  });

  it('history gives heat after each snapshot, oldest first', () => {
    const hist = heatHistory([snap(NOW - 2 * H, 50), snap(NOW - 4 * H, 10)], W);
    expect(hist.map((h) => h.t)).toEqual([NOW - 4 * H, NOW - 2 * H]);
    expect(hist[0]!.heat).toBeLessThan(hist[1]!.heat);
  });
});

describe('rankViews', () => {
  it('older papers with equal signals rank lower in "today"', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1000, noNaN: true }), fc.integer({ min: 1, max: 10 }), (heat, olderBy) => {
        const newer = view('a', heat, '2026-05-18');
        const older = view('b', heat, `2026-05-${String(18 - olderBy).padStart(2, '0')}`);
        expect(rankViews([older, newer], 'today', NOW).map((v) => v.paper.id)).toEqual(['a', 'b']);
      }),
    );
  });

  it('ties keep their input order (stable)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 }), fc.constantFrom('today' as const, 'week' as const, 'watchlist' as const), (heats, v) => {
        const views = heats.map((h, i) => view(`p${i}`, h, '2026-05-18'));
        const ranked = rankViews(views, v, NOW);
        for (let i = 1; i < ranked.length; i++) {
          const a = ranked[i - 1]!;
          const b = ranked[i]!;
          expect(a.heat).toBeGreaterThanOrEqual(b.heat);
          if (a.heat === b.heat) expect(views.indexOf(a)).toBeLessThan(views.indexOf(b));
        }
      }),
    );
  });

  it('the watchlist ranks by heat alone; "week" forgives age more than "today"', () => {
    const old = view('old', 30, '2026-05-15');
    const fresh = view('fresh', 10, '2026-05-18');
    expect(rankViews([fresh, old], 'watchlist', NOW)[0]!.paper.id).toBe('old');
    expect(rankViews([fresh, old], 'today', NOW)[0]!.paper.id).toBe('fresh');
    expect(rankViews([fresh, old], 'week', NOW)[0]!.paper.id).toBe('old');
  });

  it('does not mutate its input', () => {
    const views = [view('a', 1, '2026-05-18'), view('b', 2, '2026-05-18')];
    rankViews(views, 'today', NOW);
    expect(views.map((v) => v.paper.id)).toEqual(['a', 'b']);
  });
});

/** rankViews as it was written before it was made fast: a comparator sort of decorated views. */
function referenceRank(views: PaperView[], v: HotView, now: number): PaperView[] {
  return views
    .map((x, i) => ({ x, i, s: rankScore(x, v, now) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((d) => d.x);
}

describe('fast ranking = the straightforward ranking', () => {
  const viewArb = fc.constantFrom<HotView>('today', 'week', 'watchlist');
  // Few distinct heats and days so that ties are common; the odd values (-0, ±Infinity, NaN, negative) too.
  const heatArb = fc.oneof(fc.constantFrom(0, -0, 1, 2.5, 10, Infinity, NaN), fc.double(), fc.double({ min: 0, max: 50, noNaN: true }));
  const announcedArb = fc.constantFrom(undefined, '', '2026-05-18', '2026-05-17', '2026-05-12', '2026-05-19', '2026-02-30', '18 May 2026', '2026-5-1');
  const viewsArb = fc.array(
    fc.record({ heat: heatArb, announced: announcedArb, firstSeen: fc.integer({ min: NOW - 30 * 24 * H, max: NOW + 24 * H }) }),
    { maxLength: 60 },
  ).map((rows) => rows.map((r, i): PaperView => ({ paper: paper(`p${i}`, r.announced, { firstSeen: r.firstSeen }), heat: r.heat, velocity: 0, parts: [], history: [], watched: false, isNew: false })));

  it('rankViews orders exactly like a comparator sort by rankScore, ties in input order', () => {
    fc.assert(
      fc.property(viewsArb, viewArb, fc.integer({ min: NOW - 48 * H, max: NOW + 48 * H }), (views, v, now) => {
        const fast = rankViews(views, v, now);
        const slow = referenceRank(views, v, now);
        expect(fast.every((x, i) => x === slow[i])).toBe(true);
      }),
    );
  });

  it('rankScores gives rankScore of each view, bit for bit', () => {
    fc.assert(
      fc.property(viewsArb, viewArb, fc.integer({ min: NOW - 48 * H, max: NOW + 48 * H }), (views, v, now) => {
        const scores = rankScores(views, v, now);
        views.forEach((x, i) => expect(Object.is(scores[i], rankScore(x, v, now))).toBe(true));
      }),
    );
  });

  const byComparator = (scores: number[]) => scores.map((_, i) => i).sort((i, j) => scores[j]! - scores[i]! || i - j);

  it('descendingOrder is the stable descending order of any scores', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, -1, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE)), { maxLength: 200 }), (scores) => {
        expect([...descendingOrder(Float64Array.from(scores))]).toEqual(byComparator(scores));
      }),
    );
  });

  it('descendingOrder on a long list (the wide-digit path), with many ties', () => {
    // 40,000 scores spread from a small pool by a seeded generator, so a failure shrinks the pool and
    // the seed rather than a 40,000-element array.
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 300 }), fc.nat(), (pool, seed) => {
        let x = seed;
        const scores = Array.from({ length: 40_000 }, () => {
          x = (Math.imul(x, 1_664_525) + 1_013_904_223) >>> 0;
          return pool[x % pool.length]! * 0.5 ** (x % 7);
        });
        const fast = descendingOrder(Float64Array.from(scores));
        const slow = byComparator(scores);
        expect(slow.findIndex((i, k) => fast[k] !== i)).toBe(-1);
      }),
      { numRuns: 5 },
    );
  });
});

describe('bot and author posts weigh less (issue 16)', () => {
  const person = { likes: 30, reposts: 5, replies: 2, quotes: 0, accounts: 1 };
  const asKind = (kind: 'bot' | 'author') => ({ likes: 0, reposts: 0, replies: 0, quotes: 0, accounts: 0, ...Object.fromEntries(Object.entries(person).map(([k, v]) => [`${kind}_${k}`, v])) });
  const heat = (counts: Record<string, number>, over: Partial<typeof DEFAULT_SETTINGS.sources.bluesky> = {}) =>
    heatOf([{ source: 'bluesky', counts }], { ...DEFAULT_SETTINGS.sources, bluesky: { ...DEFAULT_SETTINGS.sources.bluesky, ...over } });

  it('the same engagement counts less from a bot than from the authors, and less from the authors than from anyone else', () => {
    expect(heat(asKind('bot'))).toBeGreaterThan(0);
    expect(heat(asKind('bot'))).toBeLessThan(heat(asKind('author')));
    expect(heat(asKind('author'))).toBeLessThan(heat(person));
  });

  it('the weights are the settings: 1 counts a bot like anyone else, 0 not at all', () => {
    expect(DEFAULT_SETTINGS.sources.bluesky).toMatchObject({ botWeight: 0.2, authorWeight: 0.5 });
    expect(heat(asKind('bot'), { botWeight: 1 })).toBeCloseTo(heat(person));
    expect(heat(asKind('bot'), { botWeight: 0 })).toBe(0);
    expect(heat(asKind('author'), { authorWeight: 1 })).toBeCloseTo(heat(person));
    // E = weight × engagement: a bot at 0.2 is a fifth of a person's engagement.
    const e = (c: number) => 5 * Math.log2(1 + c / SOURCE_MODELS.bluesky.scale);
    expect(heat(asKind('bot'))).toBeCloseTo(e(0.2 * (30 + 2 * 5 + 2)));
  });

  it('the breakdown carries the weights it used', () => {
    const { parts } = heatBreakdown([{ source: 'bluesky', counts: asKind('bot') }], { ...DEFAULT_SETTINGS.sources, bluesky: { ...DEFAULT_SETTINGS.sources.bluesky, botWeight: 0.3 } });
    expect(parts[0]).toMatchObject({ botWeight: 0.3, authorWeight: 0.5 });
  });
});
