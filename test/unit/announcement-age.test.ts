/**
 * The popup's note about the day it shows (lib/format.ts): a weekend or holiday is a "quiet day";
 * a list older than any pause in arXiv's schedule is an old cache (a browser that has not polled for
 * weeks, or the demo's recorded day), and is never called a weekend.
 */
import { describe, expect, it } from 'vitest';
import { announcementAgeDays, isOldDay, isQuietDay, OLD_ANNOUNCEMENT_DAYS } from '../../lib/format';

// 17:00 UTC is 12:00 or 13:00 in New York: the US Eastern calendar day is the UTC one.
const at = (day: string): number => Date.parse(`${day}T17:00:00Z`);

describe('quiet day or old day', () => {
  it('a Friday list on the Saturday after is a quiet day, not old', () => {
    expect(isQuietDay('2026-05-15', at('2026-05-16'))).toBe(true);
    expect(isOldDay('2026-05-15', at('2026-05-16'))).toBe(false);
  });

  it('the current announcement day is neither', () => {
    expect(isQuietDay('2026-05-15', at('2026-05-15'))).toBe(false);
    expect(isOldDay('2026-05-15', at('2026-05-15'))).toBe(false);
  });

  it(`a list ${OLD_ANNOUNCEMENT_DAYS} days behind is still a pause (arXiv's new-year break); one day more is old`, () => {
    expect(announcementAgeDays('2026-12-23', at('2026-12-30'))).toBe(7);
    expect(isQuietDay('2026-12-23', at('2026-12-30'))).toBe(true);
    expect(isOldDay('2026-12-23', at('2026-12-30'))).toBe(false);
    expect(isOldDay('2026-12-23', at('2026-12-31'))).toBe(true);
    expect(isQuietDay('2026-12-23', at('2026-12-31'))).toBe(false);
  });

  it('the demo\'s recorded Friday, months later on a Saturday, is old and not a weekend', () => {
    expect(announcementAgeDays('2026-05-15', at('2026-12-05'))).toBe(204);
    expect(isOldDay('2026-05-15', at('2026-12-05'))).toBe(true);
    expect(isQuietDay('2026-05-15', at('2026-12-05'))).toBe(false);
  });
});
