import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS, loadSettings, saveSettings, SETTINGS_KEY, SETTINGS_MIGRATIONS, SETTINGS_VERSION, validateSettings, type KeyValueStorage,
} from '../../lib/settings';

function memoryStorage(initial: Record<string, unknown> = {}): KeyValueStorage & { data: Record<string, unknown> } {
  const data = { ...initial };
  return {
    data,
    get: async (key) => (key in data ? { [key]: data[key] } : {}),
    set: async (items) => {
      Object.assign(data, items);
    },
  };
}

describe('validateSettings', () => {
  it('returns the defaults for a first install without reporting a problem', () => {
    expect(validateSettings(undefined)).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
    expect(DEFAULT_SETTINGS.categories).toEqual(['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML']);
  });

  it('keeps every valid field of a full settings object', () => {
    const custom = {
      ...structuredClone(DEFAULT_SETTINGS),
      categories: ['math.NT', 'astro-ph'],
      includeCrossLists: false,
      signalsRefreshMinutes: 90,
      hotThreshold: 25,
      notifications: { enabled: false, quietHours: { start: '22:00', end: '07:30' }, dailyCap: 3 },
      watchlist: { papers: ['2310.16106'], authors: ['Pérez'], keywords: ['diffusion'] },
      retentionDays: 7,
    };
    expect(validateSettings(custom)).toEqual({ settings: custom, problems: [] });
  });

  it.each<[string, Record<string, unknown>, string, (s: typeof DEFAULT_SETTINGS) => unknown, unknown]>([
    ['categories not a list', { categories: 'cs.LG' }, 'categories', (s) => s.categories, DEFAULT_SETTINGS.categories],
    ['no known category', { categories: ['cs LG; drop', 'cs.XX'] }, 'categories', (s) => s.categories, DEFAULT_SETTINGS.categories],
    ['one unknown category among known ones', { categories: ['cs.LG', 'cs.XX', 'math.NT'] }, 'categories', (s) => s.categories, ['cs.LG', 'math.NT']],
    ['an empty category list', { categories: [] }, 'categories', (s) => s.categories, DEFAULT_SETTINGS.categories],
    ['cross-lists as a string', { includeCrossLists: 'yes' }, 'includeCrossLists', (s) => s.includeCrossLists, true],
    ['refresh too often', { signalsRefreshMinutes: 1 }, 'signalsRefreshMinutes', (s) => s.signalsRefreshMinutes, 30],
    ['refresh not a number', { signalsRefreshMinutes: '30' }, 'signalsRefreshMinutes', (s) => s.signalsRefreshMinutes, 30],
    ['threshold NaN', { hotThreshold: Number.NaN }, 'hotThreshold', (s) => s.hotThreshold, 10],
    ['retention 0', { retentionDays: 0 }, 'retentionDays', (s) => s.retentionDays, 30],
    ['source weight negative', { sources: { hn: { enabled: true, weight: -1 } } }, 'sources.hn.weight', (s) => s.sources.hn, { enabled: true, weight: 1 }],
    ['source not an object', { sources: { bluesky: 7 } }, 'sources.bluesky', (s) => s.sources.bluesky, DEFAULT_SETTINGS.sources.bluesky],
    ['quiet hours garbage', { notifications: { quietHours: { start: '25:00', end: '07:00' } } }, 'notifications.quietHours', (s) => s.notifications.quietHours, null],
    ['daily cap huge', { notifications: { dailyCap: 1e9 } }, 'notifications.dailyCap', (s) => s.notifications.dailyCap, 10],
    ['watchlist numbers', { watchlist: { papers: [1, 2] } }, 'watchlist.papers', (s) => s.watchlist.papers, []],
    ['watchlist not an object', { watchlist: [] }, 'watchlist', (s) => s.watchlist, { papers: [], authors: [], keywords: [] }],
  ])('replaces only the bad field: %s', (_what, patch, field, pick, expected) => {
    const input = { ...structuredClone(DEFAULT_SETTINGS), hotThreshold: 42, ...patch };
    const { settings, problems } = validateSettings(input);
    expect(pick(settings)).toEqual(expected);
    expect(problems.map((p) => p.field)).toEqual([field]);
    // The unrelated customised field survives.
    if (field !== 'hotThreshold') expect(settings.hotThreshold).toBe(42);
  });

  it("checks categories against arXiv's taxonomy, not their shape, and names the unknown ones", () => {
    // Well-formed codes that arXiv does not have: a made-up class, a wrong case, a retired name.
    const { settings, problems } = validateSettings({ ...structuredClone(DEFAULT_SETTINGS), categories: ['cs.LG', 'cs.lg', 'cs.XX', 'math.NT', 'physics.foo'] });
    expect(settings.categories).toEqual(['cs.LG', 'math.NT']);
    expect(problems).toEqual([{ field: 'categories', message: "not in arXiv's category taxonomy, removed: cs.lg, cs.XX, physics.foo" }]);
    const none = validateSettings({ categories: ['cs.XX'] });
    expect(none.settings.categories).toEqual(DEFAULT_SETTINGS.categories);
    expect(none.problems).toEqual([{ field: 'categories', message: "has no category of arXiv's taxonomy (cs.XX unknown); reset to default" }]);
    // Whole archives are categories too (arXiv serves /rss/math and /rss/hep-th).
    expect(validateSettings({ categories: ['math', 'hep-th', 'astro-ph.CO'] })).toMatchObject({ settings: { categories: ['math', 'hep-th', 'astro-ph.CO'] }, problems: [] });
  });

  it('migrates v0 (threshold, refreshMinutes) to v1', () => {
    const { settings, problems } = validateSettings({ threshold: 15, refreshMinutes: 60, categories: ['cs.CL'] });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ version: SETTINGS_VERSION, hotThreshold: 15, signalsRefreshMinutes: 60, categories: ['cs.CL'] });
    expect(settings).not.toHaveProperty('threshold');
  });

  it('migrates v1 to v2: the For you group is added with its defaults, the watchlist (its stars) kept', () => {
    const v1 = { version: 1, categories: ['cs.CL'], watchlist: { papers: ['2605.14023'], authors: [], keywords: ['graph'] } };
    const migrated = SETTINGS_MIGRATIONS[1]!(v1);
    expect(migrated).toMatchObject({ version: 2, forYou: { mix: 0.6, closeness: 0.9, notify: true, notifyHeat: 5, notForMe: [] } });
    const { settings, problems } = validateSettings(v1);
    expect(problems).toEqual([]);
    expect(settings.watchlist.papers).toEqual(['2605.14023']);
    expect(settings.forYou).toEqual({ mix: 0.6, closeness: 0.9, notify: true, notifyHeat: 5, notForMe: [] });
  });

  it('checks the For you settings field by field', () => {
    const { settings, problems } = validateSettings({ version: 2, forYou: { mix: 3, closeness: 0.95, notify: 'yes', notForMe: ['2605.14023'] } });
    expect(settings.forYou).toEqual({ mix: 0.6, closeness: 0.95, notify: true, notifyHeat: 5, notForMe: ['2605.14023'] });
    expect(problems.map((p) => p.field)).toEqual(['forYou.mix', 'forYou.notify']);
  });

  it('reads settings from a newer version without losing known fields, and says so', () => {
    const { settings, problems } = validateSettings({ ...DEFAULT_SETTINGS, version: 99, hotThreshold: 5, futureThing: true });
    expect(settings.hotThreshold).toBe(5);
    expect(settings).not.toHaveProperty('futureThing');
    expect(problems.map((p) => p.field)).toEqual(['version']);
  });

  it.each([null, 42, 'settings', [1, 2, 3], true])('turns garbage %j into defaults with one problem', (garbage) => {
    const { settings, problems } = validateSettings(garbage);
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems).toHaveLength(1);
  });

  it('never shares arrays with DEFAULT_SETTINGS (editing settings cannot change the defaults)', () => {
    const { settings } = validateSettings(undefined);
    settings.categories.push('hep-th');
    settings.watchlist.papers.push('2310.16106');
    expect(DEFAULT_SETTINGS.categories).toHaveLength(5);
    expect(DEFAULT_SETTINGS.watchlist.papers).toHaveLength(0);
  });
});

describe('loadSettings / saveSettings', () => {
  it('round-trips through storage and validates on the way in and out', async () => {
    const storage = memoryStorage();
    const saved = await saveSettings(storage, { ...DEFAULT_SETTINGS, retentionDays: -5, categories: ['cs.RO'] });
    expect(saved.problems.map((p) => p.field)).toEqual(['retentionDays']);
    expect(storage.data[SETTINGS_KEY]).toMatchObject({ retentionDays: 30, categories: ['cs.RO'] });
    expect((await loadSettings(storage)).settings.categories).toEqual(['cs.RO']);
  });

  it('loads a corrupted stored value field by field instead of wiping it', async () => {
    const storage = memoryStorage({ [SETTINGS_KEY]: { version: 1, categories: ['cs.CL'], hotThreshold: 'hot' } });
    const { settings, problems } = await loadSettings(storage);
    expect(settings.categories).toEqual(['cs.CL']);
    expect(settings.hotThreshold).toBe(DEFAULT_SETTINGS.hotThreshold);
    expect(problems.map((p) => p.field)).toEqual(['hotThreshold']);
  });
});

describe('bot and author weights (issue 16)', () => {
  it('are kept when valid, repaired with a problem when not, and default for older settings', () => {
    const ok = validateSettings({ version: 1, sources: { bluesky: { enabled: true, weight: 1, botWeight: 0.1, authorWeight: 1 } } });
    expect(ok.settings.sources.bluesky).toEqual({ enabled: true, weight: 1, botWeight: 0.1, authorWeight: 1 });
    expect(ok.problems).toEqual([]);
    const bad = validateSettings({ version: 1, sources: { bluesky: { enabled: true, weight: 1, botWeight: 3 } } });
    expect(bad.settings.sources.bluesky.botWeight).toBe(0.2);
    expect(bad.problems.map((p) => p.field)).toEqual(['sources.bluesky.botWeight']);
    const old = validateSettings({ version: 1, sources: { bluesky: { enabled: false, weight: 2 } } });
    expect(old.settings.sources.bluesky).toEqual({ enabled: false, weight: 2, botWeight: 0.2, authorWeight: 0.5 });
  });
});
