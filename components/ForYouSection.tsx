import { useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import type { Res } from '../lib/messages';
import type { Settings } from '../lib/settings';
import { ConfirmAction } from './ConfirmAction';
import { Field } from './Field';
import { NumberInput } from './NumberInput';

type F = Settings['forYou'];
export type ForYouStatus = Res<'relevance:status'>;

export interface ForYouSectionProps {
  value: F;
  /** What the worker's model learned from, and the titles of the "not for me" papers (when known). */
  status: ForYouStatus | null;
  onChange(change: (cur: F) => F): void;
  onReset(): Promise<void>;
}

/**
 * For you (issue 21): what it is and where it lives, how the tab orders, the closeness of the mark
 * and notifications, the papers marked "not for me" (each undoable), and forgetting what was learned.
 */
export function ForYouSection({ value, status, onChange, onReset }: ForYouSectionProps) {
  const [message, setMessage] = useState('');
  const titles = new Map((status?.dismissed ?? []).map((d) => [d.id, d.title]));
  return (
    <fieldset class="for-you">
      <legend>{t('forYouSection')}</legend>
      <p class="hint">{t('forYouIntro')}</p>
      <p role="status" class="for-you-status">
        {status?.ready
          ? t('forYouStatusReady', status.positives ?? 0, status.negatives ?? 0, status.corpus ?? 0, new Date(status.trainedAt ?? 0).toLocaleString())
          : t('forYouStatusLearning', status?.needed ?? 3, status?.stars ?? 0)}
      </p>
      <Field id="for-you-mix" label={t('forYouMixLabel')}>
        <NumberInput id="for-you-mix" value={value.mix} min={0} max={1} step={0.1} onChange={(mix) => onChange((f) => ({ ...f, mix }))} />
      </Field>
      <Field id="for-you-closeness" label={t('forYouClosenessLabel')}>
        <NumberInput id="for-you-closeness" value={value.closeness} min={0.5} max={1} step={0.01} onChange={(closeness) => onChange((f) => ({ ...f, closeness }))} />
      </Field>
      <label class="check">
        <input type="checkbox" checked={value.notify} onChange={(e) => {
            const notify = (e.currentTarget as HTMLInputElement).checked;
            onChange((f) => ({ ...f, notify }));
          }} />
        {t('forYouNotifyLabel')}
      </label>
      <Field id="for-you-heat" label={t('forYouNotifyHeatLabel')}>
        <NumberInput id="for-you-heat" value={value.notifyHeat} min={0} max={1000} step={0.5} onChange={(notifyHeat) => onChange((f) => ({ ...f, notifyHeat }))} />
      </Field>
      <h3>{t('forYouDismissedTitle', value.notForMe.length)}</h3>
      {value.notForMe.length === 0 ? (
        <p class="muted">{t('forYouDismissedNone')}</p>
      ) : (
        <ul class="not-for-me-list">
          {[...value.notForMe].reverse().map((id) => (
            <li key={id}>
              <span class="id">{id}</span> <span class="title">{titles.get(id) ?? ''}</span>{' '}
              <button type="button" aria-label={t('forYouUndoLabel', id)} onClick={() => onChange((f) => ({ ...f, notForMe: f.notForMe.filter((x) => x !== id) }))}>
                {t('forYouUndo')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="actions">
        <ConfirmAction label={t('forYouReset')} confirmLabel={t('forYouReset')} prompt={t('forYouResetConfirm')} done={t('forYouResetDone')} onConfirm={onReset} onMessage={setMessage} />
      </div>
      <p role="status" class="for-you-msg">
        {message}
      </p>
    </fieldset>
  );
}
