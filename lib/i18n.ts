/**
 * Every user-visible string goes through here — the popup's, the options page's, the arxiv.org
 * page's, and the words the background writes for them (source statuses, poll reports, discussion
 * link labels) — so the extension can be translated by adding a `_locales/<lang>/messages.json`.
 * Substitutions are `$1`…`$9`; new messages name them with Chrome's placeholders (`$SOURCE$`).
 * Tests (and non-extension contexts) install a message source with `setMessageSource`; the vitest
 * setup installs the English messages (test/setup-english.ts).
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
    // One pass, as Chrome does: a `$` inside a substituted value (arXiv's own error words) stays as it is.
    return m.replace(/\$(\d|\$)/g, (_, d: string) => (d === '$' ? '$' : (subs?.[Number(d) - 1] ?? '')));
  };
}
