import { sourceName, sourceStateText } from '../lib/format';
import { t } from '../lib/i18n';
import type { SourceStatus as Status } from '../lib/types';

/** Each engagement source's state in plain words. */
export function SourceStatus({ sources }: { sources: Status[] }) {
  const shown = sources.filter((s) => s.state !== 'disabled');
  if (!shown.length) return null;
  return (
    <ul class="sources" aria-label={t('sourcesLabel')}>
      {shown.map((s) => (
        <li key={s.source} class={`source state-${s.state}`}>
          <span class="source-name">{sourceName(s.source)}</span>: {sourceStateText(s)}
        </li>
      ))}
    </ul>
  );
}
