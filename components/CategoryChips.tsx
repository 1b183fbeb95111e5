import { t } from '../lib/i18n';

/** Filter chips for the categories present in the list; none selected = all. */
export function CategoryChips({ categories, selected, onToggle, onClear }: { categories: string[]; selected: ReadonlySet<string>; onToggle(c: string): void; onClear(): void }) {
  if (categories.length < 2) return null;
  return (
    <div class="chips" role="group" aria-label={t('chipsLabel')}>
      <button type="button" class="chip" aria-pressed={selected.size === 0} onClick={onClear}>
        {t('chipAll')}
      </button>
      {categories.map((c) => (
        <button key={c} type="button" class="chip" aria-pressed={selected.has(c)} onClick={() => onToggle(c)}>
          {c}
        </button>
      ))}
    </div>
  );
}
