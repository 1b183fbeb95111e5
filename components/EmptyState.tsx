import { t } from '../lib/i18n';

export type EmptyKind = 'fetching' | 'empty' | 'offline' | 'no-matches' | 'watchlist-empty' | 'error';

/** A list with nothing to show says why, and what happens next. */
export function EmptyState({ kind, detail }: { kind: EmptyKind; detail?: string }) {
  const key = kind.replace(/-/g, '_');
  return (
    <div class={`empty empty-${kind}`} role="status">
      <p class="empty-title">{t(`empty_${key}`)}</p>
      <p class="empty-hint">{detail ?? t(`emptyHint_${key}`)}</p>
    </div>
  );
}
