import { useState } from 'preact/hooks';
import { normalizeArxivId } from '../lib/arxiv/ids';
import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import { Field } from './Field';
import { ListInput } from './ListInput';

type W = Settings['watchlist'];

/** Papers (any arXiv id or URL form, stored normalized), followed authors and keywords. */
export function WatchlistSection({ value, onChange }: { value: W; onChange(w: W): void }) {
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
            onChange({ ...value, papers: [...new Set(ids.filter((x): x is string => Boolean(x)))] });
          }}
        />
      </Field>
      {badIds.length > 0 && (
        <p class="error" role="alert">
          {t('optWatchBadIds', badIds.join(', '))}
        </p>
      )}
      <Field id="watch-authors" label={t('optWatchAuthors')} hint={t('optWatchAuthorsHint')}>
        <ListInput id="watch-authors" describedBy="watch-authors-hint" value={value.authors} onChange={(authors) => onChange({ ...value, authors })} />
      </Field>
      <Field id="watch-keywords" label={t('optWatchKeywords')} hint={t('optWatchKeywordsHint')}>
        <ListInput id="watch-keywords" describedBy="watch-keywords-hint" value={value.keywords} onChange={(keywords) => onChange({ ...value, keywords })} />
      </Field>
    </fieldset>
  );
}
