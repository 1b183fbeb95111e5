/**
 * Quiet papers in the page protocol (issue 17). Most papers on a listing are cached with nothing to
 * show yet: no heat, no sources, no history, no star, no watchlist match, no For you mark. Sending
 * each as a full PageView made a 2000-entry page deserialize thousands of empty objects and arrays
 * on its main thread; the worker lists their ids in `quiet` instead, and the page builds the view
 * only for the few it badges. The contract: for every quiet view `v`, `quietView(v.id)` equals it.
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

/** Splits page views into the ones sent whole and the quiet ones' ids, keeping their order. */
export function splitQuiet(views: readonly PageView[]): { views: PageView[]; quiet: string[] } {
  const out: PageView[] = [];
  const quiet: string[] = [];
  for (const v of views) {
    if (isQuiet(v)) quiet.push(v.id);
    else out.push(v);
  }
  return { views: out, quiet };
}
