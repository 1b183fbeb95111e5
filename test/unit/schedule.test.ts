import { describe, expect, it } from 'vitest';
import {
  easternDay, easternToUtc, expectedFeedDay, feedTurnedOver, isCacheStale, jitter, lastAnnouncement, listingDayOf,
  nextAnnouncePoll, nextAnnouncement, turnoverRetryAt, weekdayOf,
} from '../../lib/arxiv/schedule';
import { planAlarms } from '../../lib/worker/poll-service';
import { DEFAULT_SETTINGS } from '../../lib/settings';
import type { PollReport } from '../../lib/types';

const utc = (iso: string) => Date.parse(iso);
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('arXiv announcement times (20:00 US Eastern, Sunday–Thursday)', () => {
  it.each([
    // [now (UTC), last announcement (UTC), why]
    ['2024-03-07T12:00:00Z', '2024-03-07T01:00:00Z', 'Thursday noon, winter: Wednesday 20:00 EST = 01:00Z'],
    ['2024-03-09T12:00:00Z', '2024-03-08T01:00:00Z', 'Saturday: Thursday evening'],
    ['2024-03-10T23:59:00Z', '2024-03-08T01:00:00Z', 'Sunday 19:59 EDT, the day clocks sprang forward'],
    ['2024-03-11T00:00:00Z', '2024-03-11T00:00:00Z', 'Sunday 20:00 EDT = 00:00Z after spring forward'],
    ['2024-11-01T00:30:00Z', '2024-11-01T00:00:00Z', 'Thursday 20:30 EDT, last week of summer time'],
    ['2024-11-04T00:59:00Z', '2024-11-01T00:00:00Z', 'Sunday 19:59 EST, the day clocks fell back'],
    ['2024-11-04T01:00:00Z', '2024-11-04T01:00:00Z', 'Sunday 20:00 EST = 01:00Z after fall back'],
  ])('lastAnnouncement(%s) = %s (%s)', (now, expected) => {
    expect(new Date(lastAnnouncement(utc(now))).toISOString()).toBe(new Date(utc(expected)).toISOString());
  });

  it.each([
    ['2024-03-08T02:00:00Z', '2024-03-11T00:00:00Z', 'Thursday night → Sunday (after spring forward)'],
    ['2024-11-02T12:00:00Z', '2024-11-04T01:00:00Z', 'Saturday → Sunday 20:00 EST (after fall back)'],
    ['2024-11-04T01:00:00Z', '2024-11-05T01:00:00Z', 'exactly at an announcement → the next one'],
  ])('nextAnnouncement(%s) = %s (%s)', (now, expected) => {
    expect(new Date(nextAnnouncement(utc(now))).toISOString()).toBe(new Date(utc(expected)).toISOString());
  });

  it('never announces on Friday or Saturday', () => {
    let t = utc('2024-01-01T00:00:00Z');
    for (let i = 0; i < 120; i++) {
      t = nextAnnouncement(t);
      const weekday = weekdayOf(easternDay(t));
      expect([0, 1, 2, 3, 4]).toContain(weekday);
      expect(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', hourCycle: 'h23' }).format(t)).toBe('20');
    }
  });

  it('dates a listing the day after its announcement, across a month end', () => {
    expect(listingDayOf(utc('2024-11-01T00:00:00Z'))).toBe('2024-11-01');
    expect(listingDayOf(utc('2024-03-11T00:00:00Z'))).toBe('2024-03-11');
    expect(expectedFeedDay(utc('2024-03-09T12:00:00Z'))).toBe('2024-03-08');
  });

  it('converts wall-clock Eastern time on both sides of each switch', () => {
    expect(easternToUtc(2024, 3, 9, 20)).toBe(utc('2024-03-10T01:00:00Z'));
    expect(easternToUtc(2024, 3, 10, 20)).toBe(utc('2024-03-11T00:00:00Z'));
    expect(easternToUtc(2024, 11, 2, 20)).toBe(utc('2024-11-03T00:00:00Z'));
    expect(easternToUtc(2024, 11, 3, 20)).toBe(utc('2024-11-04T01:00:00Z'));
    expect(easternDay(utc('2024-07-01T03:59:00Z'))).toBe('2024-06-30');
    expect(easternDay(utc('2024-07-01T04:00:00Z'))).toBe('2024-07-01');
  });
});

describe('feed turnover and retries', () => {
  const wed2005 = utc('2023-10-26T00:05:00Z'); // Wed 25 Oct 20:05 EDT
  it('weekend feeds (dated Sat/Sun, empty) count as turned over; the previous day does not', () => {
    const sat = utc('2023-10-28T16:00:00Z');
    expect(feedTurnedOver('2023-10-28', sat)).toBe(true);
    expect(feedTurnedOver('2023-10-27', sat)).toBe(true);
    expect(feedTurnedOver('2023-10-26', sat)).toBe(false);
    expect(feedTurnedOver(null, sat)).toBe(false);
  });

  it.each([
    // [minutes after 20:00 when the feed still showed the previous day, retry window after 20:00]
    [2, 25, 40], // first poll at 20:02 → soon after
    [16, 70, 85], // first poll late in its jitter: the 20:25 step is too close, the next one
    [40, 70, 85],
    [85, 245, 260], // then just after arXiv midnight (00:05 EDT)
    [200, 245, 260],
  ])('retries after a poll at 20:00 + %i min in 20:00 + %i–%i min while the feed shows the previous day', (after, lo, hi) => {
    const announced = wed2005 - 5 * MIN;
    for (const r of [0, 0.5, 0.9999]) {
      const at = turnoverRetryAt(announced + after * MIN, '2023-10-25', () => r)!;
      expect(at - announced).toBeGreaterThanOrEqual(lo * MIN);
      expect(at - announced).toBeLessThan(hi * MIN);
    }
  });

  it('stops retrying after the retry past arXiv midnight (a holiday), at the end of the window, and when the feed has turned over', () => {
    const announced = wed2005 - 5 * MIN;
    expect(turnoverRetryAt(announced + 4 * HOUR + 20 * MIN, '2023-10-25', () => 0)).toBeNull();
    expect(turnoverRetryAt(wed2005 + 6 * HOUR, '2023-10-25', () => 0)).toBeNull();
    expect(turnoverRetryAt(wed2005, '2023-10-26', () => 0)).toBeNull();
  });

  it('a night without a new feed costs at most 4 feed requests (the first poll and 3 retries)', () => {
    let t = nextAnnouncePoll(wed2005 - 6 * MIN, () => 0.5);
    const asked = [t];
    for (let next = turnoverRetryAt(t, '2023-10-25', () => 0.5); next !== null; next = turnoverRetryAt(t, '2023-10-25', () => 0.5)) {
      expect(next - t).toBeGreaterThanOrEqual(10 * MIN);
      asked.push((t = next));
    }
    expect(asked).toHaveLength(4);
  });

  it('keeps jitter inside its bounds even for a broken random source', () => {
    expect(jitter(() => 0, 1000)).toBe(0);
    expect(jitter(() => 0.999999, 1000)).toBe(999);
    expect(jitter(() => 1, 1000)).toBe(0);
    expect(jitter(() => Number.NaN, 1000)).toBe(0);
    const next = nextAnnouncement(wed2005);
    expect(nextAnnouncePoll(wed2005, () => 0) - next).toBe(2 * MIN);
    expect(nextAnnouncePoll(wed2005, () => 0.999999) - next).toBeLessThan(17 * MIN);
  });

  it.each([
    ['never polled', null, true],
    ['polled after the last announcement, feed turned over', { at: utc('2023-10-27T05:00:00Z'), day: '2023-10-27' }, false],
    ['polled before the last announcement', { at: utc('2023-10-26T23:00:00Z'), day: '2023-10-26' }, true],
    ['polled after it but the feed still showed the previous day', { at: utc('2023-10-27T01:00:00Z'), day: '2023-10-26' }, true],
    ['polled 13 hours ago', { at: utc('2023-10-26T19:00:00Z') }, true],
  ])('isCacheStale: %s → %s', (_w, last, stale) => {
    expect(isCacheStale(utc('2023-10-27T08:00:00Z'), last)).toBe(stale);
  });
});

describe('planAlarms', () => {
  const now = utc('2023-10-25T16:00:00Z'); // Wed noon EDT
  const report = (day: string): PollReport => ({
    startedAt: now, finishedAt: now, reason: 'announce', sources: [],
    feeds: [{ feed: 'https://rss.arxiv.org/rss/cs.LG', status: 'ok', added: 1, unchanged: 0, skipped: 0, day }],
  });

  it('plans announce after the next 20:00 Eastern, a periodic conditional feed check and signals at the set interval', () => {
    const plan = planAlarms(now, { ...DEFAULT_SETTINGS, signalsRefreshMinutes: 45 }, null, () => 0.5);
    const by = Object.fromEntries(plan.map((p) => [p.name, p]));
    expect(by.announce!.when - utc('2023-10-26T00:00:00Z')).toBeGreaterThanOrEqual(2 * MIN);
    expect(by.announce!.when - utc('2023-10-26T00:00:00Z')).toBeLessThan(17 * MIN);
    expect(by.announce!.periodInMinutes).toBeUndefined();
    // Every 6 hours: with the announce poll and its retries, at most 8 arXiv requests a day.
    expect(by.feeds!.periodInMinutes).toBe(360);
    expect(by.signals!.periodInMinutes).toBe(45);
    expect(by.signals!.when).toBeGreaterThanOrEqual(now + 45 * MIN);
  });

  it('plans a turnover retry when the last poll, just after 20:00, still saw the previous day', () => {
    const after = utc('2023-10-26T00:10:00Z');
    const [announce] = planAlarms(after, DEFAULT_SETTINGS, report('2023-10-25'), () => 0, ['announce']);
    expect(announce!.when - after).toBe(15 * MIN);
    const [fine] = planAlarms(after, DEFAULT_SETTINGS, report('2023-10-26'), () => 0, ['announce']);
    expect(fine!.when).toBe(nextAnnouncement(after) + 2 * MIN);
  });
});
