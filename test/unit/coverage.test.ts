/**
 * Issue 16: the popup's "signals for N of M papers today", checked against a count made by hand on
 * the recorded day 2026-05-18 (test/fixtures/arxiv_new_daily-arXiv-ai-enhanced_2026-05-18.jsonl,
 * 228 distinct papers) with the real Hugging Face reply recorded that day.
 *
 * The hand count (test/fixtures/hf_daily_papers_2026-05-18.json against the day's ids): 7 of the
 * day's papers are on Daily Papers — 2605.15320 (1 upvote), 2605.15963 (2 upvotes, 1 comment, 1 star),
 * 2605.15301 (1 upvote, 1 comment), 2605.15871 (all 0), 2605.15980 (1 upvote, 7 stars),
 * 2605.16143 (all 0), 2605.15256 (8 upvotes, 1 comment, 9 stars) — so 5 have a signal.
 */
import { describe, expect, it } from 'vitest';
import { coverageOf, hasSignal } from '../../lib/rank/coverage';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import { huggingFace } from '../../lib/sources/hugging-face';
import { openHotDb, storePapers } from '../../lib/store/db';
import type { ListingEntry, SignalRecord } from '../../lib/types';
import { collectSignals } from '../../lib/worker/signals';
import { todayCoverage } from '../../lib/worker/poll';
import { coverageText } from '../../components/StatusLine';
import { useEnglish } from './popup-test-kit';
import { fakeFetch, fixture, json, paper } from './source-test-kit';

const DAY = '2026-05-18';
const lines = fixture(`arxiv_new_daily-arXiv-ai-enhanced_${DAY}.jsonl`).trim().split('\n').map((l) => JSON.parse(l) as { id: string; categories: string[]; authors: string[]; title: string });
const byId = new Map(lines.map((l) => [l.id, l]));
const papers = [...byId.values()].map((l) => paper(l.id, DAY, { categories: l.categories, primaryCategory: l.categories[0]!, authors: l.authors, title: l.title }));
// Each paper listed under its primary category (the recording keeps new submissions and cross-lists whose primary was crawled).
const listings: ListingEntry[] = papers.map((p) => ({ day: DAY, category: p.primaryCategory, id: p.id, announceType: 'new' }));
// Follow every primary category of the recording, so the Today view is the whole recorded day.
const settings = { ...structuredClone(DEFAULT_SETTINGS), categories: [...new Set(papers.map((p) => p.primaryCategory))] };

describe('coverage of the recorded day', () => {
  it('matches the hand count: signals for 5 of 228 papers, Hugging Face 5, the sources without data 0', async () => {
    useEnglish();
    const db = await openHotDb(`coverage-${Math.random()}`);
    await storePapers(db, papers, listings);
    const { fetch } = fakeFetch((url) => json(url.includes(`date=${DAY}`) ? fixture('hf_daily_papers_2026-05-18.json') : '[]'));
    const storage = { data: {} as Record<string, unknown>, get: async (k: string) => ({ [k]: undefined }), set: async () => {} };
    await collectSignals({ db, settings, storage, fetch, now: () => Date.parse(`${DAY}T12:00:00Z`), sleep: async () => {}, sources: [huggingFace] }, papers);
    const c = await todayCoverage(db, settings);
    expect(c).toEqual({ day: DAY, papers: 228, withSignal: 5, bySource: { hf: 5, alphaxiv: 0, hn: 0, bluesky: 0, s2: 0 } });
    expect(coverageText(c)).toBe('Signals for 5 of 228 papers today (Hugging Face 5, alphaXiv 0, Hacker News 0, Bluesky 0, Semantic Scholar 0)');
    // The popup's stored preview comes back from storage.session with its keys sorted: the same line.
    const sorted = { ...c, bySource: Object.fromEntries(Object.entries(c.bySource).sort(([a], [b]) => a.localeCompare(b))) };
    expect(Object.keys(sorted.bySource)).toEqual(['alphaxiv', 'bluesky', 'hf', 'hn', 's2']);
    expect(coverageText(sorted)).toBe(coverageText(c));
  });

  it('counts a paper once however many sources have it, and only sources switched on', () => {
    const signals = new Map<string, SignalRecord[]>([
      ['a', [{ paperId: 'a', source: 'hf' as const, counts: { upvotes: 1 }, links: [], fetchedAt: 0 }, { paperId: 'a', source: 'alphaxiv' as const, counts: { votes: 3 }, links: [], fetchedAt: 0 }]],
      ['b', [{ paperId: 'b', source: 'x' as const, counts: { likes: 9 }, links: [], fetchedAt: 0 }]],
      // A bot post nobody engaged with: an account, no signal.
      ['c', [{ paperId: 'c', source: 'bluesky' as const, counts: { likes: 0, bot_likes: 0, bot_accounts: 1 }, links: [], fetchedAt: 0 }]],
    ]);
    const c = coverageOf(DAY, ['a', 'b', 'c', 'd'], signals, DEFAULT_SETTINGS);
    expect(c).toEqual({ day: DAY, papers: 4, withSignal: 1, bySource: { hf: 1, alphaxiv: 1, hn: 0, bluesky: 0, s2: 0 } });
    expect(hasSignal({ counts: { bot_likes: 2, bot_accounts: 1 } })).toBe(true);
  });
});
