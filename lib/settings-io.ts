/**
 * Settings export/import: a versioned JSON document. Import goes through validateSettings, so a
 * bad field is reported and defaulted, never trusted. Credentials are not settings and are never
 * written; an imported file that carries any is ignored on that point and says so.
 */
import { SETTINGS_VERSION, validateSettings, type Settings, type SettingsProblem } from './settings';

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
    throw new SettingsImportError('This file is not JSON. Choose a file exported from Hot Papers settings.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || (doc as { format?: unknown }).format !== SETTINGS_FORMAT) {
    throw new SettingsImportError('This JSON file is not a Hot Papers settings export.');
  }
  const file = doc as Partial<SettingsFile>;
  if (typeof file.version !== 'number') throw new SettingsImportError('The settings file has no version number.');
  if (file.version > SETTINGS_VERSION) {
    throw new SettingsImportError(`The settings file is from a newer version of the extension (format ${file.version}); update the extension first.`);
  }
  if (typeof file.settings !== 'object' || file.settings === null) throw new SettingsImportError('The settings file contains no settings.');
  const result = validateSettings(file.settings);
  if (hasCredentials(doc)) {
    result.problems.push({ field: 'credentials', message: 'the file contained credentials; they were not imported' });
  }
  return result;
}
