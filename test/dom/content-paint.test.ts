// @vitest-environment happy-dom
// @vitest-environment-options {"settings":{"disableJavaScriptFileLoading":true,"disableJavaScriptEvaluation":true,"disableCSSFileLoading":true,"disableIframePageLoading":true,"handleDisabledFileLoadingAsSuccess":true,"navigation":{"disableChildFrameNavigation":true}}}
/**
 * The paint contract of the content script on real arxiv-browse pages (test/fixtures): one badge
 * host per entry with data-arxiv-id and data-heat, "loading" distinct from "no data", sort by heat
 * and back to arXiv's exact order, only-hot, watchlist highlight and star, hostile payloads inert.
 * The background is a fake answering the typed protocol; engagement numbers below are made up
 * for the test (the pages are real, the PageViews are test data).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearMessageCache, templatesOf } from '../../lib/content/i18n';
import { PAGE_WORDS } from '../../lib/content/words';
import { startBadges, type BadgePage } from '../../lib/content/page';
import { parseColor } from '../../lib/content/theme';
import { setMessageSource, sourceFromMessages, type MessageEntry } from '../../lib/i18n';
import { digestLine } from '../../lib/sources/x-twitter';
import type { Envelope, PushEnvelope } from '../../lib/messages';
import { pageReply, pageViews } from '../../lib/page-view';
import type { HeatPart, PageView } from '../../lib/types';

const FIX = join(__dirname, '..', 'fixtures');

// The words the extension ships (public/_locales/en), as browser.i18n.getMessage would give them.
const EN: Record<string, MessageEntry> = JSON.parse(readFileSync(join(__dirname, '..', '..', 'public', '_locales', 'en', 'messages.json'), 'utf8'));
beforeAll(() => {
  setMessageSource(sourceFromMessages(EN));
  clearMessageCache();
});
const meta: Record<string, { path: string; dt_count: number }> = {
  ...JSON.parse(readFileSync(join(FIX, 'browse_db.json'), 'utf8')),
  ...JSON.parse(readFileSync(join(FIX, 'browse_fs.json'), 'utf8')),
  ...JSON.parse(readFileSync(join(FIX, 'browse_fake.json'), 'utf8')),
};

function load(file: string): { doc: Document; url: URL } {
  const doc = new DOMParser().parseFromString(readFileSync(join(FIX, file), 'utf8'), 'text/html');
  const m = meta[`list/${file}`] ?? meta[`abs/${file}`];
  return { doc, url: new URL(m!.path, 'https://arxiv.org') };
}

function view(id: string, heat: number, extra: Partial<PageView> = {}, parts?: HeatPart[]): PageView {
  return {
    id,
    heat,
    velocity: 0,
    parts: parts ?? (heat > 0 ? [{ source: 'hf', counts: { upvotes: heat * 2 }, weight: 1, score: heat, share: 1, links: [{ url: `https://huggingface.co/papers/${id}`, label: 'Hugging Face paper page' }] }] : []),
    history: [],
    watched: false,
    ...extra,
  };
}

interface FakeOpts {
  views?: PageView[];
  /** The page's words the worker sends with the first lookup (lib/content/words.ts); none when absent. */
  words?: Record<string, string>;
  pending?: string[];
  threshold?: number;
  /** Leave the content script's own trust check (event.isTrusted) in place: the test's events are then a page script's. */
  pageEvents?: boolean;
  /** Changes the page before the script starts (theme, layout). */
  prepare?: (doc: Document) => void;
  /** Serves the page at another URL. */
  at?: string;
}

/** The worker's reply to a page's lookup (lib/page-view.ts pageReply) when it has `views` cached. */
function lookupReply(payload: unknown, views: PageView[], pending: string[] = [], threshold = 10) {
  const { ids, full } = payload as { ids: string[]; full?: boolean };
  return { ...pageReply(ids, new Map(views.map((v) => [v.id, v])), new Set(pending), full === true), hotThreshold: threshold };
}

function run(file: string, opts: FakeOpts = {}) {
  const loaded = load(file);
  const doc = loaded.doc;
  const url = opts.at ? new URL(opts.at) : loaded.url;
  opts.prepare?.(doc);
  const sent: Envelope[] = [];
  const logs: string[] = [];
  let listener: ((m: unknown) => void) | null = null;
  let valid = true;
  const invalidators: (() => void)[] = [];
  const watch = new Set<string>();
  const page = startBadges({
    doc,
    url,
    eagerLimit: Infinity,
    async send(msg) {
      if (!valid) throw new Error('Extension context invalidated.');
      const env = msg as Envelope;
      sent.push(env);
      if (env.type === 'papers:lookup') {
        // As the worker answers (lib/worker/lookup.ts): by position, papers with nothing to show as one character.
        const words = (env.payload as { words?: boolean }).words && opts.words ? { words: opts.words } : {};
        return { ok: true, value: { ...lookupReply(env.payload, opts.views ?? [], opts.pending, opts.threshold), ...words } };
      }
      if (env.type === 'watchlist:toggle') {
        const id = (env.payload as { id: string }).id;
        if (watch.has(id)) watch.delete(id);
        else watch.add(id);
        return { ok: true, value: { watched: watch.has(id) } };
      }
      if (env.type === 'relevance:dismiss') return { ok: true, value: { notForMe: (env.payload as { on: boolean }).on } };
      return { ok: false, error: 'unexpected' };
    },
    listen(fn) {
      listener = fn;
      return () => (listener = null);
    },
    isValid: () => valid,
    onInvalidated: (fn) => invalidators.push(fn),
    log: (m) => logs.push(m),
    // Events dispatched here stand for the user's (happy-dom cannot make trusted ones).
    ...(opts.pageEvents ? {} : { trusted: () => true }),
  });
  return {
    doc,
    page: page as BadgePage,
    sent,
    logs,
    push: (views: PageView[], full = false) => listener?.({ push: 'papers:updated', payload: pageViews(views, full) } satisfies PushEnvelope),
    invalidate() {
      valid = false;
      for (const f of invalidators) f();
    },
  };
}

// arXiv's own markup also uses data-arxiv-id (links to other papers in the comments, e.g. in
// fake_list_hep-ph_2009-01_skip975_show25.html), so a badge host is [data-arxiv-id][data-heat].
const HOST = '[data-arxiv-id][data-heat]';
const hosts = (doc: Document) => Array.from(doc.querySelectorAll<HTMLElement>(HOST));
const hostFor = (doc: Document, id: string) => doc.querySelector<HTMLElement>(`[data-arxiv-id="${id}"][data-heat]`)!;
const click = (el: Element) => el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
const dtOrder = (doc: Document) => Array.from(doc.querySelectorAll('dl > dt')).map((dt) => dt.querySelector(HOST)?.getAttribute('data-arxiv-id'));

const PAGES = Object.keys(meta)
  .map((k) => k.replace(/^(list|abs)\//, ''))
  .filter((f, i, all) => all.indexOf(f) === i);

describe('one badge host per entry on every real page', () => {
  for (const file of PAGES) {
    it(file, async () => {
      const m = meta[`list/${file}`] ?? meta[`abs/${file}`]!;
      const { doc, page, sent } = run(file);
      const isAbs = file.startsWith('abs_');
      const expected = isAbs ? 1 : m.dt_count;
      if (expected === 0) {
        expect(page).toBeNull();
        expect(sent).toEqual([]);
        expect(hosts(doc)).toHaveLength(0);
        return;
      }
      await page.ready;
      expect(hosts(doc)).toHaveLength(expected);
      expect(sent.filter((s) => s.type === 'papers:lookup')).toHaveLength(1);
      const ids = (sent[0]!.payload as { ids: string[] }).ids;
      for (const h of hosts(doc)) {
        expect(ids).toContain(h.getAttribute('data-arxiv-id'));
        expect(h.getAttribute('data-arxiv-id')).not.toMatch(/v\d+$/);
        expect(Number(h.getAttribute('data-heat'))).toBe(0);
      }
      if (!isAbs) {
        // Each <dt> holds exactly one host, whose id is the entry's own.
        for (const dt of Array.from(doc.querySelectorAll('dl > dt'))) {
          const inDt = dt.querySelectorAll(HOST);
          expect(inDt).toHaveLength(1);
          expect(dt.querySelector('a[title="Abstract"]')!.getAttribute('id')).toBe(inDt[0]!.getAttribute('data-arxiv-id'));
        }
      } else {
        expect(hosts(doc)[0]!.classList.contains('hp-big')).toBe(true);
      }
    });
  }
});

describe('numbers, loading and no data', () => {
  it('a slow background: "loading" placeholders appear after a short wait, one per entry', async () => {
    const { doc } = load('db_list_math_new.html');
    const sent: unknown[] = [];
    startBadges({
      doc,
      url: new URL('https://arxiv.org/list/math/new'),
      eagerLimit: Infinity,
      placeholderDelayMs: 5,
      send: (msg) => {
        sent.push(msg);
        return new Promise(() => {});
      },
      listen: () => () => {},
      isValid: () => true,
      onInvalidated: () => {},
      log: () => {},
    });
    expect(hosts(doc)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(hosts(doc)).toHaveLength(6);
    expect(hosts(doc).every((h) => h.getAttribute('data-state') === 'pending' && h.getAttribute('data-heat') === '0')).toBe(true);
    expect(sent).toHaveLength(1);
  });

  it('shows heat from the reply, keeps pending papers "loading", and fills them from the one push', async () => {
    const { doc, page, push, sent } = run('db_list_math_new.html', {
      views: [view('0906.3421', 23.4, { velocity: 2 }), view('0704.0046', 0)],
      pending: ['0806.4129', '0906.4150'],
    });
    await page.ready;
    const hot = hostFor(doc, '0906.3421');
    expect(hot.getAttribute('data-heat')).toBe('23.4');
    expect(hot.getAttribute('data-level')).toBe('3');
    expect(hot.textContent).toContain('HF 47');
    expect(hot.textContent).toContain('↑');
    expect(hot.querySelector('.hp-b')!.getAttribute('aria-label')).toMatch(/^Heat 23, hot: Hugging Face 46\.8 upvotes\. Rising/);
    // Cached but no signal: quiet neutral mark, not "loading".
    const quiet = hostFor(doc, '0704.0046');
    expect(quiet.getAttribute('data-state')).toBe('none');
    expect(quiet.getAttribute('data-heat')).toBe('0');
    // Pending: visibly different from "no data".
    const loading = hostFor(doc, '0806.4129');
    expect(loading.getAttribute('data-state')).toBe('pending');
    expect(loading.querySelector('.hp-b')!.textContent).not.toBe(quiet.querySelector('.hp-b')!.textContent);
    // Not cached and not pending (the background rejected it): no data.
    expect(hostFor(doc, 'math/0510544').getAttribute('data-state')).toBe('none');

    push([view('0806.4129', 5)]);
    expect(loading.getAttribute('data-heat')).toBe('5');
    expect(loading.getAttribute('data-state')).toBe('ok');
    // What the single push did not carry has no data now, instead of loading forever.
    expect(hostFor(doc, '0906.4150').getAttribute('data-state')).toBe('none');
    expect(sent).toHaveLength(1);
  });

  it('a cached paper with nothing to show comes as its id only, and still says "no engagement yet" and takes "not for me" (issue 17)', async () => {
    const silent = view('0704.0046', 0);
    // What the worker sends for it (lib/worker/lookup.ts splits the reply the same way).
    expect(pageViews([silent, view('0906.3421', 12)], true)).toEqual({ views: [view('0906.3421', 12)], quiet: ['0704.0046'] });
    const { doc, page, sent } = run('db_list_math_new.html', { views: [silent, view('0906.3421', 12)] });
    await page.ready;
    const open = (id: string) => {
      const b = hostFor(doc, id).querySelector('.hp-b')!;
      b.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
      return hostFor(doc, id).querySelector('.hp-p')!;
    };
    const quietPanel = open('0704.0046');
    expect(hostFor(doc, '0704.0046').getAttribute('data-state')).toBe('none');
    expect(quietPanel.textContent).toContain('No engagement found yet');
    expect(quietPanel.textContent).not.toContain('No data');
    // A paper the worker did not answer at all is "no data", with nothing to mark.
    const unknownPanel = open('math/0510544');
    expect(unknownPanel.textContent).toContain('No data');
    expect(unknownPanel.querySelector('.hp-nfm')).toBeNull();
    click(quietPanel.querySelector('.hp-nfm')!);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.filter((m) => m.type === 'relevance:dismiss').map((m) => m.payload)).toEqual([{ id: '0704.0046', on: true }]);
    expect(quietPanel.querySelector('.hp-nfm')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('a paper listed three times gets its numbers and its star on every one of its rows', async () => {
    const { doc, page } = run('db_list_math_new.html', {
      views: [view('0906.3421', 12)],
      prepare: (d) => {
        const dt = d.querySelector('a[title="Abstract"][id="0906.3421"]')!.parentElement!;
        const dl = dt.parentElement!;
        for (let i = 0; i < 2; i++) dl.append(dt.cloneNode(true), dt.nextElementSibling!.cloneNode(true));
      },
    });
    await page.ready;
    const copies = () => Array.from(doc.querySelectorAll<HTMLElement>('[data-arxiv-id="0906.3421"][data-heat]'));
    expect(copies().map((h) => h.getAttribute('data-heat'))).toEqual(['12', '12', '12']);
    click(copies()[2]!.querySelector('.hp-s')!);
    await new Promise((r) => setTimeout(r, 0));
    expect(copies().map((h) => h.querySelector('.hp-s')!.getAttribute('aria-pressed'))).toEqual(['true', 'true', 'true']);
  });

  it('a row whose abstract link names another paper than its id attribute gets no badge; the others do', async () => {
    // A modern id is read from the id attribute alone (the href is checked when the row is badged).
    const { doc, page, logs } = run('fs_list_math.OA_new.html', {
      views: [view('2306.04713', 12)],
      prepare: (d) => d.querySelector('a[title="Abstract"][id="2306.04713"]')!.setAttribute('href', '/abs/2306.09999'),
    });
    await page.ready;
    expect(doc.querySelector('[data-arxiv-id="2306.04713"][data-heat]')).toBeNull();
    expect(doc.querySelector('[data-arxiv-id="2306.09999"][data-heat]')).toBeNull();
    expect(hosts(doc)).toHaveLength(2);
    expect(logs.some((l) => l.includes('2306.04713'))).toBe(true);
  });

  it('the breakdown opens on focus with per-source counts, a sparkline and https discussion links', async () => {
    const v = view('0906.3421', 12, {
      history: [{ t: 1, heat: 2 }, { t: 2, heat: 6 }, { t: 3, heat: 12 }],
    }, [
      { source: 'hn', counts: { points: 120, comments: 40 }, weight: 1, score: 8, share: 0.66, links: [{ url: 'https://news.ycombinator.com/item?id=1', label: 'HN thread' }] },
      { source: 'hf', counts: { upvotes: 30 }, weight: 1, score: 4, share: 0.34, links: [] },
    ]);
    const { doc, page, sent } = run('db_list_math_new.html', { views: [v] });
    await page.ready;
    const host = hostFor(doc, '0906.3421');
    const button = host.querySelector('.hp-b')!;
    button.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const panel = host.querySelector('.hp-p')!;
    // The listing's lookup brought lean views (issue 17): counts at once, links and history on opening.
    expect((sent[0]!.payload as { full?: boolean }).full).toBeUndefined();
    expect(panel.textContent).toContain('Hacker News');
    expect(panel.textContent).toContain('120 points, 40 comments');
    expect(panel.querySelector('svg polyline')).toBeNull();
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.slice(1).filter((m) => m.type === 'papers:lookup').map((m) => m.payload)).toEqual([{ ids: ['0906.3421'], full: true }]);
    expect(panel.textContent).toContain('120 points, 40 comments');
    expect(panel.querySelector('svg polyline')).not.toBeNull();
    expect(Array.from(panel.querySelectorAll('a')).map((a) => a.getAttribute('href'))).toEqual(['https://news.ycombinator.com/item?id=1']);
    button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(button.getAttribute('aria-expanded')).toBe('false');
  });

  it('a star clicked while the opened breakdown\'s whole view is on its way stays pressed when the view arrives', async () => {
    const { doc } = load('db_list_math_new.html');
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    const page = startBadges({
      doc,
      url: new URL('https://arxiv.org/list/math/new'),
      eagerLimit: Infinity,
      async send(msg) {
        const m = msg as Envelope;
        if (m.type === 'watchlist:toggle') return { ok: true, value: { watched: true } };
        const full = (m.payload as { full?: boolean }).full === true;
        // The whole view was made before the star was clicked: it still says not watched.
        if (full) await held;
        return { ok: true, value: lookupReply(m.payload, [view('0906.3421', 12, { history: [{ t: 1, heat: 2 }, { t: 2, heat: 12 }] })]) };
      },
      listen: () => () => {},
      isValid: () => true,
      onInvalidated: () => {},
      log: () => {},
      trusted: () => true,
    })!;
    await page.ready;
    const host = hostFor(doc, '0906.3421');
    host.querySelector('.hp-b')!.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    click(host.querySelector('.hp-s')!);
    await new Promise((r) => setTimeout(r, 0));
    expect(host.querySelector('.hp-s')!.getAttribute('aria-pressed')).toBe('true');
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(host.querySelector('.hp-p svg polyline')).not.toBeNull();
    expect(host.querySelector('.hp-s')!.getAttribute('aria-pressed')).toBe('true');
  });

  it('a mouse user: hover opens the breakdown, the click that follows pins it open; a click outside or Escape closes it', async () => {
    const { doc, page } = run('db_list_math_new.html', { views: [view('0906.3421', 12), view('0704.0046', 3)] });
    await page.ready;
    const host = hostFor(doc, '0906.3421');
    const badge = host.querySelector('.hp-b')!;
    const isOpen = (h = host) => h.classList.contains('hp-open') && h.querySelector('.hp-b')!.getAttribute('aria-expanded') === 'true';
    const mouse = (type: string, target: Element, relatedTarget: Element | null) => target.dispatchEvent(new MouseEvent(type, { bubbles: true, relatedTarget }));
    const body = doc.body;
    // What Chromium sends for a hover then a click: mouseover, mousedown + focus, click.
    const hoverAndClick = () => {
      mouse('mouseover', badge, body);
      badge.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
      click(badge);
    };
    hoverAndClick();
    expect(isOpen()).toBe(true);
    // The pointer leaves, and a click on the panel's text moves the focus to the page: it stays.
    mouse('mouseout', badge, body);
    badge.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null }));
    click(host.querySelector('.hp-p')!);
    expect(isOpen()).toBe(true);
    // Hovering another badge opens that one beside it; leaving it closes it again.
    const other = hostFor(doc, '0704.0046');
    mouse('mouseover', other.querySelector('.hp-b')!, body);
    expect(isOpen(other)).toBe(true);
    mouse('mouseout', other.querySelector('.hp-b')!, body);
    expect(isOpen(other)).toBe(false);
    expect(isOpen()).toBe(true);
    // A click outside closes it.
    click(doc.querySelector('dl > dd')!);
    expect(isOpen()).toBe(false);
    // Pinned again, Escape (focus elsewhere on the page) closes it.
    hoverAndClick();
    mouse('mouseout', badge, body);
    expect(isOpen()).toBe(true);
    body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(isOpen()).toBe(false);
    // A click on a pinned badge closes it.
    hoverAndClick();
    click(badge);
    expect(isOpen()).toBe(false);
  });

  it('abs page: one larger badge with the full breakdown shown', async () => {
    const { doc, page } = run('abs_2103.17249.html', { views: [view('2103.17249', 40)] });
    await page.ready;
    const [host] = hosts(doc);
    expect(host!.getAttribute('data-heat')).toBe('40');
    expect(host!.getAttribute('data-level')).toBe('4');
    expect(host!.querySelector('.hp-p')!.textContent).toContain('Hugging Face');
  });
});

describe('toolbar: sort, only hot, watchlist', () => {
  it('sorts by heat within each section and restores arXiv’s exact order', async () => {
    const { doc, page } = run('db_list_math_new.html', {
      views: [view('0906.3421', 1), view('0704.0046', 2), view('0806.4129', 1), view('0906.4150', 9), view('math/0510544', 0), view('0704.0248', 30)],
    });
    await page.ready;
    const original = dtOrder(doc);
    const originalNodes = Array.from(doc.querySelectorAll('dl > *'));
    const sort = doc.querySelector('[data-hp-action="sort"]')!;
    click(sort);
    expect(sort.getAttribute('aria-pressed')).toBe('true');
    // Sections stay where they are (new, cross, replace); only the replace section has >1 entry.
    expect(dtOrder(doc)).toEqual(['0906.3421', '0704.0046', '0704.0248', '0906.4150', '0806.4129', 'math/0510544']);
    // Each <dd> still follows its own <dt>.
    for (const dt of Array.from(doc.querySelectorAll('dl > dt'))) expect(dt.nextElementSibling!.tagName).toBe('DD');
    click(sort);
    expect(dtOrder(doc)).toEqual(original);
    expect(Array.from(doc.querySelectorAll('dl > *'))).toEqual(originalNodes);
  });

  it('50-row month page: sort puts the hottest first, toggling back is exact', async () => {
    const { doc: probe } = load('fake_list_hep-ph_2009-01.html');
    const ids = Array.from(probe.querySelectorAll('a[title="Abstract"]')).map((a) => a.getAttribute('id')!);
    const views = ids.map((id, i) => view(id, (i * 37) % 50));
    const { doc, page } = run('fake_list_hep-ph_2009-01.html', { views });
    await page.ready;
    const before = Array.from(doc.querySelectorAll('dl > *'));
    click(doc.querySelector('[data-hp-action="sort"]')!);
    const heats = Array.from(doc.querySelectorAll(`dl > dt ${HOST}`)).map((h) => Number(h.getAttribute('data-heat')));
    expect(heats).toEqual([...heats].sort((a, b) => b - a));
    click(doc.querySelector('[data-hp-action="sort"]')!);
    expect(Array.from(doc.querySelectorAll('dl > *'))).toEqual(before);
  });

  it('only hot hides entries under the threshold from settings, and shows them again', async () => {
    const { doc, page } = run('db_list_math_new.html', { views: [view('0906.3421', 30), view('0704.0046', 24)], threshold: 25 });
    await page.ready;
    const hidden = () => Array.from(doc.querySelectorAll('dl > dt')).filter((dt) => doc.defaultView!.getComputedStyle(dt).display === 'none' || dt.classList.contains('hp-off')).length;
    const btn = doc.querySelector('[data-hp-action="hot"]')!;
    expect(btn.textContent).toBe('Only hot (heat ≥ 25)');
    click(btn);
    expect(hidden()).toBe(5);
    const visible = Array.from(doc.querySelectorAll('dl > dt, dl > dd')).filter((el) => !el.classList.contains('hp-off'));
    expect(visible.map((el) => el.tagName)).toEqual(['DT', 'DD']);
    expect(visible[0]!.querySelector(HOST)!.getAttribute('data-arxiv-id')).toBe('0906.3421');
    expect(doc.querySelector('.hp-st')!.textContent).toBe('1 hot of 6');
    click(btn);
    expect(hidden()).toBe(0);
  });

  it('highlights the rows the worker marks as matching a followed author or keyword; the star toggles the watchlist', async () => {
    const { doc, page, sent } = run('db_list_math_new.html', { views: [view('0906.3421', 0, { match: true }), view('0704.0046', 3, { match: true }), view('0906.4150', 1)] });
    await page.ready;
    const watchedRows = () => Array.from(doc.querySelectorAll(`dl > dt.hp-watch ${HOST}`)).map((h) => h.getAttribute('data-arxiv-id'));
    expect(watchedRows()).toEqual(['0906.3421', '0704.0046']);
    const star = hostFor(doc, '0906.4150').querySelector('.hp-s')!;
    click(star);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.at(-1)).toEqual({ type: 'watchlist:toggle', payload: { id: '0906.4150' } });
    expect(star.getAttribute('aria-pressed')).toBe('true');
    expect(watchedRows()).toContain('0906.4150');
    click(doc.querySelector('[data-hp-action="watch"]')!);
    expect(watchedRows()).toEqual([]);
  });
});

describe('For you (issue 21)', () => {
  it('marks a paper for you on its badge and in its name, says why in the breakdown, and takes "not for me" from a person only', async () => {
    const why = 'For you: closer to your stars than 96% of recent papers; nearest: “A starred paper”';
    const { doc, page, sent } = run('db_list_math_new.html', { views: [view('0906.4150', 3, { fy: why }), view('0906.3421', 12)], pageEvents: true });
    await page.ready;
    const host = hostFor(doc, '0906.4150');
    expect(host.hasAttribute('data-fy')).toBe(true);
    expect(hostFor(doc, '0906.3421').hasAttribute('data-fy')).toBe(false);
    const badge = host.querySelector('.hp-b')!;
    expect(badge.getAttribute('aria-label')).toMatch(/; for you$/);
    badge.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    const panel = host.querySelector('.hp-p')!;
    expect(panel.querySelector('.hp-fy')!.textContent).toBe(why);
    const nfm = panel.querySelector<HTMLButtonElement>('.hp-nfm')!;
    expect(nfm.textContent).toBe('Not for me');
    // A page script's click is not the reader's: nothing is sent.
    click(nfm);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.some((m) => m.type === 'relevance:dismiss')).toBe(false);
    const trusted = new MouseEvent('click', { bubbles: true });
    Object.defineProperty(trusted, 'isTrusted', { value: true });
    nfm.dispatchEvent(trusted);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.at(-1)).toEqual({ type: 'relevance:dismiss', payload: { id: '0906.4150', on: true } });
    expect(host.hasAttribute('data-fy')).toBe(false);
    const again = host.querySelector<HTMLButtonElement>('.hp-nfm')!;
    expect(again.textContent).toBe('Undo “not for me”');
    expect(again.getAttribute('aria-pressed')).toBe('true');
  });
});

describe('safety and lifecycle', () => {
  it('a page script\'s clicks (untrusted events) change nothing: no watchlist message, no toolbar action, no panel', async () => {
    const { doc, page, sent } = run('db_list_math_new.html', { views: [view('0906.3421', 12), view('0906.4150', 1)], pageEvents: true });
    await page.ready;
    const before = sent.length;
    click(hostFor(doc, '0906.4150').querySelector('.hp-s')!);
    (hostFor(doc, '0906.4150').querySelector('.hp-s') as HTMLElement).click();
    click(doc.querySelector('[data-hp-action="hot"]')!);
    click(hostFor(doc, '0906.3421').querySelector('.hp-b')!);
    await new Promise((r) => setTimeout(r, 0));
    expect(sent.length).toBe(before);
    expect(hostFor(doc, '0906.4150').querySelector('.hp-s')!.getAttribute('aria-pressed')).toBe('false');
    expect(doc.querySelector('[data-hp-action="hot"]')!.getAttribute('aria-pressed')).toBe('false');
    expect(hostFor(doc, '0906.3421').classList.contains('hp-open')).toBe(false);
  });

  it('the lookup reply carries no watch rules, and row text naming a followed author does not highlight it', async () => {
    // The worker answered without a match mark: the page's own text (which names Kedem) is not read for it.
    const { doc, page } = run('db_list_math_new.html', { views: [view('0906.3421', 0)] });
    await page.ready;
    expect(doc.querySelectorAll('dl > dt.hp-watch').length).toBe(0);
  });

  it('hostile payload strings render inert, as text', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const v = view('0906.3421', 15, {}, [
      {
        source: 'hn',
        counts: { [evil]: 5, points: 10 },
        weight: 1,
        score: 15,
        share: 1,
        links: [
          { url: 'javascript:alert(1)', label: evil },
          { url: 'https://evil.example/phish', label: 'phish' },
          { url: 'http://news.ycombinator.com/item?id=2', label: 'plain http' },
          { url: 'https://news.ycombinator.com/item?id=3', label: evil },
        ],
      },
    ]);
    const { doc, page } = run('db_list_math_new.html', { views: [v] });
    await page.ready;
    const host = hostFor(doc, '0906.3421');
    host.querySelector('.hp-b')!.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    await new Promise((r) => setTimeout(r, 0));
    const panel = host.querySelector('.hp-p')!;
    expect(panel.querySelector('img, script')).toBeNull();
    const links = Array.from(panel.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://news.ycombinator.com/item?id=3']);
    expect(links[0]!.textContent).toBe(evil);
    expect(panel.textContent).toContain('<img src=x');
    expect(doc.querySelectorAll('img[src="x"], script:not([src])').length).toBe(Array.from(load('db_list_math_new.html').doc.querySelectorAll('img[src="x"], script:not([src])')).length);
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('stops cleanly when the extension context is invalidated', async () => {
    const { doc, page, push, invalidate, logs } = run('db_list_math_new.html', { pending: ['0906.3421'] });
    await page.ready;
    invalidate();
    expect(() => push([view('0906.3421', 50)])).not.toThrow();
    expect(hostFor(doc, '0906.3421').getAttribute('data-state')).toBe('pending');
    // A click after invalidation sends nothing and logs nothing.
    click(hostFor(doc, '0906.3421').querySelector('.hp-s')!);
    await new Promise((r) => setTimeout(r, 0));
    expect(logs).toEqual([]);
  });

  it('a background that does not answer leaves "no data", not an error in the page', async () => {
    const { doc } = load('db_list_math_new.html');
    const logs: string[] = [];
    const page = startBadges({
      doc,
      url: new URL('https://arxiv.org/list/math/new'),
      eagerLimit: Infinity,
      send: async () => {
        throw new Error('Could not establish connection. Receiving end does not exist.');
      },
      listen: () => () => {},
      isValid: () => true,
      onInvalidated: () => {},
      log: (m) => logs.push(m),
    })!;
    await page.ready;
    expect(hosts(doc).every((h) => h.getAttribute('data-state') === 'none')).toBe(true);
    expect(logs).toHaveLength(1);
  });

  it('does nothing on pages it does not know', () => {
    const { doc } = load('db_list_math_new.html');
    const page = startBadges({ doc, url: new URL('https://arxiv.org/help/api'), send: async () => ({}), listen: () => () => {}, isValid: () => true, onInvalidated: () => {}, log: () => {} });
    expect(page).toBeNull();
    expect(hosts(doc)).toHaveLength(0);
  });
});

describe('X/Twitter in the digests’ metric', () => {
  // Test data (made up): X leads, HF second.
  const counts = { retweets: 12, likes: 80, posts: 3 };
  const v = view('0906.3421', 31, {}, [
    { source: 'x', counts, weight: 1, score: 20, share: 0.65, links: [] },
    { source: 'hf', counts: { upvotes: 9 }, weight: 1, score: 11, share: 0.35, links: [] },
  ]);

  it('badge text, screen-reader label and breakdown say "retweets: X, favorites: Y", as digestLine does', async () => {
    const { doc, page } = run('db_list_math_new.html', { views: [v] });
    await page.ready;
    const host = hostFor(doc, '0906.3421');
    const button = host.querySelector('.hp-b')!;
    expect(digestLine(counts)).toBe('retweets: 12, favorites: 80');
    expect(button.textContent).toBe(`31 · X ${digestLine(counts)} · HF 9`);
    expect(button.getAttribute('aria-label')).toBe(`Heat 31, very hot: X ${digestLine(counts)}, Hugging Face 9 upvotes. Show details`);
    button.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    const cells = Array.from(host.querySelectorAll('.hp-p tr')).map((tr) => Array.from(tr.children).map((td) => td.textContent));
    expect(cells).toEqual([['X', digestLine(counts), '65%'], ['Hugging Face', '9 upvotes', '35%']]);
    // Not the raw counts keys.
    expect(host.textContent).not.toMatch(/likes|posts/);
  });

  it('retweets without favorites still show, with favorites: 0', async () => {
    const only = view('0906.3421', 5, {}, [{ source: 'x', counts: { retweets: 4 }, weight: 1, score: 5, share: 1, links: [] }]);
    const { doc, page } = run('db_list_math_new.html', { views: [only] });
    await page.ready;
    expect(hostFor(doc, '0906.3421').querySelector('.hp-b')!.textContent).toBe('5 · X retweets: 4, favorites: 0');
  });
});

describe('theme from the page, not from the OS', () => {
  const darkOs = (doc: Document) => {
    // The OS says dark: a page that does not follow it must not get dark badges.
    (doc.defaultView as unknown as { matchMedia: (q: string) => { matches: boolean } }).matchMedia = (q) => ({ matches: /dark/.test(q) });
  };
  // The theme is on the extension's own elements (badges, toolbar), never on <html>: an attribute
  // there that a rule reads makes the browser walk the whole document (issue 17).
  const theme = (doc: Document) => {
    expect(doc.documentElement.hasAttribute('data-hp-theme')).toBe(false);
    const marks = new Set(Array.from(doc.querySelectorAll('.hp-h, .hp-tb'), (el) => el.getAttribute('data-hp-theme')));
    expect(marks.size).toBe(1);
    return [...marks][0];
  };

  it('arXiv’s light page stays light with the OS in dark mode', async () => {
    const { doc, page } = run('db_list_math_new.html', { prepare: (d) => { darkOs(d); d.body.style.backgroundColor = 'rgb(255, 255, 255)'; } });
    await page.ready;
    expect(theme(doc)).toBe('light');
  });

  it('a dark page background gives dark badges, whatever the OS says', async () => {
    for (const bg of ['rgb(24, 26, 27)', '#181a1b', 'rgba(10, 10, 10, 0.95)']) {
      const { doc, page } = run('db_list_math_new.html', { prepare: (d) => (d.body.style.backgroundColor = bg) });
      await page.ready;
      expect(theme(doc), bg).toBe('dark');
    }
  });

  it('a transparent body falls back to <html>, then to the page’s colour scheme', async () => {
    const a = run('db_list_math_new.html', { prepare: (d) => { d.body.style.backgroundColor = 'rgba(0, 0, 0, 0)'; d.documentElement.style.backgroundColor = '#111'; } });
    await a.page.ready;
    expect(theme(a.doc)).toBe('dark');
    const b = run('db_list_math_new.html', { prepare: (d) => { darkOs(d); d.documentElement.style.colorScheme = 'light'; } });
    await b.page.ready;
    expect(theme(b.doc)).toBe('light');
    const c = run('db_list_math_new.html', { prepare: (d) => (d.documentElement.style.colorScheme = 'dark') });
    await c.page.ready;
    expect(theme(c.doc)).toBe('dark');
  });

  it('parses the colours browsers report', () => {
    expect(parseColor('rgb(255, 255, 255)')).toEqual([255, 255, 255, 1]);
    expect(parseColor('rgba(0, 0, 0, 0)')).toEqual([0, 0, 0, 0]);
    expect(parseColor('rgb(24 26 27 / 50%)')).toEqual([24, 26, 27, 0.5]);
    expect(parseColor('#fff')).toEqual([255, 255, 255, 1]);
    expect(parseColor('#18191aff')).toEqual([24, 25, 26, 1]);
    expect(parseColor('oklch(0.2 0 0)')).toBeNull();
  });
});

describe('the toolbar moves nothing', () => {
  // styles.css reserves the band under arXiv's first "entries per page" line (a :has() rule that
  // happy-dom does not evaluate): set the rule's marker inline, as the browser computes it.
  const withBand = (doc: Document) => doc.querySelector<HTMLElement>('#dlpage > .morefewer')!.style.setProperty('--hp-tb-band', '1');

  it('goes into the reserved band with the first badges (placeholders while the reply is slow), never in front of the entries', async () => {
    const { doc } = load('db_list_math_new.html');
    withBand(doc);
    const before = Array.from(doc.getElementById('dlpage')!.children);
    let answer: (v: unknown) => void = () => {};
    let asked: unknown;
    const page = startBadges({
      doc,
      url: new URL('https://arxiv.org/list/math/new'),
      eagerLimit: Infinity,
      placeholderDelayMs: 5,
      send: (msg) => ((asked = (msg as Envelope).payload), new Promise((r) => (answer = r))),
      listen: () => () => {},
      isValid: () => true,
      onInvalidated: () => {},
      log: () => {},
    })!;
    // Nothing is written before the first badges (one layout pass for all of it)…
    expect(doc.querySelector('.hp-tb')).toBeNull();
    // …which, with a slow reply, are the "loading" placeholders.
    await new Promise((r) => setTimeout(r, 20));
    const tb = doc.querySelector('.hp-tb')!;
    expect(doc.querySelectorAll('.hp-h[data-state="pending"]')).toHaveLength(6);
    expect(tb.parentElement).toBe(doc.querySelector('#dlpage > .morefewer'));
    // #dlpage's own children are untouched: nothing was inserted between them.
    expect(Array.from(doc.getElementById('dlpage')!.children)).toEqual(before);
    expect(tb.querySelector('.hp-st')!.textContent).toBe('0 hot of 6 · 6 loading');
    answer({ ok: true, value: lookupReply(asked, [view('0906.3421', 12)]) });
    await page.ready;
    expect(doc.querySelectorAll('.hp-tb')).toHaveLength(1);
    expect(tb.querySelector('.hp-st')!.textContent).toBe('1 hot of 6');
  });

  it('without the band (a layout unlike arXiv’s) it goes above the entries once they are painted', async () => {
    const { doc, page } = run('db_list_math_new.html');
    expect(doc.querySelector('.hp-tb')).toBeNull();
    await page.ready;
    expect(doc.querySelector('.hp-tb')!.nextElementSibling).toBe(doc.querySelector('dl'));
  });
});

describe('search results and catch-up pages: no real rendering to test against, so nothing is added', () => {
  it('a catch-up URL does nothing, even over listing markup, and says so once', () => {
    const { doc, sent, logs, page } = run('db_list_math_new.html', { at: 'https://arxiv.org/catchup/math/2011-02-03' });
    expect(page).toBeNull();
    expect(hosts(doc)).toHaveLength(0);
    expect(doc.querySelector('.hp-tb')).toBeNull();
    expect(doc.documentElement.hasAttribute('data-hp-active')).toBe(false);
    expect(sent).toEqual([]);
    expect(logs).toHaveLength(1);
  });

  it('a search URL does nothing and says so once', () => {
    const { doc, sent, logs, page } = run('db_list_math_new.html', { at: 'https://arxiv.org/search/?query=cluster+algebras&searchtype=all' });
    expect(page).toBeNull();
    expect(hosts(doc)).toHaveLength(0);
    expect(sent).toEqual([]);
    expect(logs).toEqual([expect.stringMatching(/search pages are not supported/)]);
  });
});

describe('every word through browser.i18n, each message looked up once', () => {
  afterAll(() => {
    setMessageSource(sourceFromMessages(EN));
    clearMessageCache();
  });

  it('in a pseudo-locale, nothing of the content script’s own is left in English', async () => {
    const keys = new Map<string, number>();
    // «key:subs»: any English word left outside the markers was not localized.
    setMessageSource((key, subs) => {
      keys.set(key, (keys.get(key) ?? 0) + 1);
      return `«${key}${(subs ?? []).map((_, i) => `:$${i + 1}`).join('').replace(/\$(\d)/g, (_, d) => subs![Number(d) - 1]!)}»`;
    });
    clearMessageCache();
    const ids = Array.from(load('fake_list_hep-ph_2009-01.html').doc.querySelectorAll('a[title="Abstract"]')).map((a) => a.getAttribute('id')!);
    const views = ids.map((id, i) =>
      view(id, i % 4 === 0 ? 0 : i, { velocity: i % 3 ? 0 : 2, history: [{ t: 1, heat: 1 }, { t: 2, heat: i }] }, [
        { source: 'x', counts: { retweets: i, likes: 2 * i }, weight: 1, score: i, share: 0.5, links: [{ url: 'https://x.com/i/web/status/1', label: '' }] },
        { source: 'hn', counts: { points: i, comments: 1 }, weight: 1, score: i / 2, share: 0.5, links: [] },
      ]),
    );
    const { doc, page } = run('fake_list_hep-ph_2009-01.html', { views: views.slice(0, 40), pending: ids.slice(40) });
    await page.ready;
    for (const h of hosts(doc).slice(0, 6)) h.querySelector('.hp-b')!.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
    click(doc.querySelector('[data-hp-action="sort"]')!);
    const ours = Array.from(doc.querySelectorAll('.hp-h, .hp-tb'));
    const texts: string[] = [];
    for (const root of ours) {
      const walker = doc.createTreeWalker(root, 4 /* NodeFilter.SHOW_TEXT */);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) texts.push(n.textContent ?? '');
      for (const el of [root, ...Array.from(root.querySelectorAll('*'))]) {
        for (const attr of ['aria-label', 'title']) {
          const a = el.getAttribute(attr);
          if (a !== null) texts.push(a);
        }
      }
    }
    expect(texts.length).toBeGreaterThan(200);
    const strip = (t: string): string => {
      // Innermost markers first: a label nests a signal, which nests a source name and a metric.
      for (let prev = ''; prev !== t; ) [prev, t] = [t, t.replace(/«[^«»]*»/g, '')];
      return t;
    };
    const leftovers = texts.map(strip).filter((t) => /[A-Za-z]{2,}/.test(t));
    expect(leftovers).toEqual([]);
    // 50 rows, 40 with numbers, 6 breakdowns: still one lookup per message.
    expect([...keys.values()].every((n) => n === 1)).toBe(true);
  });

  it('every key the content script asks for is in the en messages, in Chrome’s placeholder format', () => {
    const src = readdirSync(join(__dirname, '..', '..', 'lib', 'content'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(__dirname, '..', '..', 'lib', 'content', f), 'utf8'))
      .join('\n');
    const literal = [...src.matchAll(/msg\(\s*'([A-Za-z0-9_]+)'/g)].map((m) => m[1]!);
    const templated = [
      ...[0, 1, 2, 3, 4].map((l) => `pageLevel_${l}`),
      ...['hf', 'hn', 'bluesky', 'x', 's2'].flatMap((s) => [`source_${s}`, `sourceShort_${s}`]),
      ...['upvotes', 'comments', 'githubStars', 'points', 'likes', 'reposts', 'replies', 'quotes', 'retweets', 'posts', 'citations', 'influentialCitations'].map((m) => `metric_${m}`),
      ...['', 'Signals', 'Rising', 'SignalsRising'].map((v) => `pageBadgeLabel${v}`),
      'pageWatchAdd',
      'pageWatchRemove',
      'pageSortOnTitle',
      'pageSortOffTitle',
    ];
    expect(literal.length).toBeGreaterThan(15);
    for (const key of new Set([...literal, ...templated])) {
      const entry = EN[key];
      expect(entry, key).toBeDefined();
      const used = [...entry!.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase());
      const defined = Object.keys(entry!.placeholders ?? {}).map((k) => k.toLowerCase());
      // Chrome refuses to load an extension whose message uses an undefined placeholder.
      expect(used.sort(), key).toEqual([...new Set(defined)].sort());
      for (const p of Object.values(entry!.placeholders ?? {})) expect(p.content, key).toMatch(/^\$[1-9]$/);
    }
  });

  it('named placeholders are filled in as Chrome does', () => {
    const source = sourceFromMessages({ a: { message: 'Heat $HEAT$ — $level$ ($$)', placeholders: { heat: { content: '$1' }, LEVEL: { content: '$2' } } } });
    expect(source('a', ['23', 'hot'])).toBe('Heat 23 — hot ($)');
    expect(source('missing')).toBe('');
  });
});

describe('long listings: only the rows near the window are badged up front (issue 17)', () => {
  // A 50-row month page stands for a long listing (eagerLimit 10); rows are given the boxes a browser
  // would lay out (250 px each, as on /new with abstracts) at the page's scroll position, which the
  // test moves as a reader would, with a scroll event.
  const ROW = 250;
  function longPage(startY: number) {
    const { doc, url } = load('fake_list_hep-ph_2009-01.html');
    const win = doc.defaultView!;
    let scrollY = startY;
    const dts = Array.from(doc.querySelectorAll('dl > dt'));
    dts.forEach((dt, i) => {
      (dt as HTMLElement).getBoundingClientRect = () => {
        const top = i * ROW - scrollY;
        return { top, bottom: top + ROW, left: 0, right: 800, width: 800, height: ROW, x: 0, y: top, toJSON: () => ({}) } as DOMRect;
      };
    });
    const height = win.innerHeight;
    const page = startBadges({
      doc,
      url,
      eagerLimit: 10,
      send: async () => ({ ok: true, value: { views: [], states: '', hotThreshold: 10 } }),
      listen: () => () => {},
      isValid: () => true,
      onInvalidated: () => {},
      log: () => {},
    })!;
    const scrollTo = async (y: number) => {
      scrollY = y;
      win.dispatchEvent(new Event('scroll'));
      // The search runs in the next animation frame.
      await new Promise((r) => win.requestAnimationFrame(() => r(null)));
    };
    // The rows a reader at `y` has within 2000 px of the window.
    const near = (y: number) => dts.map((_, i) => i).filter((i) => i * ROW + ROW - y >= -2000 && i * ROW - y <= height + 2000);
    return { dts, page, scrollTo, near };
  }
  const badged = (dts: Element[]) => dts.flatMap((dt, i) => (dt.querySelector(HOST) ? [i] : []));

  it('badges the rows within 2000 px of the window, and the next ones as the reader scrolls towards them', async () => {
    const t = longPage(0);
    await t.page.ready;
    const first = t.near(0);
    expect(first.length).toBeLessThan(t.dts.length);
    expect(badged(t.dts)).toEqual(first);
    await t.scrollTo(5000);
    expect(badged(t.dts)).toEqual([...new Set([...first, ...t.near(5000)])].sort((a, b) => a - b));
    // Every row is met badged on the way down to the end.
    for (let y = 5000; y <= 50 * ROW; y += 900) await t.scrollTo(y);
    expect(badged(t.dts)).toHaveLength(t.dts.length);
    t.page.stop();
  });

  it('a page opened further down (a reload, an #item link) gets its badges where the reader is, not at the top', async () => {
    const t = longPage(6000);
    await t.page.ready;
    const near = t.near(6000);
    expect(near[0]).toBeGreaterThan(0);
    expect(badged(t.dts)).toEqual(near);
    // A jump back to the top (Home) badges the first rows in the next frame.
    await t.scrollTo(0);
    expect(badged(t.dts).slice(0, 3)).toEqual([0, 1, 2]);
    t.page.stop();
  });
});

describe("the page's words come with the first lookup (issue 17)", () => {
  it('paints badges, their labels and the toolbar without asking the browser for a single message', async () => {
    // What the worker sends (templatesOf over PAGE_WORDS, English here), made before the count starts.
    const words = templatesOf(PAGE_WORDS);
    clearMessageCache();
    const asked: string[] = [];
    const english = sourceFromMessages(EN);
    setMessageSource((key, subs) => (asked.push(key), english(key, subs)));
    try {
      const { doc, page, sent } = run('db_list_math_new.html', {
        views: [view('0906.3421', 23.4, { velocity: 2, fy: 'Close to your stars.' }), view('0704.0046', 3, { watched: true }), view('0806.4129', 0)],
        pending: ['0906.4150'],
        words,
      });
      await page.ready;
      expect((sent[0]!.payload as { words?: boolean }).words).toBe(true);
      expect(hostFor(doc, '0906.3421').querySelector('.hp-b')!.getAttribute('aria-label')).toBe('Heat 23, hot: Hugging Face 46.8 upvotes. Rising. Show details; for you');
      expect(hostFor(doc, '0704.0046').querySelector('.hp-s')!.getAttribute('aria-label')).toBe('Remove arXiv:0704.0046 from your watchlist');
      expect(doc.querySelector('.hp-tb .hp-st')!.textContent).toBe('1 hot of 6 · 1 loading');
      expect(asked).toEqual([]);
    } finally {
      setMessageSource(sourceFromMessages(EN));
      clearMessageCache();
    }
  });
});
