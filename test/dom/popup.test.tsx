// @vitest-environment happy-dom
import { render } from 'preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, FIRST_PAGE, firstPageOrTimeout, requestFirstPage, SEARCH_DEBOUNCE_MS } from '../../entrypoints/popup/App';
import type { HotList, MessageType, Req, Res } from '../../lib/messages';
import type { HotView, Paper, PaperView, PollReport } from '../../lib/types';
import { PREVIEW_VERSION, previewList } from '../../lib/popup/preview';
import type { UiApi } from '../../lib/popup/ui-api';
import { dropRoot, newRoot, realPapers, useEnglish } from '../unit/popup-test-kit';

const NOW = Date.parse('2023-10-26T15:00:00Z'); // a Thursday: no weekend notice
let papers: Paper[];
let root: HTMLElement;

const lastPoll: PollReport = { startedAt: NOW - 60_000, finishedAt: NOW - 55_000, reason: 'alarm', feeds: [{ feed: 'https://rss.arxiv.org/rss/cs.SE', status: 'ok', added: 5, unchanged: 0, skipped: 0 }], sources: [] };

function pv(paper: Paper, heat: number, extra: Partial<PaperView> = {}): PaperView {
  return { paper, heat, velocity: 0, parts: heat ? [{ source: 'hf', counts: { upvotes: heat * 2 }, weight: 1, score: heat, share: 1, links: [] }] : [], history: [], watched: false, isNew: false, ...extra };
}

/** Primary categories of `items`, most first, as the worker counts them. */
function counts(items: PaperView[]): [string, number][] {
  const byCat = new Map<string, number>();
  for (const v of items) byCat.set(v.paper.primaryCategory, (byCat.get(v.paper.primaryCategory) ?? 0) + 1);
  return [...byCat.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function hot(view: HotView, items: PaperView[], patch: Partial<HotList> = {}): HotList {
  return { view, day: '2023-10-26', items, total: items.length, categoryCounts: counts(items), lastPoll, sources: [{ source: 'hf', state: 'ok' }, { source: 'bluesky', state: 'auth-needed' }], polling: false, ...patch };
}

interface Fake extends UiApi {
  calls: { type: MessageType; payload: unknown }[];
  opened: string[];
}

function fakeApi(lists: Partial<Record<HotView, HotList>>, overrides: Partial<{ [K in MessageType]: (p: Req<K>) => Promise<Res<K>> }> = {}): Fake {
  const calls: Fake['calls'] = [];
  const opened: string[] = [];
  const api: Fake = {
    calls,
    opened,
    async request(type, payload) {
      calls.push({ type, payload });
      const o = overrides[type] as ((p: unknown) => Promise<unknown>) | undefined;
      if (o) return o(payload) as never;
      if (type === 'hotlist:get') return lists[(payload as Req<'hotlist:get'>).view] as never;
      if (type === 'popup:seen') return { ok: true } as never;
      if (type === 'poll:state') return { running: false, lastPoll, sources: [] } as never;
      throw new Error(`unexpected ${type}`);
    },
    openUrl: (url) => void opened.push(url),
    openOptions: () => undefined,
    now: () => NOW,
    online: () => true,
    copy: async () => undefined,
    download: () => undefined,
  };
  return api;
}

const flush = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const type = (input: HTMLInputElement, value: string) => {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
};
const rows = () => [...root.querySelectorAll<HTMLElement>('li[data-arxiv-id]')];
const rowIds = () => rows().map((r) => r.dataset.arxivId);
const accessibleName = (el: Element) => el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
const byName = (name: string) => [...root.querySelectorAll('button, [role=tab]')].filter((b) => accessibleName(b) === name) as HTMLButtonElement[];

async function mount(api: UiApi) {
  render(<App api={api} />, root);
  await flush();
}

beforeAll(() => {
  useEnglish();
  papers = realPapers().filter((p) => p.primaryCategory.startsWith('cs.'));
});
beforeEach(() => {
  root = newRoot();
});
afterEach(() => dropRoot(root));

describe('popup', () => {
  it('lists rows in ranked order with their normalized arXiv ids, and marks them seen', async () => {
    const items = [pv(papers[3]!, 40), pv(papers[0]!, 30, { isNew: true }), pv(papers[5]!, 0)];
    const api = fakeApi({ today: hot('today', items) });
    await mount(api);
    expect(rowIds()).toEqual([papers[3]!.id, papers[0]!.id, papers[5]!.id]);
    expect(rows()[0]!.querySelector('a.title')!.getAttribute('href')).toBe(`https://arxiv.org/abs/${papers[3]!.id}`);
    expect(rows()[1]!.textContent).toContain('new');
    expect(rows()[0]!.textContent).not.toContain('new');
    expect(api.calls.find((c) => c.type === 'popup:seen')!.payload).toEqual({ ids: items.map((v) => v.paper.id) });
    expect(root.textContent).toContain('Hugging Face: ok');
    expect(root.textContent).toContain('Bluesky: sign-in needed');
  });

  it('shows the first screenful asked for before the first render, then the full list, without asking twice', async () => {
    const items = papers.slice(0, 8).map((p, i) => pv(p, 20 - i));
    const full = hot('today', items);
    const firstScreen = hot('today', items.slice(0, 3), { total: items.length });
    const api = fakeApi({}, { 'hotlist:get': async (p) => (p.limit === FIRST_PAGE ? firstScreen : full) });
    const firstPage = requestFirstPage(api);
    expect(api.calls).toEqual([{ type: 'hotlist:get', payload: { view: 'today', limit: FIRST_PAGE } }]);
    render(<App api={api} firstPage={firstPage} />, root);
    await flush();
    expect(api.calls.filter((c) => c.type === 'hotlist:get').map((c) => c.payload)).toEqual([
      { view: 'today', limit: FIRST_PAGE },
      { view: 'today', limit: 200 },
    ]);
    expect(rowIds()).toEqual(items.map((v) => v.paper.id));
    expect(api.calls.find((c) => c.type === 'popup:seen')!.payload).toEqual({ ids: items.map((v) => v.paper.id) });
  });

  it('paints its first render with the first rows when they came in time, and after a short wait without them', async () => {
    const items = papers.slice(0, 4).map((p, i) => pv(p, 20 - i));
    const quick = requestFirstPage(fakeApi({ today: hot('today', items) }));
    await firstPageOrTimeout(quick, 1000);
    render(<App api={fakeApi({ today: hot('today', items) })} firstPage={quick} />, root);
    expect(rowIds()).toEqual(items.map((v) => v.paper.id));
    render(null, root);

    const never = requestFirstPage(fakeApi({}, { 'hotlist:get': () => new Promise(() => undefined) }));
    const t0 = Date.now();
    await firstPageOrTimeout(never, 30);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(never.ready).toBeUndefined();
  });

  it("paints the worker's stored preview when it comes first, then the worker's answer in its place", async () => {
    const before = papers.slice(0, 3).map((p, i) => pv(p, 20 - i, { isNew: true }));
    const now = [pv(papers[3]!, 30), ...before.map((v) => ({ ...v, isNew: false }))];
    let answer!: (l: HotList) => void;
    const api = fakeApi({ today: hot('today', now) }, { 'hotlist:get': (p) => (p.limit === FIRST_PAGE ? new Promise((r) => (answer = r)) : Promise.resolve(hot('today', now))) });
    const first = { ...requestFirstPage(api), preview: Promise.resolve(previewList(JSON.stringify({ v: PREVIEW_VERSION, list: hot('today', before) }))) };
    await firstPageOrTimeout(first, 1000);
    render(<App api={api} firstPage={first} />, root);
    // The first render has the preview's rows, "new" marks included.
    expect(rowIds()).toEqual(before.map((v) => v.paper.id));
    expect(rows().map((r) => r.querySelector('.new-mark') !== null)).toEqual([true, true, true]);
    answer(hot('today', now));
    await flush();
    expect(rowIds()).toEqual(now.map((v) => v.paper.id));
    expect(root.querySelector('.new-mark')).toBeNull();
  });

  it('waits for the answer when the stored preview is unusable (another version, broken rows)', async () => {
    const items = papers.slice(0, 2).map((p, i) => pv(p, 20 - i));
    for (const stored of [{ v: PREVIEW_VERSION + 1, list: hot('today', items) }, { v: PREVIEW_VERSION, list: { ...hot('today', items), items: [{}] } }]) {
      let answer!: (l: HotList) => void;
      const api = fakeApi({}, { 'hotlist:get': () => new Promise((r) => (answer = r)) });
      const first = { ...requestFirstPage(api), preview: Promise.resolve(previewList(JSON.stringify(stored))) };
      const t0 = Date.now();
      await firstPageOrTimeout(first, 40);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(30);
      expect(first.ready).toBeUndefined();
      answer(hot('today', items));
      await firstPageOrTimeout(first, 1000);
      expect(first.ready?.items).toEqual(items);
    }
  });

  it('has one button named exactly "Refresh" that shows progress while the poll runs', async () => {
    let finish!: () => void;
    const after = hot('today', [pv(papers[1]!, 12)]);
    const lists = { today: hot('today', [pv(papers[0]!, 5)]) };
    const api = fakeApi(lists, {
      'poll:run': () =>
        new Promise((resolve) => {
          finish = () => {
            lists.today = after;
            resolve({ started: true, report: lastPoll });
          };
        }),
    });
    await mount(api);
    const [refresh] = byName('Refresh');
    expect(byName('Refresh')).toHaveLength(1);
    refresh!.click();
    await flush();
    expect(refresh!.getAttribute('aria-busy')).toBe('true');
    expect(accessibleName(refresh!)).toBe('Refresh');
    expect(root.querySelector('[role=status].live')!.textContent).toBe('Refreshing…');
    finish();
    await flush();
    expect(refresh!.getAttribute('aria-busy')).toBe('false');
    expect(rowIds()).toEqual([papers[1]!.id]);
  });

  it('switches between Today, This week and Watchlist', async () => {
    const api = fakeApi({ today: hot('today', [pv(papers[0]!, 5)]), week: hot('week', [pv(papers[2]!, 9), pv(papers[0]!, 5)]), watchlist: hot('watchlist', []) });
    await mount(api);
    const tab = (name: string) => byName(name)[0]!;
    expect(tab('Today').getAttribute('aria-selected')).toBe('true');
    tab('This week').click();
    await flush();
    expect(tab('This week').getAttribute('aria-selected')).toBe('true');
    expect(rowIds()).toEqual([papers[2]!.id, papers[0]!.id]);
    tab('Watchlist').click();
    await flush();
    expect(rows()).toHaveLength(0);
    expect(root.textContent).toContain('Your watchlist is empty');
  });

  it('For you: says what it needs until there are enough stars, then why each paper is there, with "not for me"', async () => {
    const learning = hot('foryou', [pv(papers[0]!, 5)], { forYou: { ready: false, stars: 1, needed: 3, notForMe: 0 } });
    const why = { closeness: 0.97, close: true, terms: ['graph neural', 'a:jane doe'], near: [{ id: papers[3]!.id, title: papers[3]!.title }] };
    const ready = hot('foryou', [pv(papers[2]!, 1, { forYou: why }), pv(papers[0]!, 5, { forYou: { ...why, closeness: 0.4, close: false } })], { forYou: { ready: true, stars: 4, needed: 3, notForMe: 0, positives: 4 } });
    let current = learning;
    const dismissed: unknown[] = [];
    const api = fakeApi({ today: hot('today', [pv(papers[0]!, 5)]) }, {
      'hotlist:get': async (p) => (p.view === 'foryou' ? current : hot('today', [pv(papers[0]!, 5)])),
      'relevance:dismiss': async (p) => {
        dismissed.push(p);
        return { notForMe: true };
      },
    });
    await mount(api);
    byName('For you')[0]!.click();
    await flush();
    expect(root.textContent).toContain('Star at least 3 papers (you have 1)');
    expect(rowIds()).toEqual([papers[0]!.id]);
    current = ready;
    byName('Today')[0]!.click();
    await flush();
    byName('For you')[0]!.click();
    await flush();
    expect(root.textContent).toContain('Ordered by heat and closeness to your 4 starred papers');
    expect(rowIds()).toEqual([papers[2]!.id, papers[0]!.id]);
    const [first, second] = rows();
    expect(first!.querySelector('.for-you-mark')?.textContent).toBe('for you');
    expect(second!.querySelector('.for-you-mark')).toBeNull();
    first!.querySelector<HTMLButtonElement>('button.expand')!.click();
    await flush();
    expect(first!.textContent).toContain('Closer to your stars than 97% of recent papers');
    expect(first!.textContent).toContain(`Nearest starred: “${papers[3]!.title}”`);
    expect(first!.textContent).toContain('Words that count: graph neural, by jane doe');
    byName('Not for me')[0]!.click();
    await flush();
    expect(dismissed).toEqual([{ id: papers[2]!.id }]);
  });

  it('filters by a search over titles and authors', async () => {
    const items = papers.slice(0, 6).map((p, i) => pv(p, 10 - i));
    await mount(fakeApi({ today: hot('today', items) }));
    const input = root.querySelector<HTMLInputElement>('input[type=search]')!;
    const target = papers[4]!;
    input.value = target.authors[0]!.split(' ').pop()!.toLowerCase();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await flush();
    expect(rowIds()).toContain(target.id);
    expect(rowIds().length).toBeLessThan(items.length);
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await flush();
    expect(document.activeElement).toBe(rows()[0]);
    input.value = 'no paper has this in its title';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await flush();
    expect(rows()).toHaveLength(0);
    expect(root.textContent).toContain('No papers match');
  });

  it('moves with ↓/j and ↑/k and opens the focused paper with Enter', async () => {
    const items = papers.slice(0, 4).map((p, i) => pv(p, 10 - i));
    const api = fakeApi({ today: hot('today', items) });
    await mount(api);
    const list = root.querySelector('ol')!;
    const key = async (k: string) => {
      (document.activeElement && list.contains(document.activeElement) ? document.activeElement : rows()[0]!).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
      await flush();
    };
    rows()[0]!.focus();
    await key('ArrowDown');
    expect(document.activeElement).toBe(rows()[1]);
    await key('j');
    expect(document.activeElement).toBe(rows()[2]);
    await key('k');
    expect(document.activeElement).toBe(rows()[1]);
    expect(rows().map((r) => r.tabIndex)).toEqual([-1, 0, -1, -1]);
    await key('Enter');
    expect(api.opened).toEqual([`https://arxiv.org/abs/${papers[1]!.id}`]);
    await key(' ');
    expect(rows()[1]!.querySelector('.abstract')!.textContent).toBe(papers[1]!.abstract);
  });

  it('renders hostile titles, authors and links as text, and drops unsafe links', async () => {
    // Hand-written hostile record on top of a real paper.
    const evil: Paper = { ...papers[0]!, title: '<img src=x onerror="alert(1)"><b>bold</b>', authors: ['<script>alert(2)</script>'], abstract: '<iframe src="https://evil.example"></iframe>' };
    const view = pv(evil, 20, {
      parts: [
        { source: 'hf', counts: { upvotes: 40 }, weight: 1, score: 20, share: 0.8, links: [{ url: 'javascript:alert(3)', label: 'x' }] },
        { source: 'hn', counts: { points: 9 }, weight: 1, score: 5, share: 0.2, links: [{ url: 'https://news.ycombinator.com/item?id=1', label: 'HN' }] },
        { source: 'bluesky', counts: { likes: 2 }, weight: 1, score: 1, share: 0, links: [{ url: 'https://evil.example/bsky.app', label: 'B' }] },
      ],
    });
    await mount(fakeApi({ today: hot('today', [view]) }));
    rows()[0]!.focus();
    rows()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
    await flush();
    expect(root.querySelector('img, script, iframe, b')).toBeNull();
    expect(root.querySelector('a.title')!.textContent).toBe(evil.title);
    expect(root.querySelector('.authors')!.textContent).toBe(evil.authors[0]);
    const hrefs = [...root.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).toContain('https://news.ycombinator.com/item?id=1');
    expect(hrefs.some((h) => /javascript:|evil\.example/.test(h ?? ''))).toBe(false);
  });

  it('shows X as the digests count it and lists every safe discussion per source in the breakdown', async () => {
    const view = pv(papers[0]!, 30, {
      parts: [
        { source: 'x', counts: { retweets: 12, likes: 80, replies: 3 }, weight: 1, score: 20, share: 0.7, links: [{ url: 'https://x.com/a/status/1', label: '@a' }, { url: 'https://x.com/b/status/2', label: '' }] },
        {
          source: 'hn',
          counts: { points: 58, comments: 12 },
          weight: 1,
          score: 10,
          share: 0.3,
          links: [
            { url: 'https://news.ycombinator.com/item?id=1', label: 'Thread one' },
            { url: 'https://news.ycombinator.com/item?id=2', label: 'Thread two' },
            { url: 'https://evil.example/item?id=3', label: 'Phish' },
          ],
        },
      ],
    });
    await mount(fakeApi({ today: hot('today', [view]) }));
    const badge = rows()[0]!.querySelector('.count.src-x')!;
    expect(badge.textContent).toContain('retweets: 12, favorites: 80');
    rows()[0]!.focus();
    rows()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
    await flush();
    const table = rows()[0]!.querySelector('table.breakdown')!;
    expect(table.textContent).toContain('retweets: 12, favorites: 80');
    const lists = [...rows()[0]!.querySelectorAll('.discussions .discussion')];
    const bySource = Object.fromEntries(lists.map((d) => [d.querySelector('dt')!.textContent, [...d.querySelectorAll('a')].map((a) => [a.textContent, a.getAttribute('href')])]));
    expect(bySource['Hacker News']).toEqual([
      ['Thread one', 'https://news.ycombinator.com/item?id=1'],
      ['Thread two', 'https://news.ycombinator.com/item?id=2'],
    ]);
    expect(Object.keys(bySource).find((k) => k.startsWith('X'))).toBeDefined();
    const x = Object.entries(bySource).find(([k]) => k.startsWith('X'))![1];
    expect(x.map(([, h]) => h)).toEqual(['https://x.com/a/status/1', 'https://x.com/b/status/2']);
    expect(x[1]![0]).toMatch(/discussion 2$/);
    expect(rows()[0]!.querySelector('.discussions a[href*="evil"]')).toBeNull();
  });

  it('explains an empty first run while the first poll is fetching', async () => {
    const api = fakeApi({ today: hot('today', [], { day: null, lastPoll: null, sources: [] }) }, { 'poll:state': async () => ({ running: true, lastPoll: null, sources: [] }) });
    await mount(api);
    expect(root.textContent).toContain("Fetching today's papers from arXiv");
    expect(root.textContent).toContain('Not polled yet');
  });

  it('on a weekend says it shows the latest announcement, and says when no signals exist yet', async () => {
    const api = fakeApi({ today: hot('today', [pv(papers[0]!, 0), pv(papers[1]!, 0)], { day: '2023-10-27' }) });
    api.now = () => Date.parse('2023-10-28T16:00:00Z'); // Saturday
    await mount(api);
    expect(root.textContent).toMatch(/arXiv announced nothing new \(weekend or holiday\): showing the latest announcement/);
    expect(root.textContent).toContain('No engagement signals yet');
    expect(rows()).toHaveLength(2);
  });

  it('a list older than any pause in arXiv\'s schedule is called old, with its year and age, not a weekend', async () => {
    const api = fakeApi({ today: hot('today', [pv(papers[0]!, 0)], { day: '2026-05-15' }) });
    api.now = () => Date.parse('2026-12-05T17:00:00Z'); // a Saturday, 204 days later
    await mount(api);
    expect(root.textContent).toMatch(/Showing the latest announcement fetched, Fri, May 15, 2026 \(204 days ago\)/);
    expect(root.textContent).not.toMatch(/weekend or holiday/);
  });

  it('filters by category chips', async () => {
    const se = papers.filter((p) => p.primaryCategory === 'cs.SE').slice(0, 2);
    const other = papers.find((p) => p.primaryCategory !== 'cs.SE')!;
    await mount(fakeApi({ today: hot('today', [pv(se[0]!, 9), pv(other, 8), pv(se[1]!, 7)]) }));
    const chip = byName(other.primaryCategory)[0]!;
    chip.click();
    await flush();
    expect(chip.getAttribute('aria-pressed')).toBe('true');
    expect(rowIds()).toEqual([other.id]);
    byName('All')[0]!.click();
    await flush();
    expect(rows()).toHaveLength(3);
  });

  it('asks the worker to search the whole view when the popup holds only part of it, and shows the latest answer', async () => {
    const shown = papers.slice(0, 3).map((p, i) => pv(p, 10 - i));
    const [far, farther] = papers.slice(3, 5).map((p) => pv(p, 0));
    const answers: Record<string, { list: HotList; wait: Promise<void> }> = {};
    let release!: () => void;
    answers.spars = { list: hot('today', [farther!], { total: 1 }), wait: new Promise((r) => (release = r)) };
    answers.sparse = { list: hot('today', [far!], { total: 41, categoryCounts: [] }), wait: Promise.resolve() };
    const api = fakeApi(
      {},
      {
        'hotlist:get': async (p) => {
          if (!p.query && !p.categories?.length) return hot('today', shown, { total: 1250, categoryCounts: [['cs.SE', 900], ['cs.LG', 350]] });
          const a = answers[p.query ?? '']!;
          await a.wait;
          return a.list;
        },
      },
    );
    await mount(api);
    const searches = () => api.calls.filter((c) => c.type === 'hotlist:get' && (c.payload as Req<'hotlist:get'>).query);
    const input = root.querySelector<HTMLInputElement>('input[type=search]')!;
    type(input, 'sp');
    type(input, 'spars');
    await sleep(SEARCH_DEBOUNCE_MS + 50);
    // One request once typing paused, for the whole view (not the rows held). (Waits, not sleeps alone,
    // after each pause: a loaded machine runs the timers late.)
    await vi.waitFor(() => expect(searches().map((c) => c.payload)).toEqual([{ view: 'today', limit: 200, query: 'spars', categories: [] }]));
    type(input, 'sparse');
    await sleep(SEARCH_DEBOUNCE_MS + 50);
    await vi.waitFor(() => expect(rowIds()).toEqual([far!.paper.id]));
    expect(searches()).toHaveLength(2);
    expect(root.textContent).toContain('40 more papers not shown.');
    // The earlier search answers last: it is ignored.
    release();
    await flush();
    expect(rowIds()).toEqual([far!.paper.id]);
    // The chips are the worker's counts over the whole view, and stay while searching.
    expect(byName('cs.SE')).toHaveLength(1);
    expect(byName('cs.LG')).toHaveLength(1);
    byName('cs.LG')[0]!.click();
    await sleep(SEARCH_DEBOUNCE_MS + 50);
    await vi.waitFor(() => expect(searches().at(-1)!.payload).toEqual({ view: 'today', limit: 200, query: 'sparse', categories: ['cs.LG'] }));
  });

  it('filters a complete list in the page without asking the worker', async () => {
    const items = papers.slice(0, 6).map((p, i) => pv(p, 10 - i));
    const api = fakeApi({ today: hot('today', items) });
    await mount(api);
    const before = api.calls.length;
    type(root.querySelector<HTMLInputElement>('input[type=search]')!, items[2]!.paper.title.slice(0, 15).toUpperCase());
    await sleep(SEARCH_DEBOUNCE_MS + 50);
    expect(rowIds()).toContain(items[2]!.paper.id);
    expect(api.calls.slice(before).filter((c) => c.type === 'hotlist:get')).toEqual([]);
  });

  describe('export of selected papers', () => {
    const reply = { text: '@article{x,}', filename: 'hot-papers-2023-10-26.bib', mime: 'application/x-bibtex' };
    const box = (row: HTMLElement) => row.querySelector<HTMLInputElement>('input[type=checkbox]')!;
    const exports = (api: Fake) => api.calls.filter((c) => c.type === 'export:build').map((c) => c.payload);
    function exportApi(lists: Partial<Record<HotView, HotList>>) {
      const copied: string[] = [];
      const downloads: [string, string, string][] = [];
      const api = fakeApi(lists, { 'export:build': async () => reply });
      api.copy = async (text) => void copied.push(text);
      api.download = (...args) => void downloads.push(args);
      return { api, copied, downloads };
    }

    it('exports exactly the selected rows as BibTeX, copied or downloaded', async () => {
      const items = papers.slice(0, 5).map((p, i) => pv(p, 10 - i));
      const { api, copied, downloads } = exportApi({ today: hot('today', items) });
      await mount(api);
      expect(accessibleName(box(rows()[1]!))).toBe(`Select ${items[1]!.paper.title} for export`);
      box(rows()[3]!).click();
      box(rows()[1]!).click();
      await flush();
      expect(box(rows()[1]!).checked).toBe(true);
      expect(root.querySelector('.selection')!.textContent).toBe('2 selected · Clear');
      expect(root.textContent).toContain('Exports the selected papers (2).');
      byName('Copy BibTeX')[0]!.click();
      await flush();
      expect(exports(api)).toEqual([{ format: 'bibtex', view: 'today', ids: [items[3]!.paper.id, items[1]!.paper.id] }]);
      expect(copied).toEqual([reply.text]);
      byName('Download BibTeX')[0]!.click();
      await flush();
      expect(downloads).toEqual([[reply.text, reply.filename, reply.mime]]);
      // Unselecting one and clearing the rest.
      box(rows()[3]!).click();
      await flush();
      expect(root.querySelector('.selection')!.textContent).toBe('1 selected · Clear');
      byName('Clear the selection')[0]!.click();
      await flush();
      expect(root.querySelector('.selection')).toBeNull();
      expect(rows().map((r) => box(r).checked)).toEqual([false, false, false, false, false]);
    });

    it('with nothing selected exports the matches of a search, and on the Watchlist tab the watchlist', async () => {
      const items = papers.slice(0, 6).map((p, i) => pv(p, 10 - i));
      const watched = [pv(papers[7]!, 3, { watched: true })];
      const { api } = exportApi({ today: hot('today', items), watchlist: hot('watchlist', watched) });
      await mount(api);
      type(root.querySelector<HTMLInputElement>('input[type=search]')!, items[2]!.paper.title.slice(0, 20).toLowerCase());
      await flush();
      const matches = rowIds();
      expect(matches.length).toBeLessThan(items.length);
      byName('Copy CSV')[0]!.click();
      await flush();
      expect(exports(api).at(-1)).toEqual({ format: 'csv', view: 'today', ids: matches });
      byName('Watchlist')[0]!.click();
      await flush();
      type(root.querySelector<HTMLInputElement>('input[type=search]')!, '');
      await flush();
      expect(rowIds()).toEqual([watched[0]!.paper.id]);
      expect(root.textContent).toContain("Exports this tab's hot list.");
      byName('Download Markdown digest')[0]!.click();
      await flush();
      expect(exports(api).at(-1)).toEqual({ format: 'markdown', view: 'watchlist' });
    });

    it('keeps selections per tab and a search of a long view exported by the worker', async () => {
      const items = papers.slice(0, 3).map((p, i) => pv(p, 10 - i));
      const { api } = exportApi({ today: hot('today', items, { total: 900 }), week: hot('week', items) });
      await mount(api);
      box(rows()[0]!).click();
      await flush();
      byName('This week')[0]!.click();
      await flush();
      expect(root.querySelector('.selection')).toBeNull();
      expect(box(rows()[0]!).checked).toBe(false);
      byName('Today')[0]!.click();
      await flush();
      expect(box(rows()[0]!).checked).toBe(true);
      byName('Clear the selection')[0]!.click();
      await flush();
      // Today holds 3 of its 900 papers: the matches of a search are found by the worker.
      type(root.querySelector<HTMLInputElement>('input[type=search]')!, 'graph');
      await flush();
      byName('Copy JSON')[0]!.click();
      await flush();
      expect(exports(api).at(-1)).toEqual({ format: 'json', view: 'today', query: 'graph', categories: [] });
    });

    it('unselects rows that leave the view, so "N selected" is what is exported', async () => {
      const items = papers.slice(0, 4).map((p, i) => pv(p, 10 - i));
      const lists: Partial<Record<HotView, HotList>> = { today: hot('today', items) };
      const api = fakeApi(lists, { 'export:build': async () => reply, 'poll:run': async () => ({ started: true, report: lastPoll }) });
      api.copy = async () => undefined;
      await mount(api);
      box(rows()[0]!).click();
      box(rows()[2]!).click();
      await flush();
      expect(root.querySelector('.selection')!.textContent).toBe('2 selected · Clear');
      // A refresh brings a list without the first paper (a complete list: no need to ask the worker).
      lists.today = hot('today', items.slice(1));
      byName('Refresh')[0]!.click();
      await flush(10);
      expect(rowIds()).toEqual(items.slice(1).map((v) => v.paper.id));
      expect(root.querySelector('.selection')!.textContent).toBe('1 selected · Clear');
      byName('Copy BibTeX')[0]!.click();
      await flush();
      expect(exports(api).at(-1)).toEqual({ format: 'bibtex', view: 'today', ids: [items[2]!.paper.id] });
    });

    it('asks the worker about selected rows a long view does not hold, and keeps those still in it', async () => {
      const items = papers.slice(0, 4).map((p, i) => pv(p, 10 - i));
      const lists: Partial<Record<HotView, HotList>> = { today: hot('today', items, { total: 900 }) };
      const still = new Set([items[1]!.paper.id]);
      const api = fakeApi(lists, {
        'export:build': async () => ({ text: 'x', filename: 'x.csv', mime: 'text/csv' }),
        'poll:run': async () => ({ started: true, report: lastPoll }),
        'hotlist:has': async ({ ids }) => ({ ids: ids.filter((id) => still.has(id)) }),
      });
      api.copy = async () => undefined;
      await mount(api);
      box(rows()[0]!).click();
      box(rows()[1]!).click();
      await flush();
      expect(root.querySelector('.selection')!.textContent).toBe('2 selected · Clear');
      // After the refresh the view's first rows are other papers; the worker says the second
      // selected paper is still in the view (further down), the first is not.
      lists.today = hot('today', papers.slice(10, 14).map((p, i) => pv(p, 20 - i)), { total: 900 });
      byName('Refresh')[0]!.click();
      await flush(10);
      expect(api.calls.filter((c) => c.type === 'hotlist:has').at(-1)!.payload).toEqual({ view: 'today', ids: [items[0]!.paper.id, items[1]!.paper.id] });
      expect(root.querySelector('.selection')!.textContent).toBe('1 selected · Clear');
      byName('Copy CSV')[0]!.click();
      await flush();
      expect(api.calls.filter((c) => c.type === 'export:build').at(-1)!.payload).toEqual({ format: 'csv', view: 'today', ids: [items[1]!.paper.id] });
    });

    it('keeps the keyboard: the checkbox toggles only itself, x selects the focused row, j/k still move', async () => {
      const items = papers.slice(0, 4).map((p, i) => pv(p, 10 - i));
      const api = fakeApi({ today: hot('today', items) });
      await mount(api);
      const cb = box(rows()[1]!);
      const space = new KeyboardEvent('keydown', { key: ' ', bubbles: true, cancelable: true });
      cb.dispatchEvent(space);
      const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true });
      cb.dispatchEvent(enter);
      await flush();
      // Left to the checkbox (the browser toggles it on Space): no row expands, nothing opens.
      expect(space.defaultPrevented).toBe(false);
      expect(root.querySelector('.abstract')).toBeNull();
      expect(api.opened).toEqual([]);
      cb.click();
      await flush();
      expect(box(rows()[1]!).checked).toBe(true);
      expect(root.querySelector('.abstract')).toBeNull();
      rows()[0]!.focus();
      rows()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
      await flush();
      expect(document.activeElement).toBe(rows()[1]);
      rows()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
      await flush();
      rows()[2]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'x', bubbles: true }));
      await flush();
      expect(rows().map((r) => box(r).checked)).toEqual([false, true, true, false]);
      expect(root.querySelector('.selection')!.textContent).toBe('2 selected · Clear');
      rows()[2]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', bubbles: true }));
      await flush();
      expect(document.activeElement).toBe(rows()[1]);
      rows()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      rows()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
      await flush();
      expect(api.opened).toEqual([`https://arxiv.org/abs/${items[1]!.paper.id}`]);
      expect(rows()[1]!.querySelector('.abstract')!.textContent).toBe(items[1]!.paper.abstract);
    });
  });
});
