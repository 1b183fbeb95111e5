import { describe, expect, it } from 'vitest';
import { HF_LIMIT, HF_MAX_REQUESTS, hfDates, huggingFace, isoWeek, parseDailyPapers } from '../../lib/sources/hugging-face';
import { SourceError } from '../../lib/sources/types';
import { failureModes, fakeFetch, fixture, json, memState, NOW, paper, sourceEnv } from './source-test-kit';

const DAILY = fixture('hf_daily_papers_2026-05-18.json');
const DETAIL = fixture('hf_paper_2605.06554.json');

// Papers as the cache would hold them: the real HF entries' ids, announced on arXiv on the 15th.
const papers = [paper('2605.06554', '2026-05-15'), paper('2605.13301', '2026-05-15'), paper('2605.15320', '2026-05-15'), paper('2605.99999', '2026-05-15')];

function okFetch() {
  return fakeFetch((url) => (url.includes('date=2026-05-15') ? json(DAILY, 200, { ETag: 'W/"dp-15"' }) : json('[]')));
}

describe('Hugging Face daily papers — recorded reply of 2026-05-18', () => {
  it('parses every entry of the real reply', () => {
    const entries = parseDailyPapers(JSON.parse(DAILY));
    expect(entries).toHaveLength(50);
    // Counts as recorded; numComments sits on the daily entry, githubStars on the paper.
    expect(entries.find((e) => e.id === '2605.06554')).toEqual({ id: '2605.06554', upvotes: 21, comments: 2, githubStars: 25 });
    expect(entries.find((e) => e.id === '2605.13301')).toEqual({ id: '2605.13301', upvotes: 140, comments: 4, githubStars: 70 });
    // An entry without a GitHub repo has no githubStars: it counts as 0, not NaN.
    expect(entries.find((e) => e.id === '2605.15320')).toEqual({ id: '2605.15320', upvotes: 1, comments: 0, githubStars: 0 });
  });

  it('agrees with the single-paper endpoint recorded the same day', () => {
    const detail = JSON.parse(DETAIL) as { id: string; upvotes: number; githubStars: number };
    const fromList = parseDailyPapers(JSON.parse(DAILY)).find((e) => e.id === detail.id)!;
    expect(fromList.upvotes).toBe(detail.upvotes);
    expect(fromList.githubStars).toBe(detail.githubStars);
  });

  it('returns counts and an HF link only for the papers asked about', async () => {
    const { fetch } = okFetch();
    const res = await huggingFace.fetchSignals(papers, sourceEnv(fetch));
    const ids = res.signals.map((s) => s.paperId).sort();
    expect(ids).toEqual(['2605.06554', '2605.13301', '2605.15320']);
    const s = res.signals.find((x) => x.paperId === '2605.13301')!;
    expect(s.counts).toEqual({ upvotes: 140, comments: 4, githubStars: 70 });
    expect(s.links).toEqual([{ url: 'https://huggingface.co/papers/2605.13301', label: 'Hugging Face paper page' }]);
  });

  it('sends one request per daily-papers date and one for the rest of the week, however many papers there are', async () => {
    const many = Array.from({ length: 300 }, (_, i) => paper(`2605.${String(10000 + i)}`, i % 2 ? '2026-05-14' : '2026-05-15'));
    const { fetch, calls } = okFetch();
    const res = await huggingFace.fetchSignals(many, sourceEnv(fetch));
    expect(HF_MAX_REQUESTS).toBe(huggingFace.maxRequests);
    const asked = calls.map((c) => new URL(c.url).searchParams);
    expect(asked.map((q) => q.get('date')).filter(Boolean).sort()).toEqual(['2026-05-15', '2026-05-16']);
    // The 14th is no date asked for: its ISO week (Mon 11 – Sun 17 May) is.
    expect(asked.map((q) => q.get('week')).filter(Boolean)).toEqual(['2026-W20']);
    expect(asked.every((q) => q.get('limit') === '100' && q.get('p') === '0')).toBe(true);
    expect(res.requests).toBe(HF_MAX_REQUESTS);
    expect(calls.every((c) => c.url.startsWith('https://huggingface.co/api/daily_papers?'))).toBe(true);
  });

  it('follows a full page of a day with its next page, within the budget', async () => {
    // Hand-assembled: the recorded 50 entries twice make a full page of 100; page 1 is the real reply.
    const full = JSON.stringify([...JSON.parse(DAILY), ...JSON.parse(DAILY)]);
    const { fetch, calls } = fakeFetch((url) => (url.includes('date=2026-05-18') ? json(url.endsWith('p=0') ? full : DAILY) : json('[]')));
    await huggingFace.fetchSignals([paper('2605.06554', '2026-05-18')], sourceEnv(fetch));
    expect(calls.map((c) => new URL(c.url).search)).toEqual(['?date=2026-05-18&limit=100&p=0', '?date=2026-05-18&limit=100&p=1']);
    expect(HF_LIMIT).toBe(100);
  });

  it('names ISO weeks as HF does (Monday first, the week of the Thursday)', () => {
    expect(isoWeek('2026-05-18')).toBe('2026-W21');
    expect(isoWeek('2026-05-17')).toBe('2026-W20');
    expect(isoWeek('2027-01-01')).toBe('2026-W53');
    expect(isoWeek('2025-12-29')).toBe('2026-W01');
  });

  it('reads a week= page like a day (the same reply format) and matches older days of the batch', async () => {
    const { fetch, calls } = fakeFetch((url) => (url.includes('week=2026-W20') ? json(DAILY) : json('[]')));
    // Announced Monday 18th (dates 18th, and 16th for the 15th's day after), and a paper of Friday
    // 15th whose own date the two asked dates leave out: the week covers it.
    const res = await huggingFace.fetchSignals([paper('2605.00001', '2026-05-18'), paper('2605.13301', '2026-05-15')], sourceEnv(fetch));
    expect(calls.map((c) => new URL(c.url).search)).toEqual(['?date=2026-05-18&limit=100&p=0', '?date=2026-05-16&limit=100&p=0', '?week=2026-W20&limit=100&p=0']);
    expect(res.signals.map((s) => [s.paperId, s.counts.upvotes])).toEqual([['2605.13301', 140]]);
  });

  it('asks for the announcement day and the day after, never the future, the most recent first', () => {
    expect(hfDates([paper('2605.00001', '2026-05-18')], NOW)).toEqual(['2026-05-18']);
    expect(hfDates([paper('2605.00001', '2026-05-15')], NOW)).toEqual(['2026-05-16', '2026-05-15']);
    const month = Array.from({ length: 20 }, (_, i) => paper(`2605.0000${i}`, `2026-05-${String(i + 1).padStart(2, '0')}`));
    expect(hfDates(month, NOW)).toEqual(['2026-05-18', '2026-05-17']);
    expect(hfDates(month, NOW, 8)).toHaveLength(8);
    expect(hfDates([paper('2605.00001')], NOW)).toEqual([]);
  });

  it('spends what the dates leave of the budget on single papers no date covers', async () => {
    // NOW's own UTC day has no "day after" yet: one date, then one single lookup.
    const today = new Date(NOW).toISOString().slice(0, 10);
    const { fetch, calls } = fakeFetch((url) => (url.includes('/api/papers/') ? json(DETAIL) : json('[]')));
    const res = await huggingFace.fetchSignals([paper('2605.00001', today), paper('2605.06554'), paper('2605.99999')], sourceEnv(fetch));
    expect(calls.map((c) => new URL(c.url).pathname + new URL(c.url).search)).toEqual([`/api/daily_papers?date=${today}&limit=100&p=0`, '/api/papers/2605.06554', '/api/papers/2605.99999']);
    expect(res.requests).toBe(3);
    expect(res.signals.map((s) => s.paperId)).toEqual(['2605.06554']);
  });

  it('304 Not Modified reuses the counts of the last full reply', async () => {
    const state = memState();
    const first = okFetch();
    const a = await huggingFace.fetchSignals(papers, sourceEnv(first.fetch, { state }));
    const second = fakeFetch((url) => (url.includes('date=2026-05-15') ? new Response(null, { status: 304 }) : json('[]')));
    const b = await huggingFace.fetchSignals(papers, sourceEnv(second.fetch, { state }));
    const conditional = second.calls.find((c) => c.url.includes('date=2026-05-15'))!;
    expect(conditional.headers['If-None-Match']).toBe('W/"dp-15"');
    expect(b.signals).toEqual(a.signals);
  });

  it('a 304 to a request that carried no validators is a bad payload, even with a cached copy of the day', async () => {
    // The e2e replay of a broken proxy: the day was cached from a reply without ETag/Last-Modified,
    // so the refresh asks unconditionally; "not modified" then confirms nothing about the copy.
    const state = memState();
    const first = fakeFetch((url) => (url.includes('date=2026-05-15') ? json(DAILY) : json('[]')));
    await huggingFace.fetchSignals(papers, sourceEnv(first.fetch, { state }));
    const second = fakeFetch(() => new Response(null, { status: 304 }));
    const err = await huggingFace.fetchSignals(papers, sourceEnv(second.fetch, { state })).catch((e: unknown) => e);
    expect(second.calls.every((c) => !('If-None-Match' in c.headers) && !('If-Modified-Since' in c.headers))).toBe(true);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('bad-payload');
    expect((err as SourceError).message).toMatch(/^Hugging Face said "not modified"/);
  });

  it('skips malformed entries and keeps the good ones', async () => {
    const real = JSON.parse(DAILY) as unknown[];
    // Hand-made edge cases mixed into the real reply: no paper, id of the wrong type, negative and string counts.
    const mixed = [null, { paper: null }, { paper: { id: 42 } }, { paper: { id: '2605.99999', upvotes: -5, githubStars: 'many' }, numComments: 'x' }, ...real];
    const { fetch } = fakeFetch(() => json(mixed));
    const res = await huggingFace.fetchSignals(papers, sourceEnv(fetch));
    expect(res.signals.find((s) => s.paperId === '2605.99999')!.counts).toEqual({ upvotes: 0, comments: 0, githubStars: 0 });
    expect(res.signals.find((s) => s.paperId === '2605.13301')!.counts.upvotes).toBe(140);
  });

  it('never builds links from payload URLs', async () => {
    const evil = [{ paper: { id: '2605.06554', upvotes: 3, githubRepo: 'javascript:alert(1)' }, numComments: 1, thumbnail: 'https://evil.example/' }];
    const { fetch } = fakeFetch(() => json(evil));
    const res = await huggingFace.fetchSignals([paper('2605.06554', '2026-05-15')], sourceEnv(fetch));
    expect(res.signals[0]!.links.map((l) => l.url)).toEqual(['https://huggingface.co/papers/2605.06554']);
  });

  it('asks the single-paper endpoint for papers no date covers (real record), 404 meaning "not on HF"', async () => {
    const { fetch, calls } = fakeFetch((url) => {
      if (url === 'https://huggingface.co/api/papers/2605.06554') return json(DETAIL);
      if (url.startsWith('https://huggingface.co/api/papers/')) return json({ error: 'Paper not found' }, 404);
      return json('[]');
    });
    // Looked up from an arXiv page: no announcement day known.
    const res = await huggingFace.fetchSignals([paper('2605.06554'), paper('2605.99999')], sourceEnv(fetch));
    expect(res.signals).toEqual([
      { paperId: '2605.06554', counts: { upvotes: 21, comments: 0, githubStars: 25 }, links: [{ url: 'https://huggingface.co/papers/2605.06554', label: 'Hugging Face paper page' }] },
    ]);
    expect(calls.map((c) => c.url)).toEqual(['https://huggingface.co/api/papers/2605.06554', 'https://huggingface.co/api/papers/2605.99999']);
  });

  it('bounds single-paper lookups per run', async () => {
    const { fetch, calls } = fakeFetch(() => json({ error: 'Paper not found' }, 404));
    await huggingFace.fetchSignals(Array.from({ length: 40 }, (_, i) => paper(`2605.${String(20000 + i)}`)), sourceEnv(fetch));
    expect(calls).toHaveLength(HF_MAX_REQUESTS);
  });

  describe('failure modes', () => {
    failureModes({
      source: huggingFace,
      papers,
      ok: () => json(DAILY),
      target: (url) => url.includes('date=2026-05-15'),
      truncated: DAILY.slice(0, 5000),
      authAs: 'http',
    });
  });

  describe('failure modes of the single-paper endpoint', () => {
    failureModes({
      source: huggingFace,
      papers: [paper('2605.06554')],
      ok: () => json(DETAIL),
      target: (url) => url.startsWith('https://huggingface.co/api/papers/'),
      truncated: DETAIL.slice(0, 800),
      authAs: 'http',
    });
  });
});
