import { useState } from 'preact/hooks';
import { t } from '../lib/i18n';

/**
 * A secret: shown masked once stored (never its value), replaceable and deletable. The value is
 * handed to `onSave` and forgotten by this component.
 */
export function CredentialField({ id, label, masked, onSave, onDelete }: { id: string; label: string; masked: string; onSave(v: string): Promise<void>; onDelete(): Promise<void> }) {
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <div class="field credential">
      <label for={id}>{label}</label>
      {masked && (
        <span class="masked" aria-label={t('optCredentialStored')}>
          {masked}
        </span>
      )}
      <input id={id} type="password" autocomplete="off" spellcheck={false} placeholder={masked ? t('optCredentialReplace') : ''} value={draft} onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)} />
      <button
        type="button"
        disabled={!draft.trim() || busy}
        onClick={async () => {
          setBusy(true);
          await onSave(draft.trim());
          setDraft('');
          setBusy(false);
        }}
      >
        {t('optCredentialSave')}
      </button>
      {masked && (
        <button type="button" onClick={() => void onDelete()} aria-label={t('optCredentialDeleteLabel', label)}>
          {t('optCredentialDelete')}
        </button>
      )}
    </div>
  );
}
