// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScoreBreakdown } from '../../components/ScoreBreakdown';
import { SourceStatus } from '../../components/SourceStatus';
import type { PaperView, SourcePost } from '../../lib/types';
import { dropRoot, newRoot, realPapers, useEnglish } from '../unit/popup-test-kit';

let root: HTMLElement;
beforeAll(useEnglish);
beforeEach(() => {
  root = newRoot();
});
afterEach(() => dropRoot(root));

// HAND-MADE posts (the X source's kept-post shape); the first one carries markup that must stay text.
const posts: SourcePost[] = [
  { id: '1900000000000000002', url: 'https://x.com/bob/status/1900000000000000002', handle: 'bob', name: 'Bob', text: 'Read <b>this</b> https://arxiv.org/abs/2310.16106', createdAt: '2026-05-18T03:00:00.000Z', retweets: 20, likes: 90 },
  { id: '1900000000000000001', url: 'https://x.com/alice/status/1900000000000000001', handle: 'alice', name: 'Alice', text: 'x'.repeat(400), createdAt: '2026-05-18T02:00:00.000Z', retweets: 3, likes: 10 },
  { id: '1900000000000000003', url: 'javascript:alert(1)', handle: 'eve', name: 'Eve', text: 'bad link', createdAt: '', retweets: 99, likes: 99 },
];

describe('X in the popup', () => {
  it('the breakdown lists the top posts with their author, counts and text, linked to x.com', () => {
    const paper = realPapers()[0]!;
    const view: PaperView = {
      paper,
      heat: 12,
      velocity: 0,
      parts: [{ source: 'x', counts: { retweets: 23, likes: 100, posts: 2 }, weight: 1, score: 12, share: 1, links: [], posts }],
      history: [],
      watched: false,
      isNew: false,
    };
    render(<ScoreBreakdown view={view} />, root);
    expect(root.querySelector('table')!.textContent).toContain('retweets: 23, favorites: 100');
    const items = [...root.querySelectorAll('.discussion.src-x li.top-post')];
    expect(items).toHaveLength(2);
    const first = items[0]!;
    expect(first.querySelector('a')!.getAttribute('href')).toBe('https://x.com/bob/status/1900000000000000002');
    expect(first.querySelector('a')!.textContent).toBe('@bob');
    expect(first.querySelector('.post-counts')!.textContent).toBe('20 retweets, 90 likes');
    expect(first.querySelector('.post-text')!.textContent).toBe('Read <b>this</b> https://arxiv.org/abs/2310.16106');
    expect(first.querySelector('b')).toBeNull();
    expect(items[1]!.querySelector('.post-text')!.textContent!.length).toBeLessThanOrEqual(140);
    expect(root.innerHTML).not.toContain('javascript:');
  });

  it('the status line says how much of today\'s budget X has used, and when it is spent', () => {
    const day = new Date().toISOString().slice(0, 10);
    render(<SourceStatus sources={[{ source: 'x', state: 'ok', usage: { day, posts: 50, requests: 1, budget: 200 } }]} />, root);
    expect(root.textContent).toBe('X: ok · 50 of 200 posts today (≈ $0.25)');
    render(<SourceStatus sources={[{ source: 'x', state: 'ok', usage: { day, posts: 195, requests: 4, budget: 200 } }]} />, root);
    expect(root.textContent).toBe("X: ok · today's budget is spent (195 of 200 posts): no more X requests until 00:00 UTC");
    // Yesterday's use: nothing used today.
    render(<SourceStatus sources={[{ source: 'x', state: 'ok', usage: { day: '2000-01-01', posts: 200, requests: 4, budget: 200 } }]} />, root);
    expect(root.textContent).toBe('X: ok · 0 of 200 posts today (≈ $0.00)');
  });
});
