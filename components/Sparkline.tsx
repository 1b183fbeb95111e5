import { t } from '../lib/i18n';

const W = 48;
const H = 14;

/** Heat over time as a tiny line; nothing when there are fewer than two points. */
export function Sparkline({ history }: { history: { t: number; heat: number }[] }) {
  if (history.length < 2) return null;
  const t0 = history[0]!.t;
  const span = Math.max(1, history[history.length - 1]!.t - t0);
  const max = Math.max(1e-9, ...history.map((p) => p.heat));
  const points = history.map((p) => `${(((p.t - t0) / span) * W).toFixed(1)},${(H - 1 - (p.heat / max) * (H - 2)).toFixed(1)}`).join(' ');
  return (
    <svg class="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('sparklineLabel', history.length)}>
      <polyline points={points} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  );
}
