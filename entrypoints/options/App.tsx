import { useEffect, useRef, useState } from 'preact/hooks';
import { ProblemsList } from '../../components/ProblemsList';
import { SettingsForm } from '../../components/SettingsForm';
import { deleteCredentials, getCredentials, setCredentials } from '../../lib/credentials';
import { t } from '../../lib/i18n';
import { SOURCE_PERMISSION_ORIGINS } from '../../lib/safe-url';
import { exportSettings, importSettings, SettingsImportError } from '../../lib/export/settings-io';
import { loadSettings, saveSettings, type KeyValueStorage, type Settings, type SettingsProblem } from '../../lib/settings';
import type { Res } from '../../lib/messages';
import type { Credentials } from '../../lib/sources/types';
import type { SourceId, SourceUsage } from '../../lib/types';
import type { UiApi } from '../../lib/popup/ui-api';

export interface OptionsApi extends Pick<UiApi, 'request' | 'now' | 'download'> {
  storage: KeyValueStorage;
  /** Credentials (lib/store/secret-store.ts), apart from storage.local, which content scripts can read. */
  secrets: KeyValueStorage;
  /** browser.permissions.request — must be called synchronously inside the user's click. */
  requestOrigins(origins: string[]): Promise<boolean>;
}

/** Settings save as they change (validated); credentials save on their own buttons. */
export function App({ api }: { api: OptionsApi }) {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [credentials, setCreds] = useState<Credentials>({});
  const [stored, setStored] = useState<SettingsProblem[]>([]);
  const [imported, setImported] = useState<SettingsProblem[]>([]);
  const [notes, setNotes] = useState<Partial<Record<SourceId, string>>>({});
  const [saved, setSaved] = useState('');
  const [setAside, setSetAside] = useState<Res<'upgrade:setAside'>['records']>([]);
  const [xUsage, setXUsage] = useState<SourceUsage | undefined>(undefined);
  const [forYou, setForYou] = useState<Res<'relevance:status'> | null>(null);

  useEffect(() => {
    // Extension HTML pages get no __MSG_ substitution: index.html's English <title> is the fallback.
    document.title = t('optTitle');
    void loadSettings(api.storage).then((r) => {
      setSettings(r.settings);
      setStored(r.problems);
    });
    void getCredentials(api.secrets).then(setCreds);
    // Records an upgrade could not use are said once, here (the worker marks them told).
    void api.request('upgrade:setAside', {}).then(
      (r) => setSetAside(Array.isArray(r?.records) ? r.records : []),
      () => undefined,
    );
    // Today's X use, for the cost estimate beside its budget; without it the budget's own cost is shown.
    void api
      .request('poll:state', {})
      .then((st) => setXUsage(st.sources.find((x) => x.source === 'x')?.usage))
      .catch(() => undefined);
  }, []);

  // The For you model's state, again whenever its examples change (the worker retrains on them).
  const examples = settings ? `${settings.watchlist.papers.join(',')}|${settings.forYou.notForMe.join(',')}` : '';
  useEffect(() => {
    if (!settings) return;
    const ask = () => api.request('relevance:status', {}).then(setForYou, () => undefined);
    void ask();
    // Training runs after the settings are stored: ask once more when it has had time to finish.
    const later = setTimeout(() => void ask(), 1500);
    return () => clearTimeout(later);
  }, [examples]);

  /** The settings on screen, ahead of the next render (two changes in one tick see each other). */
  const shown = useRef<Settings | null>(null);
  /** Saves run one after another, in the order the changes were made. */
  const saving = useRef<Promise<unknown>>(Promise.resolve());
  const unsaved = useRef(0);
  shown.current ??= settings;

  if (!settings) return <p aria-busy="true">{t('loading')}</p>;

  /**
   * Applies a change: at once to what the page shows, and when saving, to what is stored at that
   * moment, not to the settings of the last render. Two quick changes (two fields, two sources'
   * weights, the start and end of quiet hours) are then both kept, and so is a change made
   * elsewhere meanwhile (a paper watched from the popup or an arXiv page).
   */
  const update = (change: (cur: Settings) => Settings): Promise<void> => {
    shown.current = change(shown.current ?? settings);
    setSettings(shown.current);
    unsaved.current++;
    const run = saving.current.then(async () => {
      try {
        const { settings: stored } = await loadSettings(api.storage);
        const r = await saveSettings(api.storage, change(stored));
        setSaved(r.problems.length ? t('optSavedWithProblems', r.problems.length) : t('optSaved'));
        // Once every change is saved, the page shows what is stored (with changes from elsewhere).
        if (unsaved.current === 1) {
          shown.current = r.settings;
          setSettings(r.settings);
        }
      } finally {
        unsaved.current--;
      }
    });
    saving.current = run.catch(() => undefined);
    return run;
  };
  const save = (patch: Partial<Settings>) => update((cur) => ({ ...cur, ...patch }));

  const onToggleSource = (source: SourceId, enabled: boolean) => {
    // Bluesky without an account reads the category bots on the public AppView (a required host):
    // its optional hosts are asked for at sign-in, not here.
    const origins = source === 'bluesky' && !credentials.bluesky ? undefined : SOURCE_PERMISSION_ORIGINS[source];
    const apply = () => update((cur) => ({ ...cur, sources: { ...cur.sources, [source]: { ...cur.sources[source], enabled } } }));
    if (!enabled || !origins) {
      setNotes((n) => ({ ...n, [source]: undefined }));
      void apply();
      return;
    }
    // Asked inside the click (no await before it): browsers refuse permission prompts otherwise.
    void api.requestOrigins(origins).then((granted) => {
      if (granted) {
        setNotes((n) => ({ ...n, [source]: undefined }));
        void apply();
      } else {
        setNotes((n) => ({ ...n, [source]: t('optPermissionRefused') }));
      }
    });
  };

  return (
    <main class="options">
      <h1>{t('optTitle')}</h1>
      {setAside.map((r) => (
        <p key={r.key} class="set-aside" role="status">
          {r.what === 'signals' ? t('optSetAsideSignals', r.count, r.key) : t('optSetAside', r.count, r.key)}
        </p>
      ))}
      <ProblemsList problems={stored} title={t('optStoredProblems')} />
      <ProblemsList problems={imported} title={t('optImportProblems')} />
      <SettingsForm
        settings={settings}
        credentials={credentials}
        sourceNotes={notes}
        xUsage={xUsage}
        now={api.now()}
        onChange={(patch) => void save(patch)}
        onUpdate={(change) => void update(change)}
        onToggleSource={onToggleSource}
        onCredentials={(patch) => {
          // Signing in to an account source needs its host permission: asked inside the click.
          const source: SourceId | null = patch.bluesky ? 'bluesky' : patch.xBearer ? 'x' : null;
          const origins = source ? SOURCE_PERMISSION_ORIGINS[source] : undefined;
          const permission = origins ? api.requestOrigins(origins) : Promise.resolve(true);
          return (async () => {
            if (source && !(await permission)) setNotes((n) => ({ ...n, [source]: t('optPermissionRefused') }));
            setCreds(await setCredentials(api.secrets, patch));
          })();
        }}
        onDeleteCredential={async (which) => {
          await deleteCredentials(api.secrets, which);
          setCreds(await getCredentials(api.secrets));
        }}
        onExport={() => api.download(exportSettings(settings, api.now()), 'hot-papers-settings.json', 'application/json')}
        onImport={async (text) => {
          try {
            const r = importSettings(text);
            setImported(r.problems);
            await update(() => r.settings);
            setStored([]);
            return r.problems.length ? t('optImportedWithProblems', r.problems.length) : t('optImported');
          } catch (err) {
            setImported([]);
            return err instanceof SettingsImportError ? err.message : t('optImportFailed');
          }
        }}
        onClearCache={async () => {
          await api.request('cache:clear', {});
        }}
        forYouStatus={forYou}
        onResetForYou={async () => {
          await api.request('relevance:reset', {});
          const r = await loadSettings(api.storage);
          shown.current = r.settings;
          setSettings(r.settings);
          setForYou(await api.request('relevance:status', {}));
        }}
      />
      <p class="saved" role="status">
        {saved}
      </p>
    </main>
  );
}
