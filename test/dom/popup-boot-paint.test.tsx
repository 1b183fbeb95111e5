// @vitest-environment happy-dom
/**
 * The popup's boot paint (issue 17): the boot script paints the App's first render of the stored
 * preview before Preact has loaded (lib/popup/boot-paint.ts, lib/popup/static-dom.ts), and Preact
 * then adopts those nodes. These tests hold it to the App's own markup, to text-only rendering of
 * untrusted words, and to a takeover in which nothing is rebuilt or moves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'preact';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, type FirstPage } from '../../entrypoints/popup/App';
import type { HotList, MessageType } from '../../lib/messages';
import { PAINT_BOOT_KEY, takeBootPaint, type BootPaint } from '../../lib/popup/boot';
import { bootPaint, firstPaintShown, holdInput, paintPreview } from '../../lib/popup/boot-paint';
import { PREVIEW_VERSION, previewList } from '../../lib/popup/preview';
import { renderStatic } from '../../lib/popup/static-dom';
import type { UiApi } from '../../lib/popup/ui-api';
import type { HeatPart, Paper, PaperView, PollReport } from '../../lib/types';
import { dropRoot, newRoot, realPapers, useEnglish } from '../unit/popup-test-kit';

const NOW = Date.parse('2023-10-26T15:00:00Z'); // a Thursday: no weekend notice
const english = JSON.parse(readFileSync(join(process.cwd(), 'public/_locales/en/messages.json'), 'utf8'));
let papers: Paper[];
let root: HTMLElement;

const lastPoll: PollReport = {
  startedAt: NOW - 60_000,
  finishedAt: NOW - 55_000,
  reason: 'alarm',
  feeds: [
    { feed: 'https://rss.arxiv.org/rss/cs.SE', status: 'ok', added: 5, unchanged: 0, skipped: 0 },
    { feed: 'https://rss.arxiv.org/rss/cs.LG', status: 'error', error: 'HTTP 503', added: 0, unchanged: 0, skipped: 0 },
  ],
  sources: [],
};

/** A Today preview as the worker stores it, with everything a row can show in its collapsed state. */
function previewOf(items: PaperView[], total = 40): HotList {
  return {
    view: 'today',
    day: '2023-10-26',
    items,
    total,
    categoryCounts: [
      ['cs.SE', 20],
      ['cs.LG', 12],
      ['cs.CL', 8],
    ],
    lastPoll,
    sources: [
      { source: 'hf', state: 'ok' },
      { source: 'bluesky', state: 'auth-needed' },
    ],
    coverage: { day: '2023-10-26', papers: 40, withSignal: 3, bySource: { hf: 3 } },
    polling: false,
  };
}

function views(list: Paper[]): PaperView[] {
  return list.map((paper, i): PaperView => ({
    paper,
    heat: i === 2 ? 0 : 30 - i,
    velocity: i === 0 ? 2.5 : 0,
    parts:
      i === 2
        ? []
        : ([
            { source: 'hf', counts: { upvotes: 40 - i, comments: 2 }, weight: 1, score: 20, share: 0.7, links: [{ url: `https://huggingface.co/papers/${paper.id}`, label: 'Hugging Face' }] },
            { source: 'x', counts: { likes: 12, retweets: 3 }, weight: 1, score: 10 - i, share: 0.3, links: [{ url: 'https://x.com/someone/status/1', label: 'X' }] },
          ] as HeatPart[]),
    history: i === 2 ? [] : [
      { t: NOW - 7_200_000, heat: 10 },
      { t: NOW - 3_600_000, heat: 20 },
      { t: NOW, heat: 30 - i },
    ],
    watched: i === 1,
    isNew: i % 2 === 0,
    ...(i === 3 ? { forYou: { closeness: 0.95, close: true, terms: ['graph'], near: [] } } : {}),
  }));
}

/** An api whose requests never answer: the DOM stays at the App's first render. */
function quietApi(calls: { type: MessageType; payload: unknown }[] = []): UiApi {
  return {
    request: (type, payload) => {
      calls.push({ type, payload });
      return new Promise(() => undefined);
    },
    openUrl: () => undefined,
    openOptions: () => undefined,
    now: () => NOW,
    online: () => true,
    copy: async () => undefined,
    download: () => undefined,
  };
}

const firstPageOf = (list: HotList, answer: Promise<HotList> = new Promise(() => undefined)): FirstPage => ({ view: 'today', list: answer, ready: list });

/**
 * The App as the boot bundle has it: wxt.config.ts maps preact/hooks and the JSX runtime to the
 * static stand-ins in that build; here the same modules are loaded afresh with those mocks.
 */
async function bootApp(): Promise<typeof App> {
  vi.resetModules();
  vi.doMock('preact/hooks', () => import('../../lib/popup/static-hooks'));
  vi.doMock('preact/jsx-runtime', () => import('../../lib/popup/static-jsx'));
  try {
    const [{ App: Boot }, i18n] = await Promise.all([import('../../entrypoints/popup/App'), import('../../lib/i18n')]);
    i18n.setMessageSource(i18n.sourceFromMessages(english));
    return Boot;
  } finally {
    vi.doUnmock('preact/hooks');
    vi.doUnmock('preact/jsx-runtime');
    vi.resetModules();
  }
}

/** The DOM as a user agent sees it: elements, their attributes (in any order), text. */
function shape(node: Node): string {
  if (node.nodeType === 3) return JSON.stringify(node.textContent);
  const el = node as Element;
  const attrs = [...el.attributes].map((a) => `${a.name}=${JSON.stringify(a.value)}`).sort();
  return `<${el.localName} ${attrs.join(' ')}>${[...el.childNodes].map(shape).join('')}</${el.localName}>`;
}

function paintStatic(Boot: typeof App, list: HotList, into: HTMLElement): void {
  renderStatic({ type: Boot, props: { api: quietApi(), firstPage: firstPageOf(list) } }, into);
}

beforeAll(() => {
  useEnglish();
  papers = realPapers().filter((p) => p.primaryCategory.startsWith('cs.')).slice(0, 8);
});
beforeEach(() => {
  root = newRoot();
});
afterEach(() => dropRoot(root));

describe('popup boot paint', () => {
  it("is the markup of the App's own first render of the preview, node for node", async () => {
    const list = previewOf(views(papers));
    const Boot = await bootApp();
    paintStatic(Boot, list, root);
    const preact = document.createElement('div');
    render(<App api={quietApi()} firstPage={firstPageOf(list)} />, preact);
    expect(root.querySelectorAll('li[data-arxiv-id]')).toHaveLength(8);
    // Everything a user sees in the first frame: rows with "new" marks, heat, counts, sparklines,
    // links, the For you mark, chips, notices, the status line and the export menu.
    for (const sel of ['.new-mark', '.for-you-mark', '.heat.warm', '.heat.cold', '.velocity', 'svg.sparkline polyline', '.links a[href^="https://huggingface.co/"]', '.chip[aria-pressed="true"]', '[role=tab][aria-selected="true"]', '.status .error', '.coverage', 'details.export', '.more']) {
      expect(root.querySelector(sel), sel).not.toBeNull();
    }
    expect(root.innerHTML).toBe(preact.innerHTML);
    render(null, preact);
  });

  it('puts untrusted words in as text only, never through innerHTML', async () => {
    const evil = '<img src=x onerror="window.__hpPwned=1">Graph <b>nets</b> & "co"';
    const paper: Paper = { ...papers[0]!, title: evil, authors: ['<script>alert(1)</script> Doe', 'Ann <i>Lee</i>'], categories: ['cs.LG', '<svg onload=1>'] };
    const list = previewOf(views([paper, ...papers.slice(1, 3)]));
    const html = vi.spyOn(Element.prototype, 'innerHTML', 'set');
    const adjacent = vi.spyOn(Element.prototype, 'insertAdjacentHTML');
    const Boot = await bootApp();
    paintStatic(Boot, list, root);
    expect(html).not.toHaveBeenCalled();
    expect(adjacent).not.toHaveBeenCalled();
    html.mockRestore();
    adjacent.mockRestore();
    expect(root.querySelector('img, script, b, i, li svg[onload]')).toBeNull();
    expect(root.querySelector('li a.title')!.textContent).toBe(evil);
    expect(root.querySelector('li .authors')!.textContent).toContain('<script>alert(1)</script> Doe');
    expect(root.querySelector('li')!.getAttribute('aria-label')).toContain(evil);
  });

  it('renders props as Preact does and refuses what it cannot render as text', () => {
    const host = document.createElement('div');
    const onClick = vi.fn();
    renderStatic(
      {
        type: 'button',
        props: { type: 'button', class: 'x', 'aria-pressed': false, disabled: false, tabIndex: -1, onClick, ref: () => undefined, children: ['a', 1, null, false, { type: 'span', props: { children: 'b' } }] },
      },
      host,
    );
    const button = host.querySelector('button')!;
    expect(button.outerHTML).toBe('<button type="button" class="x" aria-pressed="false" tabindex="-1">a1<span>b</span></button>');
    button.click();
    expect(onClick).not.toHaveBeenCalled();
    expect(() => renderStatic({ type: 'div', props: { dangerouslySetInnerHTML: { __html: '<b>x</b>' } } }, host)).toThrow(/dangerouslySetInnerHTML/);
    expect(() => renderStatic({ type: 'div', props: { style: { color: 'red' } } }, host)).toThrow(/style/);
  });

  it('is adopted by Preact as it is: same nodes, same markup, then live (keys, tabs, the answer replaces it)', async () => {
    const list = previewOf(views(papers));
    const Boot = await bootApp();
    paintStatic(Boot, list, root);
    const painted = shape(root);
    const rowNodes = [...root.querySelectorAll('li[data-arxiv-id]')];
    const titleText = rowNodes.map((li) => li.querySelector('a.title')!.firstChild);
    const calls: { type: MessageType; payload: unknown }[] = [];
    let answer!: (l: HotList) => void;
    const answered = new Promise<HotList>((r) => (answer = r));
    render(<App api={quietApi(calls)} firstPage={firstPageOf(list, answered)} />, root);
    // Preact writes an attribute again where it spells it otherwise (tabindex): the order of
    // attributes may change, nothing a user agent renders.
    expect(shape(root)).toBe(painted);
    const adopted = [...root.querySelectorAll('li[data-arxiv-id]')];
    expect(adopted).toHaveLength(rowNodes.length);
    adopted.forEach((li, i) => {
      expect(li).toBe(rowNodes[i]);
      expect(li.querySelector('a.title')!.firstChild).toBe(titleText[i]);
    });
    // Live: the row's keyboard handling and the tabs are Preact's now (once its effects have run).
    await new Promise((r) => setTimeout(r, 20));
    (rowNodes[0] as HTMLElement).focus();
    rowNodes[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
    await new Promise((r) => setTimeout(r, 20));
    expect(document.activeElement).toBe(rowNodes[1]);
    expect(rowNodes[1]!.classList.contains('focused')).toBe(true);
    (root.querySelector('[role=tab][data-view="week"]') as HTMLButtonElement).click();
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.some((c) => c.type === 'hotlist:get' && (c.payload as { view: string }).view === 'week')).toBe(true);
    // The worker's answer, with other rows, replaces the preview on Today.
    (root.querySelector('[role=tab][data-view="today"]') as HTMLButtonElement).click();
    const now = views([papers[7]!, ...papers.slice(0, 3)]);
    answer(previewOf(now, 4));
    await new Promise((r) => setTimeout(r, 20));
    expect([...root.querySelectorAll<HTMLElement>('li[data-arxiv-id]')].map((li) => li.dataset.arxivId)).toEqual(now.map((v) => v.paper.id));
  });

  it('holds what a reader does before the app is live and gives it to the app: clicks, keys, typed words', async () => {
    const list = previewOf(views(papers));
    const Boot = await bootApp();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const key = (target: Element, k: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));

    // ↓ from the search box, and a click on "This week", before Preact has its handlers.
    paintStatic(Boot, list, root);
    let takeOver = holdInput(document, root);
    const calls: { type: MessageType; payload: unknown }[] = [];
    const search = root.querySelector<HTMLInputElement>('input.search')!;
    search.focus();
    expect(key(search, 'ArrowDown')).toBe(false); // held: its default is the app's to decide
    (root.querySelector('[role=tab][data-view="week"]') as HTMLButtonElement).click();
    await sleep(20);
    expect(calls).toEqual([]);
    takeOver(() => render(<App api={quietApi(calls)} firstPage={firstPageOf(list)} />, root));
    // Waits for what the reader would see (a fixed sleep failed on a loaded machine).
    await vi.waitFor(() => {
      expect(root.querySelector('[role=tab][aria-selected="true"]')!.getAttribute('data-view')).toBe('week');
      expect(calls.filter((c) => c.type === 'hotlist:get').map((c) => (c.payload as { view: string }).view)).toContain('week');
    });
    dropRoot(root);
    root = newRoot();

    // Words typed into the search box go in as typed (Preact would set the box to its empty query).
    paintStatic(Boot, list, root);
    takeOver = holdInput(document, root);
    const calls2: { type: MessageType; payload: unknown }[] = [];
    const box = root.querySelector<HTMLInputElement>('input.search')!;
    expect(key(box, 'g')).toBe(true); // typing is the browser's
    box.value = 'graph';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    takeOver(() => render(<App api={quietApi(calls2)} firstPage={firstPageOf(list)} />, root));
    await vi.waitFor(() => expect(root.querySelector<HTMLInputElement>('input.search')!.value).toBe('graph'));
    // The preview holds 8 of 40 papers: the app asks the worker for the whole view's matches.
    await vi.waitFor(() => expect(calls2.some((c) => c.type === 'hotlist:get' && (c.payload as { query?: string }).query === 'graph')).toBe(true));
    dropRoot(root);
    root = newRoot();

    // Enter on a focused row opens it; a held key on the list moves the focus.
    paintStatic(Boot, list, root);
    takeOver = holdInput(document, root);
    const opened: string[] = [];
    const rowsBefore = [...root.querySelectorAll<HTMLElement>('li[data-arxiv-id]')];
    key(rowsBefore[0]!, 'ArrowDown');
    key(rowsBefore[0]!, 'Enter');
    takeOver(() => render(<App api={{ ...quietApi(), openUrl: (u) => void opened.push(u) }} firstPage={firstPageOf(list)} />, root));
    await vi.waitFor(() => {
      expect(document.activeElement).toBe(rowsBefore[1]);
      expect(opened).toEqual([`https://arxiv.org/abs/${papers[1]!.id}`]);
    });
  });

  it('paints into #app once the parser has made it, marks the rows on screen, and hands the frame to the app', async () => {
    const list = previewList(JSON.stringify({ v: PREVIEW_VERSION, list: previewOf(views(papers.slice(0, 3)), 3) }))!;
    const Boot = await bootApp();
    const doc = document.implementation.createHTMLDocument('popup');
    Object.defineProperty(doc, 'readyState', { value: 'loading', configurable: true });
    let frame!: () => void;
    const pending = paintPreview({ document: doc, shown: () => new Promise<void>((r) => (frame = r)) }, list, () => ({ type: Boot, props: { api: quietApi(), firstPage: firstPageOf(list) } }));
    // Not parsed yet: nothing painted until parsing ends.
    const app = doc.createElement('div');
    app.id = 'app';
    Object.defineProperty(doc, 'readyState', { value: 'interactive', configurable: true });
    doc.body.append(app);
    doc.dispatchEvent(new Event('readystatechange'));
    expect([...app.querySelectorAll<HTMLElement>('li[data-arxiv-id]')].map((li) => li.dataset.arxivId)).toEqual(list.items.map((v) => v.paper.id));
    performance.clearMarks('hp:rows');
    frame();
    const got = await pending;
    expect(got?.list).toBe(list);
    expect(typeof got?.takeOver).toBe('function');
    const mark = performance.getEntriesByName('hp:rows')[0] as PerformanceMark;
    expect(mark.detail).toEqual({ ids: list.items.map((v) => v.paper.id), by: 'boot' });
  });

  it("asks the worker once the painted frame is on screen, or as soon as there is nothing to paint, and leaves the outcome for the app at once", async () => {
    const list = previewOf(views(papers.slice(0, 3)), 3);
    const stored = JSON.stringify({ v: PREVIEW_VERSION, list });
    const flush = () => new Promise((r) => setTimeout(r, 0));

    // A usable preview: painted; the request waits for its frame.
    let g: Record<string, unknown> = {};
    let asked = 0;
    let shown!: (p: BootPaint) => void;
    const painted: HotList[] = [];
    bootPaint(g, Promise.resolve(stored), (l) => (painted.push(l), new Promise<BootPaint>((r) => (shown = r))), () => asked++);
    const outcome = takeBootPaint(g)!;
    expect(outcome).toBeInstanceOf(Promise);
    expect(takeBootPaint(g)).toBeUndefined();
    await flush();
    expect(painted.map((l) => l.items.length)).toEqual([3]);
    expect(asked).toBe(0);
    const done: BootPaint = { list: painted[0]!, takeOver: () => undefined };
    shown(done);
    await expect(outcome).resolves.toBe(done);
    expect(asked).toBe(1);

    // No session area, no stored preview, one of another version, a failed read, a paint that
    // painted nothing, a paint that threw, a request that threw: the request goes out (or was
    // tried) and the app is told nothing was painted.
    const cases: [Promise<unknown> | undefined, (l: HotList) => Promise<BootPaint | undefined>, () => void][] = [
      [undefined, () => Promise.reject(new Error('not called')), () => asked++],
      [Promise.resolve(undefined), () => Promise.reject(new Error('not called')), () => asked++],
      [Promise.resolve(JSON.stringify({ v: PREVIEW_VERSION - 1, list })), () => Promise.reject(new Error('not called')), () => asked++],
      [Promise.reject(new Error('gone')), () => Promise.reject(new Error('not called')), () => asked++],
      [Promise.resolve(stored), () => Promise.resolve(undefined), () => asked++],
      [Promise.resolve(stored), () => { throw new Error('cannot render'); }, () => asked++],
      [Promise.resolve(stored), () => Promise.resolve(undefined), () => { asked++; throw new Error('Extension context invalidated.'); }],
    ];
    for (const [read, paint, ask] of cases) {
      g = {};
      asked = 0;
      bootPaint(g, read, paint, ask);
      await expect(g[PAINT_BOOT_KEY]).resolves.toBeUndefined();
      expect(asked).toBe(1);
    }

    // A read that never comes back: after the cap the worker is asked and the app loads unpainted.
    g = {};
    asked = 0;
    const t0 = Date.now();
    bootPaint(g, new Promise(() => undefined), () => Promise.reject(new Error('not called')), () => asked++, 30);
    await expect(g[PAINT_BOOT_KEY]).resolves.toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(asked).toBe(1);
  });

  it('paints nothing over an app that rendered first, for a list without rows, or when a row cannot be rendered', async () => {
    const list = previewOf(views(papers.slice(0, 2)), 2);
    const tree = () => ({ type: 'p', props: { children: 'rows' } });
    const ready = (html = '') => {
      const doc = document.implementation.createHTMLDocument('popup');
      doc.body.innerHTML = `<div id="app">${html}</div>`;
      return doc;
    };
    const cases: [Document, HotList, () => unknown][] = [
      [ready('<div class="popup"></div>'), list, tree],
      [ready(), { ...list, items: [] }, tree],
      [ready(), list, () => ({ type: 'div', props: { dangerouslySetInnerHTML: { __html: 'x' } } })],
    ];
    for (const [doc, l, t] of cases) {
      const before = doc.getElementById('app')!.innerHTML;
      expect(await paintPreview({ document: doc, shown: () => Promise.resolve() }, l, t)).toBeUndefined();
      expect(doc.getElementById('app')!.innerHTML).toBe(before);
    }
  });

  it('lets the app take over once the painted frame is on screen, asking for frames until then, or after the cap', async () => {
    const fakeWindow = () => {
      const entries: string[] = [];
      const observers: (() => void)[] = [];
      const win = {
        frames: 0,
        performance: { getEntriesByName: (n: string) => entries.filter((e) => e === n) } as unknown as Performance,
        PerformanceObserver: class {
          constructor(cb: () => void) {
            observers.push(cb);
          }
          observe() {}
          disconnect() {}
        } as unknown as typeof PerformanceObserver,
        requestAnimationFrame: (cb: FrameRequestCallback) => {
          win.frames++;
          setTimeout(() => cb(0), 2);
          return win.frames;
        },
        setTimeout: ((cb: () => void, ms: number) => setTimeout(cb, ms)) as unknown as Window['setTimeout'],
        present: () => {
          entries.push('first-contentful-paint');
          observers.forEach((o) => o());
        },
      };
      return win;
    };
    const painted = fakeWindow();
    let shown = false;
    const waiting = firstPaintShown(painted, 5_000).then(() => (shown = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(shown).toBe(false);
    const asked = painted.frames;
    expect(asked).toBeGreaterThan(2);
    painted.present();
    await waiting;
    await new Promise((r) => setTimeout(r, 20));
    expect(painted.frames).toBeLessThanOrEqual(asked + 1);

    const already = fakeWindow();
    already.present();
    await firstPaintShown(already, 5_000);
    expect(already.frames).toBe(0);

    const never = fakeWindow();
    const t0 = Date.now();
    await firstPaintShown(never, 40);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(35);
  });
});
