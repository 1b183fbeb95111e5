/**
 * Badges on one arXiv page: read the page once, ask the background once for every id, paint every
 * badge in one pass of DOM writes, update from the one 'papers:updated' push. Browser edges
 * (messaging, context validity) come in through ContentEnv, so happy-dom tests drive it directly.
 *
 * Speed: badge hosts are cloned from a template and written with attributes/text only; nothing
 * here reads layout in a loop. On very long listings, rows far below the viewport get their badge
 * when they come within a few screens (IntersectionObserver), so the page's first layout is not
 * redone 2000 times over; a reader scrolling meets every row already badged.
 */
import { findEntries, pageKind, type PageEntry } from '../arxiv/listing-page';
import { isPush, request } from '../messages';
import { quietView } from '../page-view';
import type { PageView } from '../types';
import { badgeButton, createHost, renderHost, type BadgeState } from './badge';
import { fillBreakdown } from './breakdown';
import { isHot } from './format';
import { applyOrder, recordSections, type OrderSection } from './order';
import { msg } from './i18n';
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

export interface Row {
  entry: PageEntry;
  host: HTMLElement | null;
  state: BadgeState;
  /** The paper's view; undefined on a quiet paper (state 'ok', nothing to show) until viewOf builds it. */
  view: PageView | undefined;
  watched: boolean;
  /** Classes currently on the row's elements (kept here so repaints write only what changed). */
  shownWatch: boolean;
  shownOff: boolean;
  /** The next row of the same paper on this page (a paper listed twice). */
  same: Row | undefined;
}

export interface BadgePage {
  rows: Row[];
  /** Resolves once the lookup's reply has been painted (or failed). */
  ready: Promise<void>;
  stop(): void;
}

// On long listings only the rows within LAZY_MARGIN_PX of the window are badged when the reply
// comes (found with a few layout reads, see nearRows); the rest when they come that close
// (IntersectionObserver over every STRIDE-th row). A /new page with abstracts has rows of 200-300 px,
// a month listing of ~100 px: a row is never more than STRIDE/2 rows from a watched one, well
// within the margin, so a reader scrolling meets every row already badged.
const STRIDE = 10;
const LAZY_MARGIN_PX = 2000;
const LAZY_MARGIN = `${LAZY_MARGIN_PX}px 0px`;
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
function nearRows(rows: readonly Row[], win: Window | null): [number, number] {
  const height = win?.innerHeight ?? 0;
  const top = (i: number) => rows[i]!.entry.anchor.getBoundingClientRect();
  const first = top(0);
  // A page without layout (a test DOM): badge what would be about the first screens.
  if (!(first.height > 0) && !(first.width > 0)) return [0, Math.min(rows.length, 3 * STRIDE)];
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (top(mid).bottom < -LAZY_MARGIN_PX) lo = mid + 1;
    else hi = mid;
  }
  let to = lo;
  while (to < rows.length && top(to).top <= height + LAZY_MARGIN_PX) to++;
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
  const entries = findEntries(doc, info);
  if (!entries.length) {
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
  // One pass, one object per row: the first row of each paper is in byId, more rows of the same
  // paper chain through `same` (rare; a 2000-entry page builds no array per id).
  const rows: Row[] = new Array<Row>(entries.length);
  const byId = new Map<string, Row>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const r: Row = { entry, host: null, state: 'pending', view: undefined, watched: false, shownWatch: false, shownOff: false, same: undefined };
    rows[i] = r;
    let last = byId.get(entry.id);
    if (last === undefined) byId.set(entry.id, r);
    else {
      while (last.same) last = last.same;
      last.same = r;
    }
  }
  const hostRow = new WeakMap<Element, Row>();

  // A quiet paper's view is built when its row is painted or asked about, not for every row.
  const viewOf = (r: Row): PageView | undefined => (r.state === 'ok' ? (r.view ??= quietView(r.entry.id)) : r.view);
  const hot = (r: Row) => r.state === 'ok' && !!r.view && isHot(r.view.heat, threshold);
  const paint = (r: Row) => {
    if (!r.host) return;
    const view = viewOf(r);
    renderHost(r.host, { state: r.state, view, threshold, watched: r.watched });
    if (big || r.host.classList.contains('hp-open')) fillBreakdown(panelOf(r.host), r.state, view, threshold);
  };
  const rowClasses = (r: Row) => {
    if (big) return;
    // The worker says which rows match a followed author or keyword (view.match): the rules stay there.
    const watch = ui.highlight && !!r.host && (r.watched || r.view?.match === true);
    const off = ui.onlyHot && !hot(r);
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
    if (r.host) return;
    // A row whose link names another paper than its id attribute gets no badge (never arXiv's own).
    if (r.entry.confirmed && !r.entry.confirmed()) {
      if (r.state !== 'none') env.log(`Hot Papers: the row of ${r.entry.id} links another paper; no badge.`);
      r.state = 'none';
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
  let observer: IntersectionObserver | null = null;
  let toolbar: Toolbar | null = null;
  let mounted = false;
  // arXiv's order, recorded on the first sort (reading every row's place costs on a 2000-row page).
  let sections: OrderSection[] | null = null;
  function mount(): void {
    if (mounted || !live()) return;
    mounted = true;
    clearTimeout(mountTimer);
    const eagerLimit = env.eagerLimit ?? 300;
    const lazy = rows.length > eagerLimit && typeof IntersectionObserver === 'function';
    // Reads before the batch's writes.
    const [from, to] = lazy ? nearRows(rows, doc.defaultView) : [0, rows.length];
    if (band) {
      // The band is in the page's layout from its first paint (styles.css): the toolbar goes in
      // out of flow and moves nothing, in the same batch as the badges (one layout pass, not two).
      toolbar = createToolbar(doc, theme);
      band.appendChild(toolbar.root);
    } else if (!big) {
      // A listing laid out unlike arXiv's (no reserved band): in the flow, above the entries.
      toolbar = createToolbar(doc, theme);
      const list = entries[0]!.rows[0]!.parentElement;
      list?.parentNode?.insertBefore(toolbar.root, list);
    }
    for (let i = from; i < to; i++) place(rows[i]!);
    if (lazy) {
      // Watch every STRIDE-th row and badge its neighbourhood when it comes within LAZY_MARGIN: a row
      // on screen is never more than STRIDE/2 rows from a watched one, far less than the margin.
      const watchedAt = new Map<Element, number>();
      observer = new IntersectionObserver(
        (changes) => {
          if (!live()) return;
          for (const c of changes) {
            if (!c.isIntersecting) continue;
            const at = watchedAt.get(c.target);
            observer?.unobserve(c.target);
            if (at === undefined) continue;
            for (let i = Math.max(0, at - STRIDE); i < Math.min(rows.length, at + STRIDE); i++) place(rows[i]!);
          }
        },
        { rootMargin: LAZY_MARGIN },
      );
      for (let i = 0; i < rows.length; i += STRIDE) {
        if (i >= from && i < to) continue;
        const anchor = rows[i]!.entry.anchor;
        watchedAt.set(anchor, i);
        observer.observe(anchor);
      }
    }
    renderToolbar();
    mark('hp:placed');
  }
  const mountTimer = setTimeout(mount, env.placeholderDelayMs ?? 150);

  const counts = () => {
    let nHot = 0;
    let loading = 0;
    for (const r of rows) {
      if (hot(r)) nHot++;
      else if (r.state === 'pending') loading++;
    }
    return { hot: nHot, total: rows.length, loading };
  };
  const renderToolbar = () => toolbar?.render(ui, threshold, counts());

  // Rows that have a badge, in the order they got it: repaints touch these, not the whole listing.
  const placed: Row[] = [];

  function applyViews(views: readonly PageView[], quiet: readonly string[], unresolved: 'pending' | 'none'): void {
    for (const v of views) {
      for (let r = byId.get(v.id); r; r = r.same) {
        r.view = v;
        r.state = 'ok';
        r.watched = v.watched;
      }
    }
    for (const id of quiet) {
      for (let r = byId.get(id); r; r = r.same) {
        r.view = undefined;
        r.state = 'ok';
        r.watched = false;
      }
    }
    if (unresolved === 'none') for (const r of rows) if (r.state === 'pending') r.state = 'none';
    // Rows without a badge are painted when they get one; with "only hot" on, every row's
    // visibility may change.
    for (const r of ui.onlyHot ? rows : placed) {
      paint(r);
      rowClasses(r);
    }
    renderToolbar();
  }

  let pendingTimer: ReturnType<typeof setTimeout> | undefined;
  const onPush = (msg: unknown) => {
    if (!live() || !isPush(msg) || msg.push !== 'papers:updated') return;
    clearTimeout(pendingTimer);
    // The background sends one push for the whole missing batch: what it lacks has no data.
    applyViews(msg.payload.views, msg.payload.quiet, 'none');
  };
  const unlisten = env.listen(onPush);

  const ready = (async () => {
    let reply;
    try {
      // Listings get lean views (no links, no history: lib/page-view.ts); the abs page shows its breakdown at once.
      reply = await request(env.send, 'papers:lookup', big ? { ids: [...byId.keys()], full: true } : { ids: [...byId.keys()] });
    } catch (err) {
      if (!live()) return;
      env.log(`Hot Papers: the extension did not answer (${(err as Error).message}); badges show no data.`);
      applyViews([], [], 'none');
      mount();
      return;
    }
    if (!live()) return;
    mark('hp:data');
    threshold = reply.hotThreshold;
    const pending = new Set(reply.pending);
    // Ids neither answered nor pending (rejected by the background) have no data.
    for (const r of rows) if (!pending.has(r.entry.id)) r.state = 'none';
    applyViews(reply.views, reply.quiet, 'pending');
    mount();
    mark('hp:painted');
    try {
      performance.measure('hp:paint', 'hp:data', 'hp:painted');
    } catch {
      // See mark().
    }
    if (pending.size) pendingTimer = setTimeout(() => live() && applyViews([], [], 'none'), env.pendingTimeoutMs ?? 180_000);
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
      const view = viewOf(r);
      fillBreakdown(panelOf(host), r.state, view, threshold);
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
      sections ??= big ? [] : recordSections(entries);
      applyOrder(sections, ui.sorted ? (e) => byId.get(e.id)?.view?.heat ?? 0 : null);
    } else if (action === 'hot') {
      ui.onlyHot = !ui.onlyHot;
      for (const r of rows) rowClasses(r);
    } else if (action === 'watch') {
      ui.highlight = !ui.highlight;
      for (const r of rows) rowClasses(r);
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
      const v = reply.views.find((x) => x.id === id);
      if (!live() || !v) return;
      for (let x = byId.get(id); x; x = x.same) {
        // Only the details: the star and "not for me" may have changed on this page since this
        // answer was made (a click right after the hover that asked for it), and the page's own
        // state of them is the newer one.
        const cur = viewOf(x);
        if (!cur?.lean) continue;
        const { lean: _lean, ...rest } = cur;
        x.view = { ...rest, parts: v.parts, history: v.history };
        paint(x);
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
      for (let x = byId.get(r.entry.id); x; x = x.same) {
        x.watched = watched;
        paint(x);
        rowClasses(x);
      }
    } catch (err) {
      if (live()) env.log(`Hot Papers: could not change the watchlist (${(err as Error).message}).`);
    }
  }

  async function toggleNotForMe(r: Row): Promise<void> {
    const v = viewOf(r);
    if (!v) return;
    try {
      const { notForMe } = await request(env.send, 'relevance:dismiss', { id: r.entry.id, on: !v.nfm });
      if (!live()) return;
      for (let x = byId.get(r.entry.id); x; x = x.same) {
        const xv = viewOf(x);
        if (!xv) continue;
        x.view = { ...xv, nfm: notForMe || undefined, fy: notForMe ? undefined : xv.fy };
        paint(x);
      }
    } catch (err) {
      if (live()) env.log(`Hot Papers: could not mark the paper (${(err as Error).message}).`);
    }
  }

  function stop(): void {
    if (stopped) return;
    stopped = true;
    listeners.abort();
    observer?.disconnect();
    clearTimeout(pendingTimer);
    clearTimeout(mountTimer);
    try {
      unlisten();
    } catch {
      // The runtime is already gone after an extension update; nothing left to remove.
    }
  }
  env.onInvalidated(stop);

  return { rows, ready, stop };
}
