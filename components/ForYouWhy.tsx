import { forYouTermText } from '../lib/format';
import { t } from '../lib/i18n';
import type { ForYouWhy as Why } from '../lib/types';

/** Why a paper is "for you" (issue 21): how close it is, its nearest starred papers, the words that count. */
export function ForYouWhy({ why }: { why: Why }) {
  return (
    <div class="for-you-why">
      <p>{t('forYouCloseness', Math.round(why.closeness * 100))}</p>
      {why.near.length > 0 && <p>{t('forYouNear', why.near.map((n) => `“${n.title}”`).join(', '))}</p>}
      {why.terms.length > 0 && <p>{t('forYouTerms', why.terms.map(forYouTermText).join(', '))}</p>}
    </div>
  );
}
