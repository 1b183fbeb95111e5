/**
 * Cached papers + their latest signals + snapshots → PaperView (heat, velocity, per-source parts
 * with links, history) for the popup, badges and exports; and the per-source statuses.
 */
import { getMetaMany, getPaperData, statusKey, type HotDb } from '../store/db';
import { heatBreakdown, heatHistory, velocity } from './heat';
import type { Settings } from '../settings';
import { SOURCE_IDS, type PaperView, type SignalRecord, type SourceStatus } from '../types';

export interface BuildViewOptions {
  settings: Settings;
  now: number;
  /** Ids already seen in the popup; without it, nothing is marked new. */
  seen?: ReadonlySet<string>;
  /** Latest signals the caller has already read (for at least these ids), so they are not read twice. */
  signals?: ReadonlyMap<string, SignalRecord[]>;
}

/** Views for `ids` in the given order; ids that are not cached are omitted. */
export async function buildViews(db: HotDb, ids: string[], opts: BuildViewOptions): Promise<PaperView[]> {
  const unique = [...new Set(ids)];
  const { papers, signals, snapshots } = await getPaperData(db, unique, opts.signals);
  const watch = new Set(opts.settings.watchlist.papers);
  const weights = opts.settings.sources;
  const out: PaperView[] = [];
  for (const id of unique) {
    const paper = papers.get(id);
    if (!paper) continue;
    const { heat, parts } = heatBreakdown(signals.get(id) ?? [], weights);
    const snaps = snapshots.get(id) ?? [];
    out.push({
      paper,
      heat,
      velocity: velocity(snaps, opts.now, weights),
      parts,
      history: heatHistory(snaps, weights),
      watched: watch.has(id),
      isNew: opts.seen !== undefined && !opts.seen.has(id),
    });
  }
  return out;
}

/** One status per known source, in registry order ('never' for a source that has not run yet). */
export async function getSourceStatuses(db: HotDb): Promise<SourceStatus[]> {
  const stored = await getMetaMany(db, SOURCE_IDS.map(statusKey));
  return SOURCE_IDS.map((id) => (stored.get(statusKey(id)) as SourceStatus | undefined) ?? { source: id, state: 'never' });
}
