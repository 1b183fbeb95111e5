/**
 * What a page's lookup carries per paper (issue 17). The reply is deserialized on the page's main
 * thread, so a 2000-entry listing gets as little as its badges need:
 *  - the reply is by position: one character per id the page asked for, in its order (`states`,
 *    ROW_STATE), and the views of the papers that have something to show, in the same order. The
 *    page keeps its rows in arrays and needs no id map to apply it;
 *  - quiet papers (cached, nothing to show yet: no heat, no sources, no history, no star, no
 *    watchlist match, no For you mark) are only a 'q'; the page builds the view only for the few
 *    it badges. The contract: for every quiet view `v`, `quietView(v.id)` equals it;
 *  - the others lean on listings (leanView: no discussion links, no history, `lean: true`); the page
 *    asks for one paper's whole view when its breakdown opens. Abs pages ask for whole views.
 * The push that follows a lookup ('papers:updated') is by id (pageViews): it carries only the papers
 * that were pending.
 */
import type { PageView } from './types';

/** Whether a page view carries nothing a badge or breakdown would show beyond "no signal yet". */
export function isQuiet(v: PageView): boolean {
  return (
    !(v.heat > 0) &&
    v.velocity === 0 &&
    v.parts.length === 0 &&
    v.history.length === 0 &&
    !v.watched &&
    v.match === undefined &&
    v.fy === undefined &&
    v.nfm === undefined
  );
}

/** The view of a quiet paper, as the worker would have sent it. */
export function quietView(id: string): PageView {
  return { id, heat: 0, velocity: 0, parts: [], history: [], watched: false };
}

/** A view without its parts' discussion links and its history, for a badge on a listing. */
export function leanView(v: PageView): PageView {
  return { ...v, parts: v.parts.map((p) => (p.links.length ? { ...p, links: [] } : p)), history: [], lean: true };
}

/**
 * The papers of a lookup reply or push: quiet ones' ids, the others whole (`full`, abs pages and a
 * breakdown's own request) or lean, in their order.
 */
export function pageViews(views: readonly PageView[], full: boolean): { views: PageView[]; quiet: string[] } {
  const out: PageView[] = [];
  const quiet: string[] = [];
  for (const v of views) {
    if (isQuiet(v)) quiet.push(v.id);
    else out.push(full ? v : leanView(v));
  }
  return { views: out, quiet };
}

/** A lookup reply's answer for one asked id (`states`, one character each). */
export const ROW_STATE = {
  /** The paper's view is the next one of the reply's `views`. */
  view: 'v',
  /** Cached, nothing to show yet: quietView(id). */
  quiet: 'q',
  /** Not cached: being looked up, a 'papers:updated' push follows. */
  pending: 'p',
  /** No data: not an arXiv id, unknown to arXiv lately, or past a cap. */
  none: '-',
} as const;

/**
 * A lookup's reply by position: `asked` is the page's list (null where an entry is not a valid id),
 * `views` the cached papers' views by id, `pending` the ids being looked up. A paper asked twice is
 * answered twice.
 */
export function pageReply(
  asked: readonly (string | null)[],
  views: ReadonlyMap<string, PageView>,
  pending: ReadonlySet<string>,
  full: boolean,
): { views: PageView[]; states: string } {
  const out: PageView[] = [];
  const shown = new Map<string, PageView>();
  let states = '';
  for (const id of asked) {
    const v = id === null ? undefined : views.get(id);
    if (v) {
      if (isQuiet(v)) states += ROW_STATE.quiet;
      else {
        let sent = shown.get(v.id);
        if (!sent) shown.set(v.id, (sent = full ? v : leanView(v)));
        out.push(sent);
        states += ROW_STATE.view;
      }
    } else states += id !== null && pending.has(id) ? ROW_STATE.pending : ROW_STATE.none;
  }
  return { views: out, states };
}
