import { useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import { ConfirmAction } from './ConfirmAction';
import { Field } from './Field';
import { NumberInput } from './NumberInput';

export interface DataSectionProps {
  settings: Settings;
  onChange(patch: Partial<Settings>): void;
  onExport(): void;
  onImport(text: string): Promise<string>;
  onClearCache(): Promise<void>;
}

/** Retention, settings export/import and clearing the cache. */
export function DataSection({ settings, onChange, onExport, onImport, onClearCache }: DataSectionProps) {
  const [message, setMessage] = useState('');
  return (
    <fieldset>
      <legend>{t('optData')}</legend>
      <Field id="retention" label={t('optRetention')} hint={t('optRetentionHint')}>
        <NumberInput id="retention" value={settings.retentionDays} min={1} max={3650} onChange={(retentionDays) => onChange({ retentionDays })} />
      </Field>
      <div class="actions">
        <button type="button" onClick={onExport}>
          {t('optExportSettings')}
        </button>
        <label class="file-button">
          {t('optImportSettings')}
          <input
            type="file"
            accept="application/json,.json"
            onChange={async (e) => {
              const input = e.currentTarget as HTMLInputElement;
              const file = input.files?.[0];
              if (!file) return;
              setMessage(await onImport(await file.text()));
              input.value = '';
            }}
          />
        </label>
        <ConfirmAction label={t('optClearCache')} confirmLabel={t('optClearCacheConfirm')} done={t('optCacheCleared')} onConfirm={onClearCache} onMessage={setMessage} />
      </div>
      <p role="status" class="status-msg">
        {message}
      </p>
    </fieldset>
  );
}
