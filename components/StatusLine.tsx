import { formatTime } from '../lib/format';
import { t } from '../lib/i18n';
import type { Coverage } from '../lib/rank/coverage';
import { sourceName } from '../lib/format';
import { SOURCE_IDS, type PollReport, type SourceStatus as Status } from '../lib/types';
import { SourceStatus } from './SourceStatus';

export interface StatusLineProps {
  lastPoll: PollReport | null;
  sources: Status[];
  /** Signals for N of M papers of the day, per source (absent before the first poll). */
  coverage?: Coverage | null;
  refreshing: boolean;
  refreshError: string | null;
  onRefresh(): void;
}

/** Last poll, feed errors, source states and the Refresh button (accessible name "Refresh"). */
/** "Signals for 41 of 228 papers today (Hugging Face 7, alphaXiv 30, Bluesky 12)". */
export function coverageText(c: Coverage): string {
  // In the sources' own order, not the object's: the popup's stored preview comes back from
  // storage.session with its keys sorted, the worker's answer does not.
  const per = SOURCE_IDS.filter((s) => s in c.bySource).map((s) => t('coverageSource', sourceName(s), c.bySource[s] ?? 0));
  return per.length ? t('coverageWithSources', c.withSignal, c.papers, per.join(', ')) : t('coverage', c.withSignal, c.papers);
}

export function StatusLine({ lastPoll, sources, coverage, refreshing, refreshError, onRefresh }: StatusLineProps) {
  const feedErrors = lastPoll?.feeds.filter((f) => f.status === 'error') ?? [];
  return (
    <section class="status" aria-label={t('statusLabel')}>
      <div class="status-row">
        <span class="last-poll">{lastPoll ? t('lastPoll', formatTime(lastPoll.finishedAt)) : t('neverPolled')}</span>
        <button type="button" class="refresh" aria-label={t('refresh')} aria-busy={refreshing} disabled={refreshing} onClick={onRefresh}>
          <span class={refreshing ? 'spinner' : 'refresh-icon'} aria-hidden="true" />
          <span aria-hidden="true">{refreshing ? t('refreshing') : t('refresh')}</span>
        </button>
      </div>
      <p class="live" role="status" aria-live="polite">
        {refreshing ? t('refreshing') : refreshError ? t('refreshFailed', refreshError) : ''}
      </p>
      {lastPoll?.error && <p class="error">{lastPoll.error}</p>}
      {feedErrors.map((f) => (
        <p class="error" key={f.feed}>
          {t('feedError', f.feed, f.error ?? '')}
        </p>
      ))}
      {coverage && coverage.papers > 0 && <p class="coverage">{coverageText(coverage)}</p>}
      <SourceStatus sources={sources} />
    </section>
  );
}
