import type { Settings } from '../lib/settings';
import type { Credentials } from '../lib/sources/types';
import type { SourceId, SourceUsage } from '../lib/types';
import { CategoriesSection } from './CategoriesSection';
import { DataSection } from './DataSection';
import { ForYouSection, type ForYouStatus } from './ForYouSection';
import { NotificationsSection } from './NotificationsSection';
import { RankingSection } from './RankingSection';
import { SourcesSection } from './SourcesSection';
import { WatchlistSection } from './WatchlistSection';

export interface SettingsFormProps {
  settings: Settings;
  credentials: Credentials;
  sourceNotes: Partial<Record<SourceId, string>>;
  /** X's use of its daily budget today (for the estimate beside the budget), when known. */
  xUsage?: SourceUsage;
  now?: number;
  /** Top-level fields set to these values. */
  onChange(patch: Partial<Settings>): void;
  /** A change computed from the current settings (a field inside a group: one source, one quiet-hours end). */
  onUpdate(change: (cur: Settings) => Settings): void;
  onToggleSource(source: SourceId, enabled: boolean): void;
  onCredentials(patch: Partial<Credentials>): Promise<void>;
  onDeleteCredential(which: keyof Credentials): Promise<void>;
  onExport(): void;
  onImport(text: string): Promise<string>;
  onClearCache(): Promise<void>;
  /** The For you model's state (issue 21), null until the worker answered. */
  forYouStatus?: ForYouStatus | null;
  onResetForYou?(): Promise<void>;
}

export function SettingsForm(p: SettingsFormProps) {
  const s = p.settings;
  return (
    <form class="settings" onSubmit={(e) => e.preventDefault()}>
      <CategoriesSection settings={s} onChange={p.onChange} />
      <SourcesSection
        settings={s}
        credentials={p.credentials}
        sourceNotes={p.sourceNotes}
        onToggle={p.onToggleSource}
        onWeight={(source, weight, which = 'weight') => p.onUpdate((cur) => ({ ...cur, sources: { ...cur.sources, [source]: { ...cur.sources[source], [which]: weight } } }))}
        onCredentials={p.onCredentials}
        onDeleteCredential={p.onDeleteCredential}
        onXDailyPosts={(xDailyPosts) => p.onChange({ xDailyPosts })}
        xUsage={p.xUsage}
        now={p.now ?? Date.now()}
      />
      <RankingSection settings={s} onChange={p.onChange} />
      <NotificationsSection value={s.notifications} onChange={(change) => p.onUpdate((cur) => ({ ...cur, notifications: change(cur.notifications) }))} />
      <WatchlistSection value={s.watchlist} onChange={(change) => p.onUpdate((cur) => ({ ...cur, watchlist: change(cur.watchlist) }))} />
      <ForYouSection
        value={s.forYou}
        status={p.forYouStatus ?? null}
        onChange={(change) => p.onUpdate((cur) => ({ ...cur, forYou: change(cur.forYou) }))}
        onReset={p.onResetForYou ?? (async () => undefined)}
      />
      <DataSection settings={s} onChange={p.onChange} onExport={p.onExport} onImport={p.onImport} onClearCache={p.onClearCache} />
    </form>
  );
}
