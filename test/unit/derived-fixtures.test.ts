import { describe, expect, it } from 'vitest';
import { hackerNews } from '../../lib/sources/hacker-news';
import { huggingFace } from '../../lib/sources/hugging-face';
import { fakeFetch, fixture, json, paper, sourceEnv } from './source-test-kit';

// Derived replay data for the e2e tests (see test/fixtures/derived/README.md).
const HF = fixture('derived/hf_daily_papers_derived.json');
const HN = fixture('derived/hn_algolia_derived.json');
const expected = JSON.parse(fixture('derived/expected.json')) as {
  ids: string[];
  hf: { from: string; to: string; upvotes: number; comments: number; githubStars: number }[];
  hn: Record<string, { points: number; comments: number }>;
};
const papers = expected.ids.map((id) => paper(id, '2023-10-26'));

describe('derived e2e replay data', () => {
  it('differs from the real HF capture only in the re-keyed ids', () => {
    const real = JSON.parse(fixture('hf_daily_papers_2026-05-18.json')) as { paper: { id: string } }[];
    const derived = JSON.parse(HF) as { paper: { id: string } }[];
    const rekey = new Map(expected.hf.map((r) => [r.from, r.to]));
    const back = derived.map((e, i) => ({ ...e, paper: { ...e.paper, id: real[i]!.paper.id } }));
    expect(back).toEqual(real);
    expect(derived.map((e) => e.paper.id)).toEqual(real.map((e) => rekey.get(e.paper.id) ?? e.paper.id));
  });

  it('the HF source reads the derived reply into the expected counts for the feed papers', async () => {
    const { fetch } = fakeFetch(() => json(HF));
    const res = await huggingFace.fetchSignals(papers, sourceEnv(fetch));
    for (const r of expected.hf) {
      expect(res.signals.find((s) => s.paperId === r.to)!.counts).toEqual({ upvotes: r.upvotes, comments: r.comments, githubStars: r.githubStars });
    }
  });

  it('the HN source reads the derived reply into the expected counts for the feed papers', async () => {
    const { fetch } = fakeFetch(() => json(HN));
    const res = await hackerNews.fetchSignals(papers, sourceEnv(fetch));
    expect(Object.fromEntries(res.signals.map((s) => [s.paperId, s.counts]))).toEqual(expected.hn);
  });
});
