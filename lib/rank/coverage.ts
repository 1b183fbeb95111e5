/**
 * How much of a day the signals cover (issue 16): "signals for N of M papers today", with a figure
 * per source. A paper has a signal from a source when that source (switched on) reported a positive
 * count for it — account tallies (`accounts`, `bot_accounts` …) alone are not engagement. Computed
 * after each poll over the Today view's papers (lib/worker/poll.ts) and kept in meta under
 * COVERAGE_KEY; the popup's status line shows it.
 */
import type { Settings } from '../settings';
import { SOURCE_IDS, type Coverage, type SignalRecord, type SourceId } from '../types';

export type { Coverage };

export const COVERAGE_KEY = 'coverage';


export function hasSignal(r: Pick<SignalRecord, 'counts'>): boolean {
  for (const [k, n] of Object.entries(r.counts ?? {})) {
    if (k === 'accounts' || k.endsWith('_accounts')) continue;
    if (typeof n === 'number' && Number.isFinite(n) && n > 0) return true;
  }
  return false;
}

export function coverageOf(day: string | null, ids: readonly string[], signals: ReadonlyMap<string, readonly SignalRecord[]>, settings: Pick<Settings, 'sources'>): Coverage {
  const on = SOURCE_IDS.filter((s) => settings.sources[s]?.enabled);
  const bySource: Partial<Record<SourceId, number>> = Object.fromEntries(on.map((s) => [s, 0]));
  let withSignal = 0;
  for (const id of ids) {
    let any = false;
    for (const r of signals.get(id) ?? []) {
      if (!(r.source in bySource) || !hasSignal(r)) continue;
      bySource[r.source] = bySource[r.source]! + 1;
      any = true;
    }
    if (any) withSignal++;
  }
  return { day, papers: ids.length, withSignal, bySource };
}
