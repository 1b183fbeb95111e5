import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_WORDS } from '../../lib/content/words';

const EN: Record<string, unknown> = JSON.parse(readFileSync(join(__dirname, '..', '..', 'public', '_locales', 'en', 'messages.json'), 'utf8'));

describe("the page's words (lib/content/words.ts, issue 17)", () => {
  it('name only messages that exist, once each', () => {
    expect(PAGE_WORDS.filter((k) => !(k in EN))).toEqual([]);
    expect(new Set(PAGE_WORDS).size).toBe(PAGE_WORDS.length);
  });

  it("hold every message of the page's own (page…), every source name and every metric word", () => {
    const families = Object.keys(EN).filter((k) => /^(page|source_|sourceShort_|metric_)/.test(k));
    expect(families.filter((k) => !PAGE_WORDS.includes(k))).toEqual([]);
  });
});
