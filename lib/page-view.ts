/**
 * What a page's lookup carries per paper (issue 17). The reply is deserialized on the page's main
 * thread, so a 2000-entry listing gets as little as its badges need:
 *  - quiet papers (cached, nothing to show yet: no heat, no sources, no history, no star, no
 *    watchlist match, no For you mark) as ids in `quiet`; the page builds the view only for the few
 *    it badges. The contract: for every quiet view `v`, `quietView(v.id)` equals it;
 *  - the others lean on listings (leanView: no discussion links, no history, `lean: true`); the page
 *    asks for one paper's whole view when its breakdown opens. Abs pages ask for whole views.
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
