import { formatTime } from '../lib/format';
import { t } from '../lib/i18n';
import type { PollReport, SourceStatus as Status } from '../lib/types';
import { SourceStatus } from './SourceStatus';

export interface StatusLineProps {
  lastPoll: PollReport | null;
  sources: Status[];
  refreshing: boolean;
  refreshError: string | null;
  onRefresh(): void;
}

/** Last poll, feed errors, source states and the Refresh button (accessible name "Refresh"). */
export function StatusLine({ lastPoll, sources, refreshing, refreshError, onRefresh }: StatusLineProps) {
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
      <SourceStatus sources={sources} />
    </section>
  );
}
