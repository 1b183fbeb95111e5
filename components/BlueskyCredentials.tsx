import { useState } from 'preact/hooks';
import { maskSecret } from '../lib/credentials';
import { t } from '../lib/i18n';
import type { Credentials } from '../lib/sources/types';

/** Bluesky needs a handle and an app password together; the password is never shown once stored. */
export function BlueskyCredentials({ current, onSave, onDelete }: { current: Credentials['bluesky']; onSave(v: { handle: string; appPassword: string }): Promise<void>; onDelete(): Promise<void> }) {
  const [handle, setHandle] = useState(current?.handle ?? '');
  const [password, setPassword] = useState('');
  const ready = handle.trim() && (password.trim() || current?.appPassword);
  return (
    <div class="credentials">
      <div class="field">
        <label for="bsky-handle">{t('optBlueskyHandle')}</label>
        <input id="bsky-handle" type="text" autocomplete="off" spellcheck={false} placeholder="name.bsky.social" value={handle} onInput={(e) => setHandle((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="bsky-password">{t('optBlueskyPassword')}</label>
        {current && <span class="masked">{maskSecret(current.appPassword)}</span>}
        <input id="bsky-password" type="password" autocomplete="off" placeholder={current ? t('optCredentialReplace') : 'xxxx-xxxx-xxxx-xxxx'} value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
      </div>
      <button
        type="button"
        disabled={!ready}
        onClick={async () => {
          await onSave({ handle: handle.trim(), appPassword: password.trim() || current?.appPassword || '' });
          setPassword('');
        }}
      >
        {t('optCredentialSave')}
      </button>
      {current && (
        <button type="button" onClick={() => void onDelete().then(() => setHandle(''))} aria-label={t('optCredentialDeleteLabel', 'Bluesky')}>
          {t('optCredentialDelete')}
        </button>
      )}
      <small class="hint">{t('optBlueskyHint')}</small>
    </div>
  );
}
