import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import { Field } from './Field';
import { NumberInput } from './NumberInput';

type N = Settings['notifications'];

/** On/off, quiet hours (off until set; may cross midnight) and the daily cap. */
export function NotificationsSection({ value, onChange }: { value: N; onChange(n: N): void }) {
  const q = value.quietHours;
  return (
    <fieldset>
      <legend>{t('optNotifications')}</legend>
      <label class="check">
        <input type="checkbox" checked={value.enabled} onChange={(e) => onChange({ ...value, enabled: (e.currentTarget as HTMLInputElement).checked })} />
        {t('optNotificationsEnabled')}
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={q !== null}
          disabled={!value.enabled}
          onChange={(e) => onChange({ ...value, quietHours: (e.currentTarget as HTMLInputElement).checked ? { start: '22:00', end: '07:00' } : null })}
        />
        {t('optQuietHours')}
      </label>
      {q && (
        <div class="quiet">
          <label for="quiet-start">{t('optQuietFrom')}</label>
          <input id="quiet-start" type="time" value={q.start} onInput={(e) => onChange({ ...value, quietHours: { ...q, start: (e.currentTarget as HTMLInputElement).value } })} />
          <label for="quiet-end">{t('optQuietTo')}</label>
          <input id="quiet-end" type="time" value={q.end} onInput={(e) => onChange({ ...value, quietHours: { ...q, end: (e.currentTarget as HTMLInputElement).value } })} />
        </div>
      )}
      <Field id="daily-cap" label={t('optDailyCap')} hint={t('optDailyCapHint')}>
        <NumberInput id="daily-cap" value={value.dailyCap} min={0} max={100} onChange={(dailyCap) => onChange({ ...value, dailyCap })} />
      </Field>
    </fieldset>
  );
}
