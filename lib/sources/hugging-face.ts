/**
 * Hugging Face Daily Papers: `GET https://huggingface.co/api/daily_papers?date=YYYY-MM-DD&limit=100&p=N`
 * (a day, page N of 100 entries) and `?week=YYYY-Www&limit=100&p=N` (an ISO week, for This week).
 * Requests grow with days and pages of 100 HF entries covered, never with papers; no credentials.
 *
 * Which dates: HF's `date` is the day a paper was put on its Daily Papers page, not the arXiv
 * announcement day. Most papers are submitted the day they are announced or the day after, so for
 * every arXiv announcement day D of the batch we ask for D and D + 1 (the union, so a week of
 * consecutive announcement days costs about one request per day), skip dates in the future (UTC),
 * and keep the two most recent (the latest announcement day and the day after). A page that comes
 * back full (100 entries) is followed by the next page, so a busy day is covered whole. What is left
 * of the run's budget (HF_MAX_REQUESTS) goes to the ISO week (`week=`) of the batch's papers that no
 * date covered — the This week view's older days (lib/worker/signals.ts widens the batch to the
 * week) — one page per run, the most upvoted first as HF orders it. Papers put on Daily Papers later
 * than D + 1 and outside the week's pages are missed; that is the price of a request count that does
 * not grow with the number of papers.
 *
 * Each date's reply is cached in the source state with its ETag/Last-Modified, so a refresh sends a
 * conditional request and a 304 reuses the cached counts.
 *
 * Papers no requested date covers (looked up from an arXiv page, watchlist papers from older weeks)
 * are asked for one by one with `GET /api/papers/<id>` with what is left of the budget after the
 * dates; a 404 there just means "not on Hugging Face". That endpoint carries no comment count, so
 * comments stay 0.
 */
import { HttpError, httpJson, type Validators } from '../http';
import { t } from '../i18n';
import type { DiscussionLink, Paper } from '../types';
import { addDays, count, DAY_RE, isObject, PaperMatcher, utcDay } from './paper-match';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';

const API = 'https://huggingface.co/api/daily_papers';
/** Requests per run: dates first, then single-paper lookups with what is left. */
export const HF_MAX_REQUESTS = 3;
/** Dates asked for per run (the latest announcement day and the day after). */
const HF_MAX_DATES = 2;
/** HF's largest page. */
export const HF_LIMIT = 100;

interface HfEntry {
  id: string;
  upvotes: number;
  comments: number;
  githubStars: number;
}

interface CachedDay {
  validators: Validators;
  entries: HfEntry[];
}

/** The daily-papers dates to request for a batch (most recent first), at most `max`. */
export function hfDates(papers: readonly Paper[], now: number, max = HF_MAX_DATES): string[] {
  const today = utcDay(now);
  const dates = new Set<string>();
  for (const p of papers) {
    if (!p.announced || !DAY_RE.test(p.announced)) continue;
    for (const d of [p.announced, addDays(p.announced, 1)]) if (d <= today) dates.add(d);
  }
  return [...dates].sort().reverse().slice(0, max);
}

/** ISO 8601 week (`2026-W21`) of a `YYYY-MM-DD` day: the week of its Thursday, Monday first. */
export function isoWeek(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const dow = (new Date(t).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = new Date(t + (3 - dow) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Parses one daily_papers reply; throws SourceError when it is not the expected list. */
export function parseDailyPapers(data: unknown): HfEntry[] {
  if (!Array.isArray(data)) throw new SourceError('bad-payload', t('hfNotAList', t('source_hf')));
  const out: HfEntry[] = [];
  for (const item of data) {
    if (!isObject(item) || !isObject(item.paper)) continue;
    const paper = item.paper;
    if (typeof paper.id !== 'string') continue;
    out.push({
      id: paper.id,
      upvotes: count(paper.upvotes),
      // numComments sits on the daily entry, not on the paper.
      comments: count(item.numComments),
      githubStars: count(paper.githubStars),
    });
  }
  return out;
}

export function hfPaperUrl(id: string): string {
  return `https://huggingface.co/papers/${id}`;
}

/** Cached replies by date; one state key, trimmed to the dates of the latest run so it cannot grow. */
type DayCache = Record<string, CachedDay>;

/** One page of a day (`date=`) or a week (`week=`); `key` is its query, also its cache key. */
async function fetchPage(env: SourceEnv, cache: DayCache, key: string): Promise<HfEntry[]> {
  const cached = cache[key];
  const url = `${API}?${key}`;
  const { data, result } = await httpJson(env, url, { validators: cached?.validators, timeoutMs: 20_000 });
  if (result.notModified) {
    // A 304 only vouches for the copy whose validators we sent; to an unconditional request (a
    // broken proxy or cache) it says nothing, and reusing the copy would hide the fault as "ok".
    if (cached && (cached.validators.etag || cached.validators.lastModified)) return cached.entries;
    throw new SourceError('bad-payload', cached ? t('hfNotModifiedUnasked', t('source_hf')) : t('hfNotModifiedNoCopy', t('source_hf')));
  }
  const entries = parseDailyPapers(data);
  cache[key] = { validators: result.validators, entries };
  return entries;
}

/** Reads the single-paper endpoint (`/api/papers/<id>`); null when it is not a paper record. */
export function parsePaper(data: unknown): HfEntry | null {
  if (!isObject(data) || typeof data.id !== 'string') return null;
  return { id: data.id, upvotes: count(data.upvotes), comments: count(data.numComments), githubStars: count(data.githubStars) };
}

async function fetchSingle(env: SourceEnv, id: string): Promise<HfEntry | null> {
  try {
    const { data } = await httpJson(env, `https://huggingface.co/api/papers/${encodeURIComponent(id)}`, { timeoutMs: 20_000, attempts: 2 });
    const entry = parsePaper(data);
    if (!entry) throw new SourceError('bad-payload', t('hfBadPaper', t('source_hf')));
    return entry;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}

export const huggingFace: EngagementSource = {
  id: 'hf',
  get label() {
    return t('source_hf');
  },
  hosts: ['huggingface.co'],
  credentials: 'none',
  minIntervalMs: 10 * 60_000,
  maxRequests: HF_MAX_REQUESTS,
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    const matcher = new PaperMatcher(papers);
    const byId = new Map<string, PaperSignal>();
    let requests = 0;
    const add = (e: HfEntry) => {
      const id = matcher.fromId(e.id);
      if (!id) return;
      // A paper on two dates carries the same HF counts; keep the larger (later) reading.
      const prev = byId.get(id);
      if (prev && (prev.counts.upvotes ?? 0) >= e.upvotes) return;
      const link: DiscussionLink = { url: hfPaperUrl(id), label: t('discussionHfPage', t('source_hf')) };
      byId.set(id, { paperId: id, counts: { upvotes: e.upvotes, comments: e.comments, githubStars: e.githubStars }, links: [link] });
    };
    const dates = hfDates(papers, env.now());
    const stored = (await env.state.get<DayCache>('days')) ?? {};
    const cache: DayCache = {};
    const page = async (key: string): Promise<number> => {
      if (stored[key]) cache[key] = stored[key];
      const entries = await fetchPage(env, cache, key);
      requests++;
      entries.forEach(add);
      return entries.length;
    };
    // Each date from its first page on; a full page means there is more of that day.
    for (const date of dates) {
      for (let p = 0; requests < HF_MAX_REQUESTS - (dates.length - 1 - dates.indexOf(date)); p++) {
        if ((await page(`date=${date}&limit=${HF_LIMIT}&p=${p}`)) < HF_LIMIT) break;
      }
    }
    const covered = new Set(dates);
    const weeks = [...new Set(papers.filter((p) => p.announced && DAY_RE.test(p.announced) && !covered.has(p.announced)).map((p) => isoWeek(p.announced!)))].sort().reverse();
    for (const week of weeks) {
      if (requests >= HF_MAX_REQUESTS) break;
      await page(`week=${week}&limit=${HF_LIMIT}&p=0`);
      for (const p of papers) if (p.announced && isoWeek(p.announced) === week) covered.add(p.announced);
    }
    if (requests) await env.state.set('days', cache);
    const singles = papers.filter((p) => !p.announced || !covered.has(p.announced)).slice(0, HF_MAX_REQUESTS - requests);
    for (const p of singles) {
      const entry = await fetchSingle(env, p.id);
      requests++;
      if (entry) add(entry);
    }
    return { signals: [...byId.values()], requests };
  },
};
