import { useState } from 'preact/hooks';
import { normalizeArxivId } from '../lib/arxiv/ids';
import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import { Field } from './Field';
import { ListInput } from './ListInput';

type W = Settings['watchlist'];

/** Papers (any arXiv id or URL form, stored normalized), followed authors and keywords. Changes apply to the current settings, not to `value`. */
export function WatchlistSection({ value, onChange }: { value: W; onChange(change: (cur: W) => W): void }) {
  const [badIds, setBadIds] = useState<string[]>([]);
  return (
    <fieldset>
      <legend>{t('optWatchlist')}</legend>
      <Field id="watch-papers" label={t('optWatchPapers')} hint={t('optWatchPapersHint')}>
        <ListInput
          id="watch-papers"
          describedBy="watch-papers-hint"
          value={value.papers}
          onChange={(lines) => {
            const ids = lines.map((l) => normalizeArxivId(l));
            setBadIds(lines.filter((_, i) => !ids[i]));
            const papers = [...new Set(ids.filter((x): x is string => Boolean(x)))];
            onChange((w) => ({ ...w, papers }));
          }}
        />
      </Field>
      {badIds.length > 0 && (
        <p class="error" role="alert">
          {t('optWatchBadIds', badIds.join(', '))}
        </p>
      )}
      <Field id="watch-authors" label={t('optWatchAuthors')} hint={t('optWatchAuthorsHint')}>
        <ListInput id="watch-authors" describedBy="watch-authors-hint" value={value.authors} onChange={(authors) => onChange((w) => ({ ...w, authors }))} />
      </Field>
      <Field id="watch-keywords" label={t('optWatchKeywords')} hint={t('optWatchKeywordsHint')}>
        <ListInput id="watch-keywords" describedBy="watch-keywords-hint" value={value.keywords} onChange={(keywords) => onChange((w) => ({ ...w, keywords }))} />
      </Field>
    </fieldset>
  );
}
