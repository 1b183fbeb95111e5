import { describe, expect, it } from 'vitest';
import { readableCounts, readablePaper, readableSignal, readableSnapshot } from '../../lib/store/readable-records';
import type { Paper, SignalRecord } from '../../lib/types';

const good: Paper = { id: '2310.16106', version: 1, title: 'T', authors: ['A'], abstract: 'x', categories: ['cs.CV'], primaryCategory: 'cs.CV', firstSeen: 1, updatedAt: 1, origin: 'rss' };

describe('records read back from the cache', () => {
  it('are returned as the same object when well formed (nothing copied on the hot path)', () => {
    expect(readablePaper(good)).toBe(good);
    const s: SignalRecord = { paperId: good.id, source: 'hf', counts: { upvotes: 3 }, links: [], fetchedAt: 1 };
    expect(readableSignal(s)).toBe(s);
    const snap = { paperId: good.id, source: 'hf' as const, t: 1, counts: { upvotes: 3 } };
    expect(readableSnapshot(snap)).toBe(snap);
  });

  it('are repaired field by field when damaged, and dropped only without an id', () => {
    expect(readablePaper({ ...good, title: 5, authors: ['A', null], categories: null, primaryCategory: undefined })).toEqual({ ...good, title: '', authors: ['A'], categories: [], primaryCategory: '' });
    expect(readablePaper({ ...good, primaryCategory: 3 })?.primaryCategory).toBe('cs.CV');
    for (const bad of [null, undefined, 'x', { ...good, id: 7 }, { ...good, id: '' }]) expect(readablePaper(bad)).toBeNull();
    expect(readableCounts({ upvotes: 'many', comments: 2, x: NaN, y: null, z: Infinity })).toEqual({ comments: 2 });
    for (const bad of [null, undefined, 3, 'n', [1, 2]]) expect(readableCounts(bad)).toEqual({});
    const s = readableSignal({ paperId: good.id, source: 'hn', counts: null as never, links: 'x' as never, fetchedAt: 1 });
    expect(s).toEqual({ paperId: good.id, source: 'hn', counts: {}, links: [], fetchedAt: 1 });
  });
});
