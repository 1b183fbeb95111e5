/**
 * Settings export/import: a versioned JSON document. Import goes through validateSettings, so a
 * bad field is reported and defaulted, never trusted. Credentials are not settings and are never
 * written; an imported file that carries any is ignored on that point and says so.
 */
import { t } from '../i18n';
import { SETTINGS_VERSION, validateSettings, type Settings, type SettingsProblem } from '../settings';

export const SETTINGS_FORMAT = 'hot-papers-settings';

export interface SettingsFile {
  format: typeof SETTINGS_FORMAT;
  version: number;
  exportedAt: string;
  settings: Settings;
}

export class SettingsImportError extends Error {
  override name = 'SettingsImportError';
}

export function exportSettings(settings: Settings, now: number): string {
  const { settings: clean } = validateSettings(settings);
  const file: SettingsFile = { format: SETTINGS_FORMAT, version: SETTINGS_VERSION, exportedAt: new Date(now).toISOString(), settings: clean };
  return `${JSON.stringify(file, null, 2)}\n`;
}

const CREDENTIAL_KEYS = /^(credentials|appPassword|password|xBearer|bearer|token|s2Key|apiKey)$/i;

function hasCredentials(v: unknown, depth = 0): boolean {
  if (depth > 4 || typeof v !== 'object' || v === null) return false;
  return Object.entries(v).some(([k, x]) => CREDENTIAL_KEYS.test(k) || hasCredentials(x, depth + 1));
}

/** Parses an exported file. Throws SettingsImportError with a plain reason when it is not one. */
export function importSettings(text: string): { settings: Settings; problems: SettingsProblem[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new SettingsImportError(t('settingsImportNotJson'));
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (doc as { format?: unknown }).format !== SETTINGS_FORMAT) {
    throw new SettingsImportError(t('settingsImportNotExport'));
  }
  const file = doc as Partial<SettingsFile>;
  if (typeof file.version !== 'number') throw new SettingsImportError(t('settingsImportNoVersion'));
  if (file.version > SETTINGS_VERSION) {
    throw new SettingsImportError(t('settingsImportNewer', file.version));
  }
  if (typeof file.settings !== 'object' || file.settings === null) throw new SettingsImportError(t('settingsImportNoSettings'));
  const result = validateSettings(file.settings);
  if (hasCredentials(doc)) {
    result.problems.push({ field: 'credentials', message: t('settingsProblemCredentials') });
  }
  return result;
}
