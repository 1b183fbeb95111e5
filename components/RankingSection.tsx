import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import { Field } from './Field';
import { NumberInput } from './NumberInput';

/** How often engagement is refreshed and when a paper counts as hot. */
export function RankingSection({ settings, onChange }: { settings: Settings; onChange(patch: Partial<Settings>): void }) {
  return (
    <fieldset>
      <legend>{t('optRanking')}</legend>
      <Field id="refresh-minutes" label={t('optRefreshMinutes')} hint={t('optRefreshMinutesHint')}>
        <NumberInput id="refresh-minutes" value={settings.signalsRefreshMinutes} min={5} max={1440} onChange={(signalsRefreshMinutes) => onChange({ signalsRefreshMinutes })} />
      </Field>
      <Field id="hot-threshold" label={t('optThreshold')} hint={t('optThresholdHint')}>
        <NumberInput id="hot-threshold" value={settings.hotThreshold} min={0} max={1000} step={0.5} onChange={(hotThreshold) => onChange({ hotThreshold })} />
      </Field>
    </fieldset>
  );
}
