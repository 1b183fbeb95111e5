import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import { Field } from './Field';
import { NumberInput } from './NumberInput';

type N = Settings['notifications'];

/** On/off, quiet hours (off until set; may cross midnight) and the daily cap. Changes apply to the current settings, not to `value`. */
export function NotificationsSection({ value, onChange }: { value: N; onChange(change: (cur: N) => N): void }) {
  const q = value.quietHours;
  return (
    <fieldset>
      <legend>{t('optNotifications')}</legend>
      <label class="check">
        <input type="checkbox" checked={value.enabled} onChange={(e) => {
            const enabled = (e.currentTarget as HTMLInputElement).checked;
            onChange((n) => ({ ...n, enabled }));
          }} />
        {t('optNotificationsEnabled')}
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={q !== null}
          disabled={!value.enabled}
          onChange={(e) => {
            const on = (e.currentTarget as HTMLInputElement).checked;
            onChange((n) => ({ ...n, quietHours: on ? (n.quietHours ?? { start: '22:00', end: '07:00' }) : null }));
          }}
        />
        {t('optQuietHours')}
      </label>
      {q && (
        <div class="quiet">
          <label for="quiet-start">{t('optQuietFrom')}</label>
          <input id="quiet-start" type="time" value={q.start} onInput={(e) => {
              const start = (e.currentTarget as HTMLInputElement).value;
              onChange((n) => ({ ...n, quietHours: { ...(n.quietHours ?? q), start } }));
            }} />
          <label for="quiet-end">{t('optQuietTo')}</label>
          <input id="quiet-end" type="time" value={q.end} onInput={(e) => {
              const end = (e.currentTarget as HTMLInputElement).value;
              onChange((n) => ({ ...n, quietHours: { ...(n.quietHours ?? q), end } }));
            }} />
        </div>
      )}
      <Field id="daily-cap" label={t('optDailyCap')} hint={t('optDailyCapHint')}>
        <NumberInput id="daily-cap" value={value.dailyCap} min={0} max={100} onChange={(dailyCap) => onChange((n) => ({ ...n, dailyCap }))} />
      </Field>
    </fieldset>
  );
}
