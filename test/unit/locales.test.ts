/**
 * The translations (public/_locales/<lang>/messages.json): every locale has every English key,
 * no key of its own, the same substitutions ($1…$9 and named placeholders, with the same contents)
 * and a form Chrome loads, so a message never shows a raw "$SOURCE$" or drops a number. A new
 * English key fails here until it is translated into every locale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFromMessages, type MessageEntry } from '../../lib/i18n';

const ROOT = join(process.cwd(), 'public/_locales');
const read = (lang: string) => JSON.parse(readFileSync(join(ROOT, lang, 'messages.json'), 'utf8')) as Record<string, MessageEntry>;
const EN = read('en');
const LOCALES = readdirSync(ROOT).filter((d) => d !== 'en').sort();

/** Named placeholders a message uses (lower case, as Chrome matches them). */
const named = (m: string) => [...new Set([...m.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((x) => x[1]!.toLowerCase()))].sort();
/** Positional substitutions a message uses, directly or through its placeholders' contents. */
function positions(e: MessageEntry): number[] {
  const texts = [e.message.replace(/\$[A-Za-z0-9_@]*[A-Za-z_@][A-Za-z0-9_@]*\$/g, ''), ...Object.values(e.placeholders ?? {}).map((p) => p.content)];
  return [...new Set(texts.flatMap((s) => [...s.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)].map((x) => Number(x[1]))))].sort();
}

describe('the translations', () => {
  it('are the five languages of the issue, beside English', () => {
    expect(LOCALES).toEqual(['de', 'es', 'fr', 'ja', 'zh_CN']);
  });

  describe.each(LOCALES)('%s', (lang) => {
    const messages = read(lang);

    it('has every English key and none of its own', () => {
      expect(Object.keys(messages).filter((k) => !(k in EN)), 'keys not in en').toEqual([]);
      expect(Object.keys(EN).filter((k) => !(k in messages)), 'untranslated keys').toEqual([]);
    });

    it('uses the same substitutions as English, defined the same way', () => {
      for (const [key, en] of Object.entries(EN)) {
        const tr = messages[key];
        if (!tr) continue;
        expect(typeof tr.message, key).toBe('string');
        expect(tr.message.trim(), key).not.toBe('');
        expect(named(tr.message), `${key}: named placeholders`).toEqual(named(en.message));
        expect(positions(tr), `${key}: $1…$9`).toEqual(positions(en));
        // Chrome reads a locale's placeholders from that locale's own file.
        const defs = (e: MessageEntry) => Object.fromEntries(Object.entries(e.placeholders ?? {}).map(([n, p]) => [n.toLowerCase(), p.content]));
        expect(defs(tr), `${key}: placeholder contents`).toEqual(defs(en));
      }
    });

    it('fills every substitution in, leaving no marker behind', () => {
      const source = sourceFromMessages(messages);
      for (const [key, en] of Object.entries(EN)) {
        const subs = Array.from({ length: Math.max(0, ...positions(en)) }, (_, i) => `⟨${i + 1}⟩`);
        const out = source(key, subs);
        expect(out, key).not.toMatch(/\$/);
        for (const s of subs) expect(out, `${key} shows ${s}`).toContain(s);
      }
    });

    it('is translated: words are not left in English', () => {
      // Short names and codes are the same in every language (product and service names, formats).
      const names = new Set(['extName', 'source_hf', 'source_hn', 'source_s2']);
      const english = Object.keys(EN).filter((k) => !names.has(k) && messages[k]?.message === EN[k]!.message && /[a-z]{3,}\s+[a-z]{3,}/i.test(EN[k]!.message.replace(/\$\w+\$/g, '')));
      expect(english).toEqual([]);
    });

    it('keeps the store limits of the name and description', () => {
      expect(messages.extName!.message).toBe(EN.extName!.message);
      expect(messages.extDescription!.message.length).toBeLessThanOrEqual(132);
    });
  });
});
