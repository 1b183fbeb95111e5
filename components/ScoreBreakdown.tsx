import { formatHeat, metricName, sourceName } from '../lib/format';
import { t } from '../lib/i18n';
import type { PaperView } from '../lib/types';

/** Why a paper has its heat: each source's counts, weight, contribution and share. */
export function ScoreBreakdown({ view }: { view: PaperView }) {
  if (!view.parts.length) return <p class="muted">{t('breakdownNone')}</p>;
  return (
    <table class="breakdown">
      <caption class="sr-only">{t('breakdownCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('breakdownSource')}</th>
          <th scope="col">{t('breakdownCounts')}</th>
          <th scope="col">{t('breakdownWeight')}</th>
          <th scope="col">{t('breakdownScore')}</th>
        </tr>
      </thead>
      <tbody>
        {view.parts.map((p) => (
          <tr key={p.source}>
            <th scope="row">{sourceName(p.source)}</th>
            <td>
              {Object.entries(p.counts)
                .map(([m, n]) => `${metricName(m)} ${n}`)
                .join(', ')}
            </td>
            <td>×{p.weight}</td>
            <td>
              {formatHeat(p.score)} ({Math.round(p.share * 100)}%)
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
