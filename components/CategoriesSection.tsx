import { useEffect, useState } from 'preact/hooks';
import { parseCategoryList } from '../lib/taxonomy';
import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import { Field } from './Field';

/** Categories checked against arXiv's taxonomy; unknown codes are shown and not saved. */
export function CategoriesSection({ settings, onChange }: { settings: Settings; onChange(patch: Partial<Settings>): void }) {
  const [text, setText] = useState(settings.categories.join(', '));
  const [unknown, setUnknown] = useState<string[]>([]);
  useEffect(() => setText(settings.categories.join(', ')), [settings.categories.join(',')]);
  return (
    <fieldset>
      <legend>{t('optCategories')}</legend>
      <Field id="categories" label={t('optCategoriesLabel')} hint={t('optCategoriesHint')}>
        <input
          id="categories"
          type="text"
          value={text}
          aria-invalid={unknown.length > 0}
          aria-describedby="categories-hint categories-error"
          onInput={(e) => {
            const v = (e.currentTarget as HTMLInputElement).value;
            setText(v);
            const { known, unknown: bad } = parseCategoryList(v);
            setUnknown(bad);
            if (!bad.length && known.length) onChange({ categories: known });
          }}
        />
      </Field>
      <p id="categories-error" class="error" role="alert">
        {unknown.length ? t('optCategoriesUnknown', unknown.join(', ')) : ''}
      </p>
      <label class="check">
        <input type="checkbox" checked={settings.includeCrossLists} onChange={(e) => onChange({ includeCrossLists: (e.currentTarget as HTMLInputElement).checked })} />
        {t('optCrossLists')}
      </label>
    </fieldset>
  );
}
