/**
 * Every user-visible string goes through here, so the UI can be translated by adding a
 * `_locales/<lang>/messages.json`. Substitutions are `$1`…`$9` in the message text.
 * Tests (and non-extension contexts) install a message source with `setMessageSource`.
 */
import { browser } from 'wxt/browser';

export type MessageSource = (key: string, subs?: string[]) => string;

const fromBrowser: MessageSource = (key, subs) => {
  try {
    // WXT types getMessage with the keys it knows at build time; ours are checked by tests.
    return (browser.i18n as unknown as { getMessage(k: string, s?: string[]): string }).getMessage(key, subs);
  } catch {
    return '';
  }
};

let source: MessageSource = fromBrowser;

export function setMessageSource(next: MessageSource | null): void {
  source = next ?? fromBrowser;
}

/** The localized message, or the key itself when missing (visible, never an empty label). */
export function t(key: string, ...subs: (string | number)[]): string {
  const msg = source(key, subs.length ? subs.map(String) : undefined);
  return msg || key;
}

export interface MessageEntry {
  message: string;
  /** Chrome's named placeholders: `$name$` in the message stands for `content` (often `$1`). */
  placeholders?: Record<string, { content: string }>;
}

/** Builds a source from a parsed messages.json (Chrome's format: `$1` substitutions, named placeholders). */
export function sourceFromMessages(messages: Record<string, MessageEntry>): MessageSource {
  return (key, subs) => {
    const entry = messages[key];
    if (entry?.message === undefined) return '';
    const named = new Map(Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]));
    // Placeholder names are case-insensitive, as in Chrome.
    const m = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (all, name: string) => named.get(name.toLowerCase()) ?? all);
    return m.replace(/\$(\d)/g, (_, d: string) => subs?.[Number(d) - 1] ?? '').replace(/\$\$/g, '$');
  };
}
