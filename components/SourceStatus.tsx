import { formatUsd, sourceName, sourceStateText } from '../lib/format';
import { t } from '../lib/i18n';
import { canRequest, costUsd, usageToday } from '../lib/sources/x-budget';
import type { SourceStatus as Status, SourceUsage } from '../lib/types';

/** Today's use of a billed source's budget (X): "50 of 200 posts today (≈ $0.25)", or that it is spent. */
export function usageText(usage: SourceUsage, now: number): string {
  const today = usageToday(usage, now);
  if (!canRequest(today, usage.budget)) return t('xBudgetSpent', today.posts, usage.budget);
  return t('xBudgetToday', today.posts, usage.budget, formatUsd(costUsd(today.posts)));
}

/** Each engagement source's state in plain words. */
export function SourceStatus({ sources }: { sources: Status[] }) {
  const shown = sources.filter((s) => s.state !== 'disabled');
  if (!shown.length) return null;
  return (
    <ul class="sources" aria-label={t('sourcesLabel')}>
      {shown.map((s) => (
        <li key={s.source} class={`source state-${s.state}`}>
          <span class="source-name">{sourceName(s.source)}</span>: {sourceStateText(s)}
          {s.usage && <span class="source-usage"> · {usageText(s.usage, Date.now())}</span>}
        </li>
      ))}
    </ul>
  );
}
