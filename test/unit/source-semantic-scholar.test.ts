import { describe, expect, it } from 'vitest';
import { PaperMatcher } from '../../lib/sources/paper-match';
import { parseBatch, S2_BATCH, semanticScholar } from '../../lib/sources/semantic-scholar';
import { failureModes, fakeFetch, fixture, json, paper, sourceEnv } from './source-test-kit';

// Real /paper/batch reply (2024-12-08) for 4 ids, the first not found (null). Its papers are not
// arXiv papers; the reply is positional, so the test asks for 4 arXiv ids and reads it in order.
const BATCH = fixture('s2_paper_batch.json');
const papers = [paper('2605.00001', '2026-05-15'), paper('2605.00002', '2026-05-15'), paper('2605.00003', '2026-05-15'), paper('hep-th/9901001')];

describe('Semantic Scholar batch — recorded reply', () => {
  it('reads citations per requested paper in order; null means not found', async () => {
    const { fetch, calls } = fakeFetch(() => json(BATCH));
    const res = await semanticScholar.fetchSignals(papers, sourceEnv(fetch));
    expect(res.signals.map((s) => [s.paperId, s.counts])).toEqual([
      ['2605.00002', { citations: 10670, influentialCitations: 578 }],
      ['2605.00003', { citations: 2185, influentialCitations: 245 }],
      ['hep-th/9901001', { citations: 0, influentialCitations: 0 }],
    ]);
    expect(res.signals[0]!.links).toEqual([{ url: 'https://www.semanticscholar.org/paper/c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce', label: 'Semantic Scholar page' }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.method).toBe('POST');
    expect(calls[0]!.url).toBe('https://api.semanticscholar.org/graph/v1/paper/batch?fields=externalIds,citationCount,influentialCitationCount');
    expect(JSON.parse(calls[0]!.body!)).toEqual({ ids: ['ARXIV:2605.00001', 'ARXIV:2605.00002', 'ARXIV:2605.00003', 'ARXIV:hep-th/9901001'] });
    expect(calls[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('sends the optional API key in x-api-key', async () => {
    const { fetch, calls } = fakeFetch(() => json(BATCH));
    await semanticScholar.fetchSignals(papers, sourceEnv(fetch, { credentials: { s2Key: 'k-123456789' } }));
    expect(calls[0]!.headers['x-api-key']).toBe('k-123456789');
  });

  it('sends one call of at most 500 ids per run, the first ones of the batch', async () => {
    const many = Array.from({ length: 1300 }, (_, i) => paper(`2605.${String(10000 + i)}`, '2026-05-15'));
    const { fetch, calls } = fakeFetch((_url, init) => json(JSON.parse(init!.body as string).ids.map(() => null)));
    const res = await semanticScholar.fetchSignals(many, sourceEnv(fetch));
    expect(calls.map((c) => JSON.parse(c.body!).ids)).toEqual([many.slice(0, S2_BATCH).map((p) => `ARXIV:${p.id}`)]);
    expect(res.requests).toBe(semanticScholar.maxRequests);
  });

  it('sends nothing for an empty batch', async () => {
    const { fetch, calls } = fakeFetch(() => json([]));
    expect(await semanticScholar.fetchSignals([], sourceEnv(fetch))).toEqual({ signals: [], requests: 0 });
    expect(calls).toHaveLength(0);
  });

  it('ignores an entry whose arXiv id names another paper, and a reply of the wrong length', () => {
    const m = new PaperMatcher([paper('2605.00001')]);
    expect(parseBatch([{ externalIds: { ArXiv: '2401.99999' }, citationCount: 5 }], ['2605.00001'], m)).toEqual([]);
    expect(parseBatch([{ externalIds: { ArXiv: '2605.00001' }, citationCount: 5 }], ['2605.00001'], m)[0]!.counts.citations).toBe(5);
    expect(() => parseBatch([null, null], ['2605.00001'], m)).toThrow(/different number/);
  });

  describe('failure modes', () => {
    failureModes({
      source: semanticScholar,
      papers,
      ok: () => json(BATCH),
      target: () => true,
      truncated: BATCH.slice(0, 1200),
      authAs: 'http',
    });
  });
});
