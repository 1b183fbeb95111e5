import { maskSecret } from '../lib/credentials';
import { formatUsd, sourceName } from '../lib/format';
import { dailyEstimate, X_USD_PER_POST } from '../lib/sources/x-budget';
import { t } from '../lib/i18n';
import type { Settings } from '../lib/settings';
import type { Credentials } from '../lib/sources/types';
import { SOURCE_IDS, type SourceId, type SourceUsage } from '../lib/types';
import { BlueskyCredentials } from './BlueskyCredentials';
import { CredentialField } from './CredentialField';
import { NumberInput } from './NumberInput';

export interface SourcesSectionProps {
  settings: Settings;
  credentials: Credentials;
  /** Turning a source on may need a host permission: the caller asks for it inside the click. */
  onToggle(source: SourceId, enabled: boolean): void;
  /** A source's weight in heat, or (Bluesky) the weight of bot posts or of the authors' own posts. */
  onWeight(source: SourceId, weight: number, which?: 'weight' | 'botWeight' | 'authorWeight'): void;
  onCredentials(patch: Partial<Credentials>): Promise<void>;
  onDeleteCredential(which: keyof Credentials): Promise<void>;
  /** A message next to a source (e.g. permission refused). */
  sourceNotes: Partial<Record<SourceId, string>>;
  onXDailyPosts(posts: number): void;
  /** X's use of its budget today (from its status), for the estimate beside the budget. */
  xUsage?: SourceUsage;
  now: number;
}

/** X's daily post budget, what it costs, and what X reads. */
function XBudget({ value, usage, now, onChange }: { value: number; usage?: SourceUsage; now: number; onChange(n: number): void }) {
  const est = dailyEstimate(usage, value, now);
  return (
    <div class="x-budget">
      <label for="x-budget">{t('optXBudget')}</label>
      <NumberInput id="x-budget" value={value} min={0} max={100_000} step={10} onChange={(n) => onChange(Math.floor(n))} />
      <span id="x-budget-hint" class="hint estimate">
        {est.pace ? t('optXBudgetPace', formatUsd(est.usd)) : t('optXBudgetMax', formatUsd(est.usd))}
      </span>
      <small class="hint x-explain">{t('optXExplain', formatUsd(X_USD_PER_POST, 3))}</small>
    </div>
  );
}

export function SourcesSection({ settings, credentials, onToggle, onWeight, onCredentials, onDeleteCredential, sourceNotes, onXDailyPosts, xUsage, now }: SourcesSectionProps) {
  return (
    <fieldset>
      <legend>{t('optSources')}</legend>
      {SOURCE_IDS.map((s) => (
        <div class="source-setting" key={s}>
          <label class="check">
            <input type="checkbox" checked={settings.sources[s].enabled} onChange={(e) => onToggle(s, (e.currentTarget as HTMLInputElement).checked)} />
            {sourceName(s)}
          </label>
          <label for={`weight-${s}`} class="weight-label">
            {t('optWeight')}
          </label>
          <NumberInput id={`weight-${s}`} value={settings.sources[s].weight} min={0} max={10} step={0.1} onChange={(w) => onWeight(s, w)} />
          {(['botWeight', 'authorWeight'] as const).map((k) =>
            settings.sources[s][k] === undefined ? null : (
              <span class="kind-weight" key={k}>
                <label for={`${k}-${s}`} class="weight-label">
                  {k === 'botWeight' ? t('optBotWeight') : t('optAuthorWeight')}
                </label>
                <NumberInput id={`${k}-${s}`} value={settings.sources[s][k]!} min={0} max={1} step={0.1} onChange={(w) => onWeight(s, w, k)} />
              </span>
            ),
          )}
          {sourceNotes[s] && (
            <p class="error" role="alert">
              {sourceNotes[s]}
            </p>
          )}
          {s === 'bluesky' && (
            <BlueskyCredentials current={credentials.bluesky} onSave={(bluesky) => onCredentials({ bluesky })} onDelete={() => onDeleteCredential('bluesky')} />
          )}
          {s === 'x' && <XBudget value={settings.xDailyPosts} usage={xUsage} now={now} onChange={onXDailyPosts} />}
          {s === 'x' && (
            <CredentialField id="x-bearer" label={t('optXBearer')} masked={maskSecret(credentials.xBearer)} onSave={(xBearer) => onCredentials({ xBearer })} onDelete={() => onDeleteCredential('xBearer')} />
          )}
          {s === 's2' && (
            <CredentialField id="s2-key" label={t('optS2Key')} masked={maskSecret(credentials.s2Key)} onSave={(s2Key) => onCredentials({ s2Key })} onDelete={() => onDeleteCredential('s2Key')} />
          )}
        </div>
      ))}
      <small class="hint">{t('optCredentialsPrivacy')}</small>
    </fieldset>
  );
}
