/**
 * Badges on one arXiv page: read the page once, ask the background once for every id, paint every
 * badge in one pass of DOM writes, update from the one 'papers:updated' push. Browser edges
 * (messaging, context validity) come in through ContentEnv, so happy-dom tests drive it directly.
 *
 * Speed: badge hosts are cloned from a template and written with attributes/text only; nothing
 * here reads layout in a loop. On very long listings, rows far below the viewport get their badge
 * when they come within a few screens (a search over the rows' boxes, at most once a frame while
 * the page scrolls), so the page's first layout is not redone 2000 times over; a reader scrolling
 * meets every row already badged.
 */
import { pageKind, readRows, type PageEntry } from '../arxiv/listing-page';
import { isPush, request } from '../messages';
import { quietView, ROW_STATE } from '../page-view';
import type { PageView } from '../types';
import { badgeButton, createHost, renderHost, type BadgeState } from './badge';
import { fillBreakdown } from './breakdown';
import { isHot } from './format';
import { applyOrder, recordSections, type OrderSection } from './order';
import { msg, useTemplates } from './i18n';
import { pageTheme } from './theme';
import { createToolbar, type Toolbar, type ToolbarState } from './toolbar';

export interface ContentEnv {
  doc: Document;
  url: URL;
  /** browser.runtime.sendMessage */
  send: (msg: unknown) => Promise<unknown>;
  /** Subscribes to runtime messages (pushes); returns the unsubscribe. */
  listen: (fn: (msg: unknown) => void) => () => void;
  isValid: () => boolean;
  onInvalidated: (fn: () => void) => void;
  /** Quiet diagnostics (console.debug); never console.error into the page. */
  log: (msg: string) => void;
  /**
   * Whether an input event came from the user (default: event.isTrusted). Page scripts can click
   * our buttons (element.click()) but cannot make a trusted event; DOM tests pass their own.
   */
  trusted?: (e: Event) => boolean;
  /** Pages with more rows than this paint rows far below the fold lazily (default 300). */
  eagerLimit?: number;
  /** Show "loading" placeholders if the lookup's reply takes longer than this (default 150 ms). */
  placeholderDelayMs?: number;
  /** Give up waiting for the background's push after this long (default 3 min). */
  pendingTimeoutMs?: number;
}

/**
 * A row the page has done something with: badged, sorted, filtered, asked about. What every row
 * has (its id, state, view, star) is kept in arrays by position instead: a 2000-entry listing makes
 * no object per row.
 */
interface Row {
  i: number;
  entry: PageEntry;
  host: HTMLElement | null;
  /** The row is not arXiv's or links another paper than its id (PageEntry.confirmed): never badged. */
  refused: boolean;
  /** Classes currently on the row's elements (kept here so repaints write only what changed). */
  shownWatch: boolean;
  shownOff: boolean;
}

// A row's state, by position (see BadgeState).
const PENDING = 0;
const NONE = 1;
const OK = 2;
const STATE_NAME: readonly BadgeState[] = ['pending', 'none', 'ok'];
const [V, Q, P] = [ROW_STATE.view, ROW_STATE.quiet, ROW_STATE.pending].map((c) => c.charCodeAt(0));

export interface BadgePage {
  /** Resolves once the lookup's reply has been painted (or failed). */
  ready: Promise<void>;
  stop(): void;
}

// On long listings only the rows within LAZY_MARGIN_PX of the window are badged when the reply
// comes (found with a few layout reads, see nearRows); the rest when they come that close: on
// scroll and resize, once a frame, the same search. A /new page with abstracts has rows of
// 200-300 px: two thousand pixels are eight screens' worth of rows on either side, so a reader
// scrolling, or jumping to an #item link, meets every row already badged.
const LAZY_MARGIN_PX = 2000;
/** Rows badged at once on a page without layout (a test DOM): about the first screens. */
const NO_LAYOUT_ROWS = 30;
let panelSeq = 0;

function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // No performance timeline (old engines, some test DOMs): marks are for the benchmark only.
  }
}

/**
 * The listing toolbar's place: arXiv's first "showing N entries per page" line, when styles.css
 * reserved the band under it (listings with entries). One computed-style read, before any write.
 */
/**
 * The rows [from, to) within LAZY_MARGIN_PX of the window, in page order. Reads the layout of about
 * twenty rows (a binary search, then forward to the margin's end), before any write of the batch:
 * the page's layout is clean when the reply comes, so nothing is forced.
 */
function nearRows(n: number, anchor: (i: number) => Element, win: Window | null): [number, number] {
  const height = win?.innerHeight ?? 0;
  const top = (i: number) => anchor(i).getBoundingClientRect();
  const first = top(0);
  // A page without layout (a test DOM): badge what would be about the first screens.
  if (!(first.height > 0) && !(first.width > 0)) return [0, Math.min(n, NO_LAYOUT_ROWS)];
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (top(mid).bottom < -LAZY_MARGIN_PX) lo = mid + 1;
    else hi = mid;
  }
  let to = lo;
  while (to < n && top(to).top <= height + LAZY_MARGIN_PX) to++;
  return [lo, to];
}

function toolbarBand(doc: Document): Element | null {
  const line = doc.querySelector('#dlpage > .morefewer');
  const win = doc.defaultView;
  return line && win && win.getComputedStyle(line).getPropertyValue('--hp-tb-band').trim() === '1' ? line : null;
}

export function startBadges(env: ContentEnv): BadgePage | null {
  const { doc } = env;
  const info = pageKind(env.url);
  if (info.kind === 'unknown' || doc.documentElement.hasAttribute('data-hp-active')) return null;
  if (info.kind === 'search' || info.kind === 'catchup') {
    // No real rendering of these pages was available to test against (docs/decisions.md).
    env.log(`Hot Papers: ${info.kind} pages are not supported yet; nothing added.`);
    return null;
  }
  mark('hp:start');
  const list = readRows(doc, info);
  const ids = list.ids;
  const n = ids.length;
  if (!n) {
    if (doc.querySelector('dl > dt')) env.log(`Hot Papers: no arXiv entries recognised on this ${info.kind} page; nothing added.`);
    return null;
  }
  const big = info.kind === 'abs';
  // Reads first (theme, toolbar band), then writes: no forced layout.
  const band = big ? null : toolbarBand(doc);
  const theme = pageTheme(doc);
  // No stylesheet rule mentions data-hp-active, so marking the page costs no style work. The theme
  // goes on the extension's own elements, never on <html>: an attribute there that a rule reads
  // makes Chromium walk the whole document for the elements it could restyle.
  doc.documentElement.setAttribute('data-hp-active', '');

  let threshold = 10;
  const ui: ToolbarState = { sorted: false, onlyHot: false, highlight: true };
  let stopped = false;
  const live = () => !stopped && env.isValid();
  const listeners = new AbortController();
  // Every row by position: its state, its view (undefined on a quiet paper until viewOf builds it),
  // its star. Row objects only for the rows the page touches.
  const state = new Uint8Array(n);
  const views = new Array<PageView | undefined>(n);
  const starred = new Uint8Array(n);
  const made = new Array<Row | undefined>(n);
  const rowAt = (i: number): Row => (made[i] ??= { i, entry: list.entry(i), host: null, refused: false, shownWatch: false, shownOff: false });
  const hostRow = new WeakMap<Element, Row>();
  // Where each paper is listed (a paper may be listed twice), made on first need: a push, a click.
  let where: Map<string, number[]> | null = null;
  const rowsOf = (id: string): readonly number[] => {
    if (!where) {
      where = new Map();
      for (let i = 0; i < n; i++) {
        const at = where.get(ids[i]!);
        if (at) at.push(i);
        else where.set(ids[i]!, [i]);
      }
    }
    return where.get(id) ?? [];
  };

  // A quiet paper's view is built when its row is painted or asked about, not for every row.
  const viewOf = (i: number): PageView | undefined => (state[i] === OK ? (views[i] ??= quietView(ids[i]!)) : views[i]);
  const hot = (i: number) => state[i] === OK && !!views[i] && isHot(views[i]!.heat, threshold);
  const paint = (r: Row) => {
    if (!r.host) return;
    const view = viewOf(r.i);
    const st = STATE_NAME[state[r.i]!]!;
    renderHost(r.host, { state: st, view, threshold, watched: starred[r.i] === 1 });
    if (big || r.host.classList.contains('hp-open')) fillBreakdown(panelOf(r.host), st, view, threshold);
  };
  const rowClasses = (r: Row) => {
    if (big) return;
    // The worker says which rows match a followed author or keyword (view.match): the rules stay there.
    const watch = ui.highlight && !!r.host && (starred[r.i] === 1 || views[r.i]?.match === true);
    const off = ui.onlyHot && !hot(r.i);
    if (watch !== r.shownWatch) {
      for (const el of r.entry.rows) {
        el.classList.toggle('hp-watch', watch);
        if (theme === 'dark') el.classList.toggle('hp-dark', watch);
      }
    }
    if (off !== r.shownOff) for (const el of r.entry.rows) el.classList.toggle('hp-off', off);
    r.shownWatch = watch;
    r.shownOff = off;
  };

  function place(r: Row): void {
    if (r.host || r.refused) return;
    // A row whose link names another paper than its id attribute gets no badge (never arXiv's own).
    if (r.entry.confirmed && !r.entry.confirmed()) {
      env.log(`Hot Papers: the row of ${r.entry.id} is not arXiv's or links another paper; no badge.`);
      state[r.i] = NONE;
      r.refused = true;
      refused++;
      return;
    }
    const host = createHost(doc, r.entry.id, big, theme);
    r.host = host;
    placed.push(r);
    hostRow.set(host, r);
    paint(r);
    rowClasses(r);
    if (big) {
      // Abs pages: the band styles.css reserves at the top of the right-hand column from the first
      // paint, so neither the abstract nor "Access Paper" moves when the widget arrives.
      const side = doc.querySelector('.extra-services');
      if (side) side.insertBefore(host, side.firstChild);
      else r.entry.anchor.after(host);
    } else {
      r.entry.anchor.appendChild(host);
    }
  }

  // All DOM writes of the first paint happen in one batch: when the reply arrives, or after a short
  // wait with "loading" placeholders if it is slow. One batch means one extra style/layout pass of
  // the page instead of two.
  let toolbar: Toolbar | null = null;
  let refused = 0;
  let mounted = false;
  // arXiv's order, recorded on the first sort (reading every row's place costs on a 2000-row page).
  let sections: OrderSection[] | null = null;
  function mount(): void {
    if (mounted || !live()) return;
    mounted = true;
    clearTimeout(mountTimer);
    const eagerLimit = env.eagerLimit ?? 300;
    const win = doc.defaultView;
    const lazy = n > eagerLimit && !!win;
    const anchor = (i: number) => list.entry(i).anchor;
    // Reads before the batch's writes.
    const [from, to] = lazy ? nearRows(n, anchor, win) : [0, n];
    if (band) {
      // The band is in the page's layout from its first paint (styles.css): the toolbar goes in
      // out of flow and moves nothing, in the same batch as the badges (one layout pass, not two).
      toolbar = createToolbar(doc, theme);
      band.appendChild(toolbar.root);
    } else if (!big) {
      // A listing laid out unlike arXiv's (no reserved band): in the flow, above the entries.
      toolbar = createToolbar(doc, theme);
      const dl = rowAt(0).entry.rows[0]!.parentElement;
      dl?.parentNode?.insertBefore(toolbar.root, dl);
    }
    for (let i = from; i < to; i++) place(rowAt(i));
    if (lazy) {
      // The rest when they come within the margin. One search a frame at most, with the layout the
      // frame computes anyway; nothing is watched once every row has its badge. (An
      // IntersectionObserver over every tenth row cost about a millisecond on a 2000-entry page to
      // set up and to deliver its first, empty report: issue 17.)
      let frame = 0;
      const check = () => {
        frame = 0;
        if (!live()) return;
        const [a, b] = nearRows(n, anchor, win);
        for (let i = a; i < b; i++) place(rowAt(i));
        if (placed.length + refused >= n) moves.abort();
      };
      const moved = () => {
        frame ||= win.requestAnimationFrame(check);
      };
      const moves = new AbortController();
      listeners.signal.addEventListener('abort', () => moves.abort());
      for (const type of ['scroll', 'resize']) win.addEventListener(type, moved, { passive: true, signal: moves.signal });
    }
    renderToolbar();
    mark('hp:placed');
  }
  const mountTimer = setTimeout(mount, env.placeholderDelayMs ?? 150);

  const counts = () => {
    let nHot = 0;
    let loading = 0;
    for (let i = 0; i < n; i++) {
      if (hot(i)) nHot++;
      else if (state[i] === PENDING) loading++;
    }
    return { hot: nHot, total: n, loading };
  };
  const renderToolbar = () => toolbar?.render(ui, threshold, counts());

  // Rows that have a badge, in the order they got it: repaints touch these, not the whole listing.
  const placed: Row[] = [];

  /** Repaints after rows' data changed: the badged rows, or every row's visibility with "only hot" on. */
  function repaint(): void {
    if (ui.onlyHot) for (let i = 0; i < n; i++) rowClasses(rowAt(i));
    for (const r of placed) {
      paint(r);
      if (!ui.onlyHot) rowClasses(r);
    }
    renderToolbar();
  }

  /** Row i has data: the paper's view, or undefined for a quiet paper (viewOf builds it when needed). */
  const answered = (i: number, v: PageView | undefined): void => {
    views[i] = v;
    state[i] = OK;
    starred[i] = v?.watched ? 1 : 0;
  };

  /** The lookup's reply, by position (lib/page-view.ts pageReply); rows past its end have no data. */
  function applyReply(vs: readonly PageView[], states: string): void {
    if (typeof states !== 'string' || !Array.isArray(vs)) [vs, states] = [[], ''];
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = states.charCodeAt(i);
      const v = c === V ? vs[k++] : undefined;
      if (v || c === Q) answered(i, v);
      else state[i] = c === P ? PENDING : NONE;
    }
    repaint();
  }

  /** The push after a lookup, by id: the papers that were pending; what it lacks has no data. */
  function applyPush(vs: readonly PageView[], quiet: readonly string[]): void {
    for (const v of vs) for (const i of rowsOf(v.id)) answered(i, v);
    for (const id of quiet) for (const i of rowsOf(id)) answered(i, undefined);
    noneLeftPending();
  }

  function noneLeftPending(): void {
    for (let i = 0; i < n; i++) if (state[i] === PENDING) state[i] = NONE;
    repaint();
  }

  let pendingTimer: ReturnType<typeof setTimeout> | undefined;
  const onPush = (msg: unknown) => {
    if (!live() || !isPush(msg) || msg.push !== 'papers:updated') return;
    clearTimeout(pendingTimer);
    // The background sends one push for the whole missing batch.
    applyPush(msg.payload.views, msg.payload.quiet);
  };
  const unlisten = env.listen(onPush);

  const ready = (async () => {
    let reply;
    try {
      // Listings get lean views (no links, no history: lib/page-view.ts); the abs page shows its breakdown at once.
      reply = await request(env.send, 'papers:lookup', big ? { ids, full: true, words: true } : { ids, words: true });
    } catch (err) {
      if (!live()) return;
      env.log(`Hot Papers: the extension did not answer (${(err as Error).message}); badges show no data.`);
      noneLeftPending();
      mount();
      return;
    }
    if (!live()) return;
    mark('hp:data');
    threshold = reply.hotThreshold;
    useTemplates(reply.words);
    applyReply(reply.views, reply.states);
    mount();
    mark('hp:painted');
    try {
      performance.measure('hp:paint', 'hp:data', 'hp:painted');
    } catch {
      // See mark().
    }
    if (state.includes(PENDING)) pendingTimer = setTimeout(() => live() && noneLeftPending(), env.pendingTimeoutMs ?? 180_000);
  })();

  // ---- interaction: one delegated listener per event type, acting on the user's events only
  const opts = { signal: listeners.signal };
  const trusted = env.trusted ?? ((e: Event) => e.isTrusted);
  const rowOf = (t: EventTarget | null): Row | undefined => {
    const host = t instanceof Element ? t.closest('.hp-h') : null;
    return host ? hostRow.get(host) : undefined;
  };
  function panelOf(host: HTMLElement): HTMLElement {
    let panel = host.querySelector<HTMLElement>(':scope > .hp-p');
    if (!panel) {
      panel = doc.createElement('div');
      panel.className = 'hp-p';
      panel.id = `hp-p-${++panelSeq}`;
      panel.setAttribute('role', 'group');
      panel.setAttribute('aria-label', msg('pageBreakdownLabel', host.getAttribute('data-arxiv-id') ?? ''));
      host.appendChild(panel);
      badgeButton(host).setAttribute('aria-controls', panel.id);
    }
    return panel;
  }
  // Panels a click pinned open: hover and focus leaving them do not close them; a click outside
  // them, Escape or another click on the badge does.
  const pinned = new Set<Row>();
  const open = (r: Row, on: boolean) => {
    const host = r.host;
    if (!on) pinned.delete(r);
    if (!host || host.classList.contains('hp-open') === on) return;
    if (on) {
      const view = viewOf(r.i);
      fillBreakdown(panelOf(host), STATE_NAME[state[r.i]!]!, view, threshold);
      if (view?.lean) void wholeView(r.entry.id);
      // One read, on a user action: keep the panel inside the window.
      const right = host.getBoundingClientRect().left + 300 > (doc.defaultView?.innerWidth ?? 1e9);
      host.classList.toggle('hp-right', right);
    }
    host.classList.toggle('hp-open', on);
    badgeButton(host).setAttribute('aria-expanded', String(on));
  };
  const inside = (r: Row, t: EventTarget | null) => !!r.host && t instanceof Node && r.host.contains(t);
  doc.addEventListener('mouseover', (e) => {
    if (!trusted(e)) return;
    const r = rowOf(e.target);
    if (r && !inside(r, e.relatedTarget)) open(r, true);
  }, opts);
  doc.addEventListener('mouseout', (e) => {
    if (!trusted(e)) return;
    const r = rowOf(e.target);
    if (r && !pinned.has(r) && !inside(r, e.relatedTarget) && !r.host?.contains(doc.activeElement)) open(r, false);
  }, opts);
  doc.addEventListener('focusin', (e) => {
    const r = rowOf(e.target);
    if (r) open(r, true);
  }, opts);
  doc.addEventListener('focusout', (e) => {
    const r = rowOf(e.target);
    // A click on the panel's text moves focus to the page: a pinned panel stays.
    if (r && !pinned.has(r) && !inside(r, e.relatedTarget)) open(r, false);
  }, opts);
  doc.addEventListener('keydown', (e) => {
    if (!trusted(e) || e.key !== 'Escape') return;
    const r = rowOf(e.target);
    if (r?.host?.classList.contains('hp-open')) {
      // Focus first: focusing the badge while the panel is still open does not reopen it.
      badgeButton(r.host).focus();
      open(r, false);
    }
    for (const p of [...pinned]) open(p, false);
  }, opts);
  doc.addEventListener('click', (e) => {
    const t = e.target instanceof Element ? e.target : null;
    if (!t || !live() || !trusted(e)) return;
    const r = rowOf(t);
    // A click anywhere else closes a pinned panel.
    for (const p of [...pinned]) if (p !== r) open(p, false);
    const action = t.closest('[data-hp-action]')?.getAttribute('data-hp-action');
    if (action && toolbar?.root.contains(t)) return void toolbarAction(action);
    if (!r?.host) return;
    // "Not for me" teaches the model: a person's click only, like the star (trusted, above).
    if (t.closest('.hp-nfm')) void toggleNotForMe(r);
    else if (t.closest('.hp-s')) void toggleStar(r);
    else if (t.closest('.hp-b')) {
      // Hovering (or the focus the press gives the badge) has already opened it: the click pins it
      // open, and a click on a pinned badge closes it.
      if (pinned.has(r)) open(r, false);
      else {
        open(r, true);
        pinned.add(r);
      }
    }
  }, opts);

  function toolbarAction(action: string): void {
    if (action === 'sort') {
      ui.sorted = !ui.sorted;
      sections ??= big ? [] : recordSections(ids.map((_, i) => rowAt(i).entry));
      // A paper listed twice has one view: its first row's.
      const heatOf = (e: PageEntry) => {
        const i = rowsOf(e.id)[0];
        return i === undefined ? 0 : (views[i]?.heat ?? 0);
      };
      applyOrder(sections, ui.sorted ? heatOf : null);
    } else if (action === 'hot') {
      ui.onlyHot = !ui.onlyHot;
      for (let i = 0; i < n; i++) rowClasses(rowAt(i));
    } else if (action === 'watch') {
      ui.highlight = !ui.highlight;
      for (const r of placed) rowClasses(r);
    }
    renderToolbar();
  }

  // A listing's views are lean: the breakdown's discussion links and sparkline come with the whole
  // view, asked for once per paper when its breakdown first opens (shown as soon as it is here).
  const wholeAsked = new Set<string>();
  async function wholeView(id: string): Promise<void> {
    if (wholeAsked.has(id)) return;
    wholeAsked.add(id);
    try {
      const reply = await request(env.send, 'papers:lookup', { ids: [id], full: true });
      const v = reply.states === ROW_STATE.view ? reply.views[0] : undefined;
      if (!live() || v?.id !== id) return;
      for (const i of rowsOf(id)) {
        // Only the details: the star and "not for me" may have changed on this page since this
        // answer was made (a click right after the hover that asked for it), and the page's own
        // state of them is the newer one.
        const cur = viewOf(i);
        if (!cur?.lean) continue;
        const { lean: _lean, ...rest } = cur;
        views[i] = { ...rest, parts: v.parts, history: v.history };
        const r = made[i];
        if (r) paint(r);
      }
    } catch (err) {
      wholeAsked.delete(id);
      if (live()) env.log(`Hot Papers: could not load the breakdown of ${id} (${(err as Error).message}).`);
    }
  }

  async function toggleStar(r: Row): Promise<void> {
    try {
      const { watched } = await request(env.send, 'watchlist:toggle', { id: r.entry.id });
      if (!live()) return;
      for (const i of rowsOf(r.entry.id)) {
        starred[i] = watched ? 1 : 0;
        const x = made[i];
        if (x) {
          paint(x);
          rowClasses(x);
        }
      }
    } catch (err) {
      if (live()) env.log(`Hot Papers: could not change the watchlist (${(err as Error).message}).`);
    }
  }

  async function toggleNotForMe(r: Row): Promise<void> {
    const v = viewOf(r.i);
    if (!v) return;
    try {
      const { notForMe } = await request(env.send, 'relevance:dismiss', { id: r.entry.id, on: !v.nfm });
      if (!live()) return;
      for (const i of rowsOf(r.entry.id)) {
        const xv = viewOf(i);
        if (!xv) continue;
        views[i] = { ...xv, nfm: notForMe || undefined, fy: notForMe ? undefined : xv.fy };
        const x = made[i];
        if (x) paint(x);
      }
    } catch (err) {
      if (live()) env.log(`Hot Papers: could not mark the paper (${(err as Error).message}).`);
    }
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    listeners.abort();
    clearTimeout(pendingTimer);
    clearTimeout(mountTimer);
    try {
      unlisten();
    } catch {
      // The runtime is already gone after an extension update; nothing left to remove.
    }
  }
  env.onInvalidated(stop);

  return { ready, stop };
}
