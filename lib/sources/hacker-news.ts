/**
 * Hacker News through the Algolia HN Search API: every story whose URL points at arxiv.org since
 * shortly before the batch's earliest announcement day, newest first, up to 1000 per page. Requests
 * grow with pages of stories, not with papers. No credentials.
 */
import { httpJson } from '../http';
import { t } from '../i18n';
import type { DiscussionLink, Paper } from '../types';
import { count, DAY_RE, isObject, PaperMatcher } from './paper-match';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';

const API = 'https://hn.algolia.com/api/v1/search_by_date';
const DAY_MS = 86_400_000;
// Stories older than this are not looked at, whatever the batch contains (watchlist papers).
const MAX_LOOKBACK_MS = 8 * DAY_MS;
const MAX_LINKS = 10;

/** Epoch seconds after which stories are requested: a day before the earliest announcement, within 8 days. */
export function hnSince(papers: readonly Paper[], now: number): number {
  let earliest = Infinity;
  for (const p of papers) {
    if (p.announced && DAY_RE.test(p.announced)) earliest = Math.min(earliest, Date.parse(`${p.announced}T00:00:00Z`));
  }
  // Papers are often posted to HN from their submission, a day or two before the listing.
  const from = Number.isFinite(earliest) ? earliest - 2 * DAY_MS : now - 3 * DAY_MS;
  return Math.floor(Math.max(from, now - MAX_LOOKBACK_MS) / 1000);
}

export function hnSearchUrl(since: number, page: number): string {
  const q = new URLSearchParams({
    query: 'arxiv.org',
    restrictSearchableAttributes: 'url',
    tags: 'story',
    numericFilters: `created_at_i>${since}`,
    hitsPerPage: '1000',
    page: String(page),
  });
  return `${API}?${q.toString()}`;
}

export interface HnStory {
  objectID: string;
  url: string;
  points: number;
  comments: number;
}

/** Parses one Algolia reply: the usable stories and the page count. */
export function parseAlgolia(data: unknown): { stories: HnStory[]; nbPages: number } {
  if (!isObject(data) || !Array.isArray(data.hits)) throw new SourceError('bad-payload', t('hnNoHits', t('source_hn')));
  const stories: HnStory[] = [];
  for (const h of data.hits) {
    if (!isObject(h) || typeof h.url !== 'string') continue;
    // objectID becomes part of a link: only plain numeric item ids are accepted.
    const oid = typeof h.objectID === 'string' || typeof h.objectID === 'number' ? String(h.objectID) : '';
    if (!/^\d{1,12}$/.test(oid)) continue;
    stories.push({ objectID: oid, url: h.url, points: count(h.points), comments: count(h.num_comments) });
  }
  return { stories, nbPages: count(data.nbPages) };
}

export function hnItemUrl(objectID: string): string {
  return `https://news.ycombinator.com/item?id=${objectID}`;
}

export const hackerNews: EngagementSource = {
  id: 'hn',
  get label() {
    return t('source_hn');
  },
  hosts: ['hn.algolia.com'],
  credentials: 'none',
  minIntervalMs: 10 * 60_000,
  // One page of 1000 stories covers the ≤ 8 days searched (arxiv.org stories are tens a day); a story
  // beyond it keeps the counts it had when it was last seen (windowed counts never drop, lib/worker/signals.ts).
  maxRequests: 1,
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    const matcher = new PaperMatcher(papers);
    const since = hnSince(papers, env.now());
    const seen = new Set<string>();
    const byPaper = new Map<string, HnStory[]>();
    let requests = 0;
    for (let page = 0; page < hackerNews.maxRequests; page++) {
      const { data } = await httpJson(env, hnSearchUrl(since, page), { timeoutMs: 20_000 });
      requests++;
      const { stories, nbPages } = parseAlgolia(data);
      for (const s of stories) {
        if (seen.has(s.objectID)) continue;
        seen.add(s.objectID);
        const id = matcher.fromUrl(s.url);
        if (!id) continue;
        const list = byPaper.get(id) ?? [];
        list.push(s);
        byPaper.set(id, list);
      }
      if (page + 1 >= nbPages || stories.length === 0) break;
    }
    const signals: PaperSignal[] = [];
    const name = t('source_hn');
    for (const [paperId, stories] of byPaper) {
      stories.sort((a, b) => b.points - a.points || Number(a.objectID) - Number(b.objectID));
      const links: DiscussionLink[] = stories.slice(0, MAX_LINKS).map((s) => ({
        url: hnItemUrl(s.objectID),
        label: t('discussionHnThread', name, s.points, s.comments),
      }));
      signals.push({
        paperId,
        counts: {
          points: stories.reduce((n, s) => n + s.points, 0),
          comments: stories.reduce((n, s) => n + s.comments, 0),
        },
        links,
      });
    }
    return { signals, requests };
  },
};
