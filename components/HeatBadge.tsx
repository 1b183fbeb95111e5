import { formatHeat, metricName, sourceName, xCountsText } from '../lib/format';
import { t } from '../lib/i18n';
import type { HeatPart, PaperView, SourceId } from '../lib/types';

/** The one count per source that is shown in the row (X: its two, as in the digests); the breakdown shows all of them. */
const HEADLINE: Record<SourceId, string[]> = {
  hf: ['upvotes'],
  alphaxiv: ['votes'],
  hn: ['points'],
  bluesky: ['likes', 'reposts', 'bot_likes'],
  x: ['likes', 'retweets'],
  s2: ['citations'],
};

export function headline(part: HeatPart): { metric: string; n: number } | null {
  const known = (HEADLINE[part.source] ?? []).filter((m) => typeof part.counts[m] === 'number');
  // The first headline metric with something to show; else the first there is (0).
  const metric = known.find((m) => part.counts[m]! > 0) ?? known[0];
  if (metric) return { metric, n: part.counts[metric]! };
  const first = Object.entries(part.counts)[0];
  return first ? { metric: first[0], n: first[1] } : null;
}

export function HeatBadge({ view }: { view: PaperView }) {
  const parts = view.parts.filter((p) => headline(p));
  const described = parts.map((p) => {
    if (p.source === 'x') return t('sourceCounts', sourceName(p.source), xCountsText(p.counts));
    const h = headline(p)!;
    return t('countOf', sourceName(p.source), h.n, metricName(h.metric));
  });
  const vel = view.velocity > 0.05 ? t('velocityPerHour', view.velocity.toFixed(1)) : '';
  const label = [t('heatLabel', formatHeat(view.heat)), ...described, vel].filter(Boolean).join('; ');
  return (
    <span class="heat-badge" role="img" aria-label={label} title={label}>
      <span class={`heat ${view.heat > 0 ? 'warm' : 'cold'}`}>{formatHeat(view.heat)}</span>
      {parts.map((p) => (
        <span class={`count src-${p.source}`} key={p.source}>
          {t(`sourceShort_${p.source}`)} {p.source === 'x' ? xCountsText(p.counts) : headline(p)!.n}
        </span>
      ))}
      {vel && <span class="velocity">↑{view.velocity.toFixed(1)}/h</span>}
    </span>
  );
}
