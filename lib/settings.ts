/**
 * Typed, versioned settings. Stored in `storage.local` under SETTINGS_KEY (never sync: the
 * watchlist can outgrow sync quotas; export/import moves settings between machines).
 * Credentials are NOT settings: they live under their own key (lib/credentials.ts), so exports
 * never contain them.
 *
 * Loading validates field by field: an invalid stored value is reported and replaced by its
 * default, the rest is kept — never a wipe of everything.
 */
import { isKnownCategory } from './taxonomy';
import { t } from './i18n';
import { SOURCE_IDS, type SourceId } from './types';

/** X's default daily post budget: 200 posts at $0.005 a post, at most $1.00 a day (lib/sources/x-budget.ts). */
export const X_DEFAULT_DAILY_POSTS = 200;
export const X_MAX_DAILY_POSTS = 100_000;

export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 2;

export interface SourceSetting {
  enabled: boolean;
  weight: number;
  /**
   * Sources that find papers from posts (Bluesky): how much a post by a bot (a category bot, an
   * account linking many papers a day) and by one of the paper's authors counts, 0–1, next to a
   * post by anyone else (1). lib/rank/heat.ts.
   */
  botWeight?: number;
  authorWeight?: number;
}

export interface QuietHours {
  /** "HH:MM", local time. */
  start: string;
  end: string;
}

export interface Settings {
  version: typeof SETTINGS_VERSION;
  categories: string[];
  includeCrossLists: boolean;
  sources: Record<SourceId, SourceSetting>;
  /**
   * Posts X may read per UTC day (X bills each post read; lib/sources/x-budget.ts). Added without a
   * version bump: a stored object without it reads as the default.
   */
  xDailyPosts: number;
  /** Minutes between engagement refreshes. */
  signalsRefreshMinutes: number;
  /** Heat at or above which a paper counts as hot (badge, notifications, "only hot"). */
  hotThreshold: number;
  notifications: {
    enabled: boolean;
    quietHours: QuietHours | null;
    dailyCap: number;
  };
  watchlist: {
    papers: string[];
    authors: string[];
    keywords: string[];
  };
  retentionDays: number;
  /** "For you" (issue 21): what is hot and close to what this reader stars, learned on this device. */
  forYou: ForYouSettings;
}

export interface ForYouSettings {
  /**
   * How the For you tab orders papers, 0..1: score = (1 − mix) × heat ÷ (heat + hot threshold) +
   * mix × closeness. 0 is today's heat order, 1 closeness alone.
   */
  mix: number;
  /**
   * Closeness (the share of cached papers a paper is closer to your stars than, 0.5..1) at or above
   * which a paper is "for you": the mark on its badge, and the notifications.
   */
  closeness: number;
  /** Notify papers for you once their heat reaches notifyHeat (their own threshold, below the hot one). */
  notify: boolean;
  notifyHeat: number;
  /** Papers marked "not for me": the model's negative examples (undone in the options or on the badge). */
  notForMe: string[];
}

export const DEFAULT_FOR_YOU: ForYouSettings = { mix: 0.6, closeness: 0.9, notify: true, notifyHeat: 5, notForMe: [] };

export const DEFAULT_SETTINGS: Settings = {
  version: SETTINGS_VERSION,
  categories: ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'],
  includeCrossLists: true,
  sources: {
    hf: { enabled: true, weight: 1 },
    alphaxiv: { enabled: true, weight: 1 },
    hn: { enabled: true, weight: 1 },
    bluesky: { enabled: true, weight: 1, botWeight: 0.2, authorWeight: 0.5 },
    x: { enabled: false, weight: 1 },
    s2: { enabled: true, weight: 0.5 },
  },
  xDailyPosts: X_DEFAULT_DAILY_POSTS,
  signalsRefreshMinutes: 30,
  hotThreshold: 10,
  notifications: { enabled: true, quietHours: null, dailyCap: 10 },
  watchlist: { papers: [], authors: [], keywords: [] },
  retentionDays: 30,
  forYou: DEFAULT_FOR_YOU,
};

export interface SettingsProblem {
  /** The setting's path as stored ("notifications.dailyCap"). */
  field: string;
  /** What was wrong and what was done, localized; shown after the field ("must be … ; reset to …"). */
  message: string;
}

export interface LoadedSettings {
  settings: Settings;
  problems: SettingsProblem[];
}

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Migrations: index i turns a version-i object into version i + 1. v0 = pre-release shape. */
export const SETTINGS_MIGRATIONS: ReadonlyArray<(raw: Raw) => Raw> = [
  // v0 → v1: early builds stored `threshold` and `refreshMinutes`.
  (raw) => {
    const out: Raw = { ...raw, version: 1 };
    if ('threshold' in raw && !('hotThreshold' in raw)) out.hotThreshold = raw.threshold;
    if ('refreshMinutes' in raw && !('signalsRefreshMinutes' in raw)) out.signalsRefreshMinutes = raw.refreshMinutes;
    delete out.threshold;
    delete out.refreshMinutes;
    return out;
  },
  // v1 → v2 (issue 21): the For you group, with nothing marked "not for me" yet.
  (raw) => ({ ...raw, version: 2, forYou: isObj(raw.forYou) ? raw.forYou : { ...DEFAULT_FOR_YOU, notForMe: [] } }),
];

function num(raw: Raw, key: string, min: number, max: number, def: number, problems: SettingsProblem[], path = key): number {
  if (!(key in raw)) return def;
  const v = raw[key];
  if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) return v;
  problems.push({ field: path, message: t('settingsProblemRange', min, max, def) });
  return def;
}

function bool(raw: Raw, key: string, def: boolean, problems: SettingsProblem[], path = key): boolean {
  if (!(key in raw)) return def;
  if (typeof raw[key] === 'boolean') return raw[key] as boolean;
  problems.push({ field: path, message: t('settingsProblemBoolean', String(def)) });
  return def;
}

function strList(raw: Raw, key: string, def: string[], problems: SettingsProblem[], path: string): string[] {
  if (!(key in raw)) return [...def];
  const v = raw[key];
  if (isStrArray(v)) return [...new Set(v.map((s) => s.trim()).filter(Boolean))];
  problems.push({ field: path, message: t('settingsProblemList') });
  return [...def];
}

/**
 * Categories are checked against arXiv's taxonomy (lib/taxonomy.ts), not a pattern: a
 * well-formed but unknown code (`cs.XX`, `cs.lg`) would be sent to arXiv, which answers the joined
 * feed with an error. Unknown codes are named and dropped, the known ones kept; with none left the
 * default list stands.
 */
function categoryList(raw: Raw, def: string[], problems: SettingsProblem[]): string[] {
  if (!('categories' in raw)) return [...def];
  const v = raw.categories;
  if (!isStrArray(v)) {
    problems.push({ field: 'categories', message: t('settingsProblemList') });
    return [...def];
  }
  const codes = [...new Set(v.map((c) => c.trim()).filter(Boolean))];
  const known = codes.filter(isKnownCategory);
  const unknown = codes.filter((c) => !isKnownCategory(c));
  if (!known.length) {
    problems.push({ field: 'categories', message: unknown.length ? t('settingsProblemNoKnownCategory', unknown.join(', ')) : t('settingsProblemList') });
    return [...def];
  }
  if (unknown.length) problems.push({ field: 'categories', message: t('settingsProblemUnknownCategories', unknown.join(', ')) });
  return known;
}

/** Validates any stored or imported object into Settings, field by field. */
export function validateSettings(input: unknown): LoadedSettings {
  const problems: SettingsProblem[] = [];
  if (!isObj(input)) {
    if (input !== undefined) problems.push({ field: '(all)', message: t('settingsProblemNotObjectAll') });
    return { settings: structuredClone(DEFAULT_SETTINGS), problems };
  }
  let raw: Raw = input;
  const from = typeof raw.version === 'number' ? raw.version : 0;
  if (from > SETTINGS_VERSION) {
    problems.push({ field: 'version', message: t('settingsProblemNewer', from) });
  } else {
    for (let v = from; v < SETTINGS_VERSION; v++) raw = SETTINGS_MIGRATIONS[v]!(raw);
  }
  const d = DEFAULT_SETTINGS;

  const categories = categoryList(raw, d.categories, problems);
  const sources = {} as Record<SourceId, SourceSetting>;
  const rawSources = isObj(raw.sources) ? raw.sources : {};
  if ('sources' in raw && !isObj(raw.sources)) problems.push({ field: 'sources', message: t('settingsProblemGroupDefaults') });
  for (const id of SOURCE_IDS) {
    const s = rawSources[id];
    if (s === undefined) {
      sources[id] = { ...d.sources[id] };
    } else if (!isObj(s)) {
      problems.push({ field: `sources.${id}`, message: t('settingsProblemGroupDefault') });
      sources[id] = { ...d.sources[id] };
    } else {
      sources[id] = {
        enabled: bool(s, 'enabled', d.sources[id].enabled, problems, `sources.${id}.enabled`),
        weight: num(s, 'weight', 0, 10, d.sources[id].weight, problems, `sources.${id}.weight`),
      };
      for (const k of ['botWeight', 'authorWeight'] as const) {
        const def = d.sources[id][k];
        if (def !== undefined) sources[id][k] = num(s, k, 0, 1, def, problems, `sources.${id}.${k}`);
      }
    }
  }

  const rn = isObj(raw.notifications) ? raw.notifications : {};
  if ('notifications' in raw && !isObj(raw.notifications)) problems.push({ field: 'notifications', message: t('settingsProblemGroupDefaults') });
  let quietHours: QuietHours | null = d.notifications.quietHours;
  if ('quietHours' in rn) {
    const q = rn.quietHours;
    if (q === null) quietHours = null;
    else if (isObj(q) && typeof q.start === 'string' && typeof q.end === 'string' && HHMM.test(q.start) && HHMM.test(q.end)) quietHours = { start: q.start, end: q.end };
    else problems.push({ field: 'notifications.quietHours', message: t('settingsProblemQuietHours') });
  }

  const rw = isObj(raw.watchlist) ? raw.watchlist : {};
  if ('watchlist' in raw && !isObj(raw.watchlist)) problems.push({ field: 'watchlist', message: t('settingsProblemGroupEmpty') });

  const rf = isObj(raw.forYou) ? raw.forYou : {};
  if ('forYou' in raw && !isObj(raw.forYou)) problems.push({ field: 'forYou', message: t('settingsProblemGroupDefaults') });
  const df = d.forYou;

  const settings: Settings = {
    version: SETTINGS_VERSION,
    categories,
    includeCrossLists: bool(raw, 'includeCrossLists', d.includeCrossLists, problems),
    sources,
    xDailyPosts: Math.floor(num(raw, 'xDailyPosts', 0, X_MAX_DAILY_POSTS, d.xDailyPosts, problems)),
    signalsRefreshMinutes: num(raw, 'signalsRefreshMinutes', 5, 24 * 60, d.signalsRefreshMinutes, problems),
    hotThreshold: num(raw, 'hotThreshold', 0, 1000, d.hotThreshold, problems),
    notifications: {
      enabled: bool(rn, 'enabled', d.notifications.enabled, problems, 'notifications.enabled'),
      quietHours,
      dailyCap: num(rn, 'dailyCap', 0, 100, d.notifications.dailyCap, problems, 'notifications.dailyCap'),
    },
    watchlist: {
      papers: strList(rw, 'papers', d.watchlist.papers, problems, 'watchlist.papers'),
      authors: strList(rw, 'authors', d.watchlist.authors, problems, 'watchlist.authors'),
      keywords: strList(rw, 'keywords', d.watchlist.keywords, problems, 'watchlist.keywords'),
    },
    retentionDays: num(raw, 'retentionDays', 1, 3650, d.retentionDays, problems),
    forYou: {
      mix: num(rf, 'mix', 0, 1, df.mix, problems, 'forYou.mix'),
      closeness: num(rf, 'closeness', 0.5, 1, df.closeness, problems, 'forYou.closeness'),
      notify: bool(rf, 'notify', df.notify, problems, 'forYou.notify'),
      notifyHeat: num(rf, 'notifyHeat', 0, 1000, df.notifyHeat, problems, 'forYou.notifyHeat'),
      notForMe: strList(rf, 'notForMe', df.notForMe, problems, 'forYou.notForMe'),
    },
  };
  return { settings, problems };
}

/** Minimal storage interface (browser.storage.local satisfies it; tests pass a fake). */
export interface KeyValueStorage {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

// The parameter is `store`, not `storage`: WXT's auto-import reads a bare `storage` as its own
// storage helper and bundles @wxt-dev/storage (8 KB) into every page that imports this file.
export async function loadSettings(store: KeyValueStorage): Promise<LoadedSettings> {
  const got = await store.get(SETTINGS_KEY);
  return validateSettings(got[SETTINGS_KEY]);
}

export async function saveSettings(store: KeyValueStorage, settings: Settings): Promise<LoadedSettings> {
  const checked = validateSettings(settings);
  await store.set({ [SETTINGS_KEY]: checked.settings });
  return checked;
}
