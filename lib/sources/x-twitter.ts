/**
 * X / Twitter, off by default: with the user's own API bearer token, recent search (last 7 days)
 * for posts linking each paper, batched as `(url:"arxiv.org/abs/ID" OR …) -is:retweet` within the
 * 512-character query limit of the basic tier. Counts are the "Hot Papers" digests' original metric:
 * retweets and likes (favorites) of the posts that link a paper, plus how many posts there were.
 *
 * X's search quota is small and a query holds about 14 ids, so one run sends at most X_MAX_QUERIES
 * queries, covering the papers in the order the caller passes them: lib/worker/signals.ts puts the
 * watchlist first, then the papers already discussed most on the other sources (X's retweets and
 * likes matter for the papers people talk about), then the newest.
 */
import { httpJson } from '../http';
import { t } from '../i18n';
import type { DiscussionLink, Paper } from '../types';
import { count, isObject, PaperMatcher } from './paper-match';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';

const API = 'https://api.x.com/2/tweets/search/recent';
export const X_QUERY_LIMIT = 512;
export const X_MAX_QUERIES = 2;
const MAX_LINKS = 10;
const SUFFIX = ' -is:retweet';

/** Splits ids into search queries, each within the query-length limit. */
export function buildQueries(ids: readonly string[], limit = X_QUERY_LIMIT): { query: string; ids: string[] }[] {
  const out: { query: string; ids: string[] }[] = [];
  let cur: string[] = [];
  const render = (list: string[]) => `(${list.map((id) => `url:"arxiv.org/abs/${id}"`).join(' OR ')})${SUFFIX}`;
  for (const id of ids) {
    const next = [...cur, id];
    if (render(next).length > limit && cur.length) {
      out.push({ query: render(cur), ids: cur });
      cur = [id];
    } else {
      cur = next;
    }
  }
  if (cur.length) out.push({ query: render(cur), ids: cur });
  return out;
}

export function searchUrl(query: string): string {
  const q = new URLSearchParams({ query, 'tweet.fields': 'public_metrics,entities', max_results: '100' });
  return `${API}?${q.toString()}`;
}

interface Tweet {
  id: string;
  urls: string[];
  retweets: number;
  likes: number;
}

export function parseSearch(data: unknown): Tweet[] {
  if (!isObject(data)) throw new SourceError('bad-payload', t('xBadReply', t('source_x')));
  // No matches: X omits `data` and reports meta.result_count 0. Neither (e.g. only `errors`) is not a reply we understand.
  if (data.data === undefined) {
    if (isObject(data.meta)) return [];
    throw new SourceError('bad-payload', t('xNoData', t('source_x')));
  }
  if (!Array.isArray(data.data)) throw new SourceError('bad-payload', t('xDataNotList', t('source_x')));
  const out: Tweet[] = [];
  for (const item of data.data) {
    if (!isObject(item) || typeof item.id !== 'string' || !/^\d{1,25}$/.test(item.id)) continue;
    const urls: string[] = [];
    const ents = isObject(item.entities) && Array.isArray(item.entities.urls) ? item.entities.urls : [];
    for (const u of ents) {
      if (!isObject(u)) continue;
      for (const k of ['unwound_url', 'expanded_url'] as const) if (typeof u[k] === 'string') urls.push(u[k]);
    }
    const m = isObject(item.public_metrics) ? item.public_metrics : {};
    out.push({ id: item.id, urls, retweets: count(m.retweet_count), likes: count(m.like_count) });
  }
  return out;
}

export const xTwitter: EngagementSource = {
  id: 'x',
  // "X" alone is unclear inside a sentence ("X refused our sign-in"), so statuses say "X (Twitter)".
  get label() {
    return t('sourceLong_x');
  },
  hosts: ['api.x.com'],
  credentials: 'token',
  // Recent search quotas are per 15 minutes; an hour keeps a refresh well inside them.
  minIntervalMs: 60 * 60_000,
  maxRequests: X_MAX_QUERIES,
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    const token = env.credentials.xBearer;
    if (!token) throw new SourceError('auth-needed', t('xTokenNeeded', t('source_x')));
    const matcher = new PaperMatcher(papers);
    const queries = buildQueries(papers.map((p) => p.id)).slice(0, X_MAX_QUERIES);
    const byPaper = new Map<string, Map<string, Tweet>>();
    let requests = 0;
    for (const q of queries) {
      const { data } = await httpJson(env, searchUrl(q.query), { headers: { Authorization: `Bearer ${token}` } });
      requests++;
      for (const tweet of parseSearch(data)) {
        for (const u of tweet.urls) {
          const id = matcher.fromUrl(u);
          if (!id) continue;
          const m = byPaper.get(id) ?? new Map<string, Tweet>();
          m.set(tweet.id, tweet);
          byPaper.set(id, m);
        }
      }
    }
    const signals: PaperSignal[] = [];
    const name = t('source_x');
    for (const [paperId, tweets] of byPaper) {
      const list = [...tweets.values()].sort((a, b) => b.likes - a.likes);
      const links: DiscussionLink[] = list.slice(0, MAX_LINKS).map((tweet) => ({
        url: `https://x.com/i/web/status/${tweet.id}`,
        label: t('discussionXPost', name, tweet.retweets, tweet.likes),
      }));
      signals.push({
        paperId,
        counts: { retweets: list.reduce((n, tw) => n + tw.retweets, 0), likes: list.reduce((n, tw) => n + tw.likes, 0), posts: list.length },
        links,
      });
    }
    return { signals, requests };
  },
};

/** The digest line of the original "Hot Papers" posts. */
export function digestLine(counts: Record<string, number>): string {
  return `retweets: ${counts.retweets ?? 0}, favorites: ${counts.likes ?? 0}`;
}
