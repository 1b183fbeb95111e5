// @vitest-environment happy-dom
/**
 * Issue 16: the breakdown shows bot posts and the authors' own posts apart from everyone else's,
 * with the weight they get in heat (a setting), in the popup and on the page.
 */
import { render } from 'preact';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScoreBreakdown } from '../../components/ScoreBreakdown';
import { countsText } from '../../lib/content/format';
import { heatBreakdown } from '../../lib/rank/heat';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import type { PaperView } from '../../lib/types';
import { paper } from '../unit/source-test-kit';
import { useEnglish } from '../unit/popup-test-kit';

// Counts as lib/sources/bluesky.ts writes them: people, bots (`bot_`) and authors (`author_`).
const COUNTS = { likes: 20, reposts: 4, replies: 0, quotes: 0, accounts: 3, bot_likes: 12, bot_reposts: 3, bot_replies: 1, bot_quotes: 0, bot_accounts: 1, author_likes: 30, author_reposts: 5, author_replies: 2, author_quotes: 0, author_accounts: 1 };

let root: HTMLElement;
beforeAll(() => useEnglish());
afterEach(() => render(null, root));

function view(): PaperView {
  const { heat, parts } = heatBreakdown([{ source: 'bluesky', counts: COUNTS }], DEFAULT_SETTINGS.sources);
  return { paper: paper('2605.15220', '2026-05-18'), heat, velocity: 0, parts, history: [], watched: false, isNew: false };
}

describe('breakdown of a source with bot and author posts', () => {
  it('the popup lists people, bot posts and the authors\' own posts on separate lines, each kind with its weight', () => {
    root = document.createElement('div');
    document.body.appendChild(root);
    render(<ScoreBreakdown view={view()} />, root);
    const cell = root.querySelector('table.breakdown tbody td')!;
    expect(cell.firstChild!.textContent).toBe('likes 20, reposts 4, replies 0, quotes 0, accounts 3');
    expect([...cell.querySelectorAll('.kind')].map((d) => [d.className, d.textContent])).toEqual([
      ['kind kind-bot', 'bot posts (×0.2): likes 12, reposts 3, replies 1, accounts 1'],
      ["kind kind-author", "the authors' own posts (×0.5): likes 30, reposts 5, replies 2, accounts 1"],
    ]);
  });

  it('the page breakdown shows them apart too', () => {
    expect(countsText('bluesky', COUNTS)).toBe("20 likes, 4 reposts, 3 accounts · bot posts: 12 likes, 3 reposts, 1 replies, 1 accounts · the authors' own posts: 30 likes, 5 reposts, 2 replies, 1 accounts");
  });
});
