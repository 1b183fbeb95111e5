/**
 * arXiv's calendar, as pure functions of the clock. arXiv announces at 20:00 US Eastern, Sunday to
 * Thursday; the listing announced on evening D is dated D + 1 (Monday to Friday), which is the
 * day the RSS feed's pubDate carries. Time zone arithmetic uses Intl ('America/New_York') so
 * daylight saving needs no library and no hard-coded transition dates.
 */

const TZ = 'America/New_York';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** arXiv announces at this Eastern wall-clock hour … */
export const ANNOUNCE_HOUR = 20;
/** … on these Eastern weekdays (0 = Sunday). */
const ANNOUNCE_WEEKDAYS = new Set([0, 1, 2, 3, 4]);

/**
 * After an announcement the feed may keep the previous day for a while: arxiv-feed dates its
 * listings by "arXiv midnight", so the new day can appear as late as ~00:00 Eastern, 4 hours after
 * the announcement. Retries after the first poll, as offsets from the announcement: one soon after
 * (most days the feed has turned over by then), one an hour later, and one just after arXiv
 * midnight; then nothing until the next announcement, so a holiday (no announcement) costs three
 * requests, not a night of them. With the conditional refresh below that bounds arXiv requests to
 * 8 a day per install (issue 8), mostly answered 304.
 */
export const TURNOVER_RETRIES_MS = [25 * MINUTE, 70 * MINUTE, 4 * HOUR + 5 * MINUTE] as const;
/** A retry is never sooner than this after the previous request. */
const MIN_RETRY_GAP_MS = 10 * MINUTE;
/** No retry once this long has passed since the announcement. */
export const TURNOVER_WINDOW_MS = 5 * HOUR;

/** Conditional feed refresh period outside announcements (a 304 costs arXiv almost nothing). */
export const FEEDS_PERIOD_MINUTES = 360;

/** A cache is stale after this long without a successful feed poll, whatever the calendar says. */
export const MAX_CACHE_AGE_MS = 12 * HOUR;

let formatter: Intl.DateTimeFormat | undefined;

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function eastern(ms: number): WallClock {
  formatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: TZ,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const p: Record<string, number> = {};
  for (const part of formatter.formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year!, month: p.month!, day: p.day!, hour: p.hour! % 24, minute: p.minute!, second: p.second! };
}

/** Eastern offset from UTC at instant `ms`, in ms (-4 h in summer, -5 h in winter). */
function offsetAt(ms: number): number {
  const w = eastern(ms);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant at which Eastern wall-clock time reads y-m-d h:00 (m is 1-based). */
export function easternToUtc(year: number, month: number, day: number, hour: number, minute = 0): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetAt(wall);
  // Re-evaluate at the candidate: near a DST switch the offset at `wall` can be the other one.
  return wall - offsetAt(first);
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** The Eastern calendar date of an instant, as YYYY-MM-DD. */
export function easternDay(ms: number): string {
  const w = eastern(ms);
  return isoDate(w.year, w.month, w.day);
}

/** Day of the week (0 = Sunday) of a YYYY-MM-DD date. */
export function weekdayOf(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}

function announcementOn(year: number, month: number, day: number): number | null {
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return ANNOUNCE_WEEKDAYS.has(weekday) ? easternToUtc(year, month, day, ANNOUNCE_HOUR) : null;
}

/** The most recent announcement at or before `now` (epoch ms). */
export function lastAnnouncement(now: number): number {
  const w = eastern(now);
  for (let back = 0; back < 8; back++) {
    const t = announcementOn(w.year, w.month, w.day - back);
    if (t !== null && t <= now) return t;
  }
  throw new Error('unreachable: arXiv announces at least once a week');
}

/** The first announcement strictly after `now`. */
export function nextAnnouncement(now: number): number {
  const w = eastern(now);
  for (let ahead = 0; ahead < 8; ahead++) {
    const t = announcementOn(w.year, w.month, w.day + ahead);
    if (t !== null && t > now) return t;
  }
  throw new Error('unreachable: arXiv announces at least once a week');
}

/** The listing day (YYYY-MM-DD) of the announcement made at `announcement`: the next Eastern date. */
export function listingDayOf(announcement: number): string {
  const w = eastern(announcement);
  return isoDate(w.year, w.month, w.day + 1);
}

/** The listing day a fully turned-over feed carries at `now`. */
export function expectedFeedDay(now: number): string {
  return listingDayOf(lastAnnouncement(now));
}

/**
 * Whether a feed that carried `feedDay` reflects the latest announcement. Weekend feeds are empty
 * and dated Saturday/Sunday, which is later than Friday's listing, so they count as turned over.
 */
export function feedTurnedOver(feedDay: string | null | undefined, now: number): boolean {
  return !!feedDay && feedDay >= expectedFeedDay(now);
}

/**
 * When to ask again because the feed still shows the previous day, or null to wait for the next
 * announcement: the next of TURNOVER_RETRIES_MS at least MIN_RETRY_GAP_MS away, plus up to 15
 * minutes of jitter (as wide as the first poll's, so many installs do not come back in one burst). (20:00 + 4 h is midnight Eastern on every announcement night: daylight saving
 * switches at 02:00 on a Sunday, never between a Sunday 20:00 and the Monday's midnight.)
 */
export function turnoverRetryAt(now: number, feedDay: string | null | undefined, random: () => number): number | null {
  if (feedTurnedOver(feedDay, now)) return null;
  const announced = lastAnnouncement(now);
  if (now - announced >= TURNOVER_WINDOW_MS) return null;
  const step = TURNOVER_RETRIES_MS.find((offset) => announced + offset >= now + MIN_RETRY_GAP_MS);
  return step === undefined ? null : announced + step + jitter(random, 15 * MINUTE);
}

/** Uniform jitter in [0, maxMs), so many installs do not hit arXiv in the same second. */
export function jitter(random: () => number, maxMs: number): number {
  const r = random();
  return Math.floor((r >= 0 && r < 1 ? r : 0) * maxMs);
}

/** First poll after the next announcement: 20:00 Eastern + 2–17 minutes of jitter. */
export function nextAnnouncePoll(now: number, random: () => number): number {
  return nextAnnouncement(now) + 2 * MINUTE + jitter(random, 15 * MINUTE);
}

export interface FeedPollMark {
  /** Epoch ms of the last poll whose feed request succeeded (200 or 304). */
  at: number;
  /** The listing day that poll saw, if any. */
  day?: string;
}

/**
 * Whether the cache needs a poll now (browser start): never polled, too old, an announcement has
 * happened since the last successful feed poll, or that poll saw a feed that had not turned over.
 */
export function isCacheStale(now: number, last: FeedPollMark | null | undefined, maxAgeMs = MAX_CACHE_AGE_MS): boolean {
  if (!last) return true;
  if (now - last.at > maxAgeMs || last.at > now + DAY) return true;
  if (last.day && last.day < expectedFeedDay(now)) return true;
  return last.at < lastAnnouncement(now);
}
