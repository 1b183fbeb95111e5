/**
 * The content script's words, from `_locales/<lang>/messages.json` through lib/i18n.ts
 * (browser.i18n.getMessage). A 2000-entry listing needs the same few messages thousands of times
 * with different numbers, so each message is looked up ONCE, with marker characters in place of
 * its substitutions, and later calls only fill in the markers: no getMessage call per entry.
 *
 * Keys of the in-page UI start with `page`; source names and metric words reuse the popup's keys
 * (`source_*`, `sourceShort_*`, `metric_*`), so the popup and the page say the same thing.
 */
import { t } from '../i18n';

// Private-use characters: they cannot occur in a translation, so a filled-in number or id can
// never be mistaken for a marker (as a literal "$1" in a message could).
const MARKS = ['\uE001', '\uE002', '\uE003', '\uE004', '\uE005', '\uE006', '\uE007', '\uE008', '\uE009'];
const MARK = /[\uE001-\uE009]/g;

let templates = new Map<string, string>();

/** The localized message `key` with `$1`… filled in by `subs`. */
export function msg(key: string, ...subs: (string | number)[]): string {
  let tpl = templates.get(key);
  if (tpl === undefined) {
    tpl = t(key, ...MARKS);
    templates.set(key, tpl);
  }
  return subs.length ? tpl.replace(MARK, (m) => String(subs[m.charCodeAt(0) - 0xe001] ?? '')) : tpl.replace(MARK, '');
}

/**
 * The templates of `keys` as msg keeps them (the worker makes them for the page: lib/content/words.ts).
 * The same browser language everywhere in the extension, so they are the page's own.
 */
export function templatesOf(keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) out[key] = t(key, ...MARKS);
  return out;
}

/**
 * Takes the templates the worker sent with the lookup's reply: the page then needs no
 * `i18n.getMessage` for them (the first call in a page costs about half a millisecond, each later
 * one about a tenth, on the bench machine: issue 17). Anything not a string is ignored.
 */
export function useTemplates(given: unknown): void {
  if (!given || typeof given !== 'object') return;
  for (const [key, tpl] of Object.entries(given as Record<string, unknown>)) if (typeof tpl === 'string') templates.set(key, tpl);
}

/** Forgets looked-up messages (tests switch the message source). */
export function clearMessageCache(): void {
  templates = new Map();
}
