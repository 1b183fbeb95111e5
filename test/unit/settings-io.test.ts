import { describe, expect, it } from 'vitest';
import { CATEGORIES, isKnownCategory, parseCategoryList } from '../../lib/taxonomy';
import { exportSettings, importSettings, SettingsImportError } from '../../lib/export/settings-io';
import { DEFAULT_SETTINGS, SETTINGS_VERSION, type Settings } from '../../lib/settings';
import { fixture } from './popup-test-kit';

const NOW = Date.parse('2026-11-25T10:00:00Z');
const custom: Settings = {
  ...structuredClone(DEFAULT_SETTINGS),
  categories: ['cs.CL', 'q-bio.NC'],
  includeCrossLists: false,
  hotThreshold: 25,
  notifications: { enabled: true, quietHours: { start: '23:00', end: '06:30' }, dailyCap: 3 },
  watchlist: { papers: ['2310.08262'], authors: ['Yoshua Bengio'], keywords: ['diffusion'] },
  retentionDays: 60,
};

describe('settings export/import', () => {
  it('round-trips through a versioned JSON file', () => {
    const text = exportSettings(custom, NOW);
    const doc = JSON.parse(text);
    expect(doc.format).toBe('hot-papers-settings');
    expect(doc.version).toBe(SETTINGS_VERSION);
    expect(doc.exportedAt).toBe('2026-11-25T10:00:00.000Z');
    expect(importSettings(text)).toEqual({ settings: custom, problems: [] });
  });

  it('never writes credentials, even if something put them next to the settings', () => {
    const smuggled = { ...custom, credentials: { xBearer: 'AAAA-secret-token' } } as unknown as Settings;
    const text = exportSettings(smuggled, NOW);
    expect(text).not.toContain('secret');
    expect(text).not.toContain('credentials');
  });

  it('reports invalid fields and keeps the rest', () => {
    const doc = JSON.parse(exportSettings(custom, NOW));
    doc.settings.hotThreshold = 'very';
    doc.settings.notifications.quietHours = { start: '25:00', end: '07:00' };
    doc.settings.credentials = { s2Key: 'abc' };
    const { settings, problems } = importSettings(JSON.stringify(doc));
    expect(settings.hotThreshold).toBe(DEFAULT_SETTINGS.hotThreshold);
    expect(settings.notifications.quietHours).toBeNull();
    expect(settings.categories).toEqual(['cs.CL', 'q-bio.NC']);
    expect(problems.map((p) => p.field).sort()).toEqual(['credentials', 'hotThreshold', 'notifications.quietHours']);
    expect(JSON.stringify(settings)).not.toContain('abc');
  });

  it('imports the known categories of a file and names the unknown ones, keeping the other fields', () => {
    const doc = JSON.parse(exportSettings(custom, NOW));
    doc.settings.categories = ['cs.CL', 'cs.XX', 'q-bio.NC'];
    const { settings, problems } = importSettings(JSON.stringify(doc));
    expect(settings).toEqual(custom);
    expect(problems).toEqual([{ field: 'categories', message: "not in arXiv's category taxonomy, removed: cs.XX" }]);
  });

  it.each([
    ['not json {', /not JSON/],
    ['[1,2]', /not a Hot Papers settings export/],
    ['{"format":"something-else","version":1,"settings":{}}', /not a Hot Papers settings export/],
    ['{"format":"hot-papers-settings","settings":{}}', /no version/],
    ['{"format":"hot-papers-settings","version":7,"settings":{}}', /newer version/],
    ['{"format":"hot-papers-settings","version":1}', /no settings/],
  ])('refuses %s with a clear reason', (text, reason) => {
    expect(() => importSettings(text)).toThrow(SettingsImportError);
    expect(() => importSettings(text)).toThrow(reason);
  });
});

describe('arXiv taxonomy', () => {
  it('knows exactly the cs subject classes arXiv lists in its own error feed', () => {
    const listed = /Valid subject classes for the archive 'cs' are: ([^.]+(?:\.[A-Z]{2}[^.]*)*)\./.exec(fixture('rss_error_bad_category.xml'))![1]!;
    const fromFeed = listed.split(', ').map((s) => s.trim());
    expect(fromFeed.length).toBe(40);
    expect([...CATEGORIES].filter((c) => c.startsWith('cs.')).sort()).toEqual(fromFeed.sort());
  });

  it('splits user input into known and unknown codes', () => {
    expect(parseCategoryList('cs.LG, stat.ML  math ; cs.XX hep-th cs.lg')).toEqual({ known: ['cs.LG', 'stat.ML', 'math', 'hep-th'], unknown: ['cs.XX', 'cs.lg'] });
    expect(isKnownCategory('astro-ph.CO')).toBe(true);
    expect(isKnownCategory('cs')).toBe(true);
    expect(isKnownCategory('cs.ZZ')).toBe(false);
  });
});
