import { t } from '../lib/i18n';
import type { HotView } from '../lib/types';

const VIEWS: HotView[] = ['today', 'week', 'watchlist', 'foryou'];

/** Today / This week / Watchlist / For you, as an ARIA tablist (←/→ move between tabs). */
export function Tabs({ value, onChange }: { value: HotView; onChange(v: HotView): void }) {
  const onKeyDown = (e: KeyboardEvent) => {
    const i = VIEWS.indexOf(value);
    const next = e.key === 'ArrowRight' ? VIEWS[(i + 1) % VIEWS.length] : e.key === 'ArrowLeft' ? VIEWS[(i + VIEWS.length - 1) % VIEWS.length] : undefined;
    if (!next) return;
    e.preventDefault();
    onChange(next);
    (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`[data-view="${next}"]`)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={t('tabsLabel')} onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v}
          type="button"
          role="tab"
          id={`tab-${v}`}
          data-view={v}
          aria-selected={v === value}
          aria-controls="hot-panel"
          tabIndex={v === value ? 0 : -1}
          onClick={() => onChange(v)}
        >
          {t(`tab_${v}`)}
        </button>
      ))}
    </div>
  );
}
