/**
 * X / Twitter, off by default, with the user's own API bearer token: finds the day's most-talked-about
 * papers from the posts, as the "Hot Papers" digests did.
 *
 * 1. Discovery. Each run starts with a recent search for posts that link arXiv
 *    (`url:arxiv.org -is:retweet`, `sort_order=relevancy` so the most-engaged posts come first,
 *    `start_time` at the announcement the papers belong to, `next_token` paging). Every post credits
 *    every paper it links (./post-links.ts), whether or not the cache holds it yet: the signals phase
 *    (lib/worker/signals.ts) keeps what is cached and fetches the rest from the arXiv API.
 * 2. Per-id queries, `(url:"arxiv.org/abs/ID" OR …) -is:retweet` within the 512-character query
 *    limit, only for the papers the caller passes (watchlist papers and stale top-list papers) that
 *    discovery did not reach.
 *
 * Counts are the digests' metric: retweets and likes (favorites) summed over the distinct posts that
 * link a paper, plus how many posts there were; the top posts are kept (author, text, time, counts).
 * X bills every post read: ./x-budget.ts keeps each day within the user's post budget.
 */
import { httpJson } from '../http';
import { t } from '../i18n';
import type { DiscussionLink, Paper, SourcePost } from '../types';
import { isObject, PaperMatcher } from './paper-match';
import { arxivIdsInLinks, PostsByPaper, sumPosts } from './post-links';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';
import { canRequest, runAllowance, usageToday, X_DEFAULT_DAILY_POSTS, X_MAX_PAGE, X_MIN_PAGE, X_USAGE_KEY, type XUsage } from './x-budget';

const API = 'https://api.x.com/2/tweets/search/recent';
export const X_QUERY_LIMIT = 512;
/** Requests one run sends at most (discovery pages and per-id queries together). */
export const X_MAX_QUERIES = 2;
export const X_DISCOVERY_QUERY = 'url:arxiv.org -is:retweet';
/** Posts kept per paper (top first) for the breakdown and the digest. */
export const X_KEEP_POSTS = 10;
const MAX_TEXT = 1000;
const SUFFIX = ' -is:retweet';
const DAY_MS = 86_400_000;
/** Recent search reaches back 7 days; start a minute inside that. */
const SEARCH_WINDOW_MS = 7 * DAY_MS - 60_000;

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

export interface SearchParams {
  query: string;
  maxResults: number;
  startTime?: string;
  nextToken?: string;
}

export function searchUrl(p: SearchParams): string {
  const q = new URLSearchParams({
    query: p.query,
    sort_order: 'relevancy',
    max_results: String(Math.min(X_MAX_PAGE, Math.max(X_MIN_PAGE, Math.floor(p.maxResults)))),
    'tweet.fields': 'author_id,created_at,entities,public_metrics',
    expansions: 'author_id',
    'user.fields': 'name,username',
  });
  if (p.startTime) q.set('start_time', p.startTime);
  if (p.nextToken) q.set('next_token', p.nextToken);
  return `${API}?${q.toString()}`;
}

/**
 * The instant the papers of announcement day `day` became public: arXiv announces at 20:00 US Eastern
 * the evening before, which is 00:00 UTC (EDT) or 01:00 UTC (EST); 00:00 UTC covers both. Clamped to
 * recent search's 7-day window; without a day, the last 24 hours.
 */
export function announcementStart(day: string | undefined, now: number): string {
  const t0 = day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? Date.parse(`${day}T00:00:00Z`) : now - DAY_MS;
  const start = Math.min(Math.max(t0, now - SEARCH_WINDOW_MS), now - 60_000);
  return new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface Tweet extends SourcePost {
  urls: string[];
}

export interface SearchPage {
  tweets: Tweet[];
  /** Posts X billed for this reply (meta.result_count, else the posts returned). */
  count: number;
  nextToken?: string;
}

const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

/** The post's own page: x.com/<handle>/status/<id>, or x.com/i/web/status/<id> without a usable handle. */
export function postUrl(id: string, handle: string): string {
  return HANDLE.test(handle) ? `https://x.com/${handle}/status/${id}` : `https://x.com/i/web/status/${id}`;
}

/** X escapes &, < and > in post text as entities; the text is shown as text, so undo exactly those. */
function unescapeText(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const wholeCount = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0);
const str = (v: unknown, max = 200): string => (typeof v === 'string' ? v.slice(0, max) : '');

/** Reads one recent-search reply. Throws SourceError on a reply that is not one. */
export function parseSearch(data: unknown): SearchPage {
  if (!isObject(data)) throw new SourceError('bad-payload', t('xBadReply', t('source_x')));
  const meta = isObject(data.meta) ? data.meta : undefined;
  const nextToken = meta && typeof meta.next_token === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(meta.next_token) ? meta.next_token : undefined;
  // No matches: X omits `data` and reports meta.result_count 0. Neither (e.g. only `errors`) is not a reply we understand.
  if (data.data === undefined) {
    if (meta) return { tweets: [], count: 0, ...(nextToken ? { nextToken } : {}) };
    throw new SourceError('bad-payload', t('xNoData', t('source_x')));
  }
  if (!Array.isArray(data.data)) throw new SourceError('bad-payload', t('xDataNotList', t('source_x')));
  const users = new Map<string, { handle: string; name: string }>();
  const inc = isObject(data.includes) && Array.isArray(data.includes.users) ? data.includes.users : [];
  for (const u of inc) {
    if (isObject(u) && typeof u.id === 'string') users.set(u.id, { handle: HANDLE.test(str(u.username)) ? str(u.username) : '', name: str(u.name, 100) });
  }
  const tweets: Tweet[] = [];
  for (const item of data.data) {
    if (!isObject(item) || typeof item.id !== 'string' || !/^\d{1,25}$/.test(item.id)) continue;
    const urls: string[] = [];
    let text = str(item.text, 4 * MAX_TEXT);
    const ents = isObject(item.entities) && Array.isArray(item.entities.urls) ? item.entities.urls : [];
    for (const u of ents) {
      if (!isObject(u)) continue;
      for (const k of ['unwound_url', 'expanded_url'] as const) if (typeof u[k] === 'string') urls.push(u[k]);
      // Show where a t.co link goes (its expanded link), as X itself does.
      const short = typeof u.url === 'string' ? u.url : '';
      const long = typeof u.expanded_url === 'string' ? u.expanded_url : '';
      if (short.startsWith('https://t.co/') && /^https?:\/\/\S+$/.test(long) && long.length <= 300) text = text.split(short).join(long);
    }
    const m = isObject(item.public_metrics) ? item.public_metrics : {};
    const author = users.get(typeof item.author_id === 'string' ? item.author_id : '') ?? { handle: '', name: '' };
    const createdAt = typeof item.created_at === 'string' && !Number.isNaN(Date.parse(item.created_at)) ? item.created_at : '';
    tweets.push({
      id: item.id,
      url: postUrl(item.id, author.handle),
      handle: author.handle,
      name: author.name,
      text: unescapeText(text).slice(0, MAX_TEXT),
      createdAt,
      retweets: wholeCount(m.retweet_count),
      likes: wholeCount(m.like_count),
      urls,
    });
  }
  const count = meta && typeof meta.result_count === 'number' ? wholeCount(meta.result_count) : tweets.length;
  return { tweets, count: Math.max(count, tweets.length), ...(nextToken ? { nextToken } : {}) };
}

/** A kept post: what the breakdown and digest show (no link list). */
function keep(tw: Tweet): SourcePost {
  const { urls: _urls, ...post } = tw;
  return post;
}

export const xTwitter: EngagementSource = {
  id: 'x',
  // "X" alone is unclear inside a sentence ("X refused our sign-in"), so statuses say "X (Twitter)".
  get label() {
    return t('sourceLong_x');
  },
  hosts: ['api.x.com'],
  credentials: 'token',
  // Every post read is billed: four runs a day share the daily budget (./x-budget.ts).
  minIntervalMs: 6 * 60 * 60_000,
  maxRequests: X_MAX_QUERIES,
  discovers: true,
  /**
   * `papers`: the papers to ask about by id when discovery does not reach them (the signals phase
   * passes watchlist papers and stale top-list papers). Signals come back for every paper a post
   * links, asked about or not.
   */
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    const token = env.credentials.xBearer;
    if (!token) throw new SourceError('auth-needed', t('xTokenNeeded', t('source_x')));
    const budget = env.postBudget ?? X_DEFAULT_DAILY_POSTS;
    const usage: XUsage = usageToday(await env.state.get(X_USAGE_KEY), env.now());
    let allowance = runAllowance(usage, budget);
    const found = new PostsByPaper<Tweet>();
    // Ids the strict parser rejects but the cache holds (arXiv's own test data) still match the papers asked about.
    const asked = new PaperMatcher(papers);
    const idsOf = (urls: string[]): string[] => {
      const ids = arxivIdsInLinks(urls);
      for (const u of urls) {
        const id = asked.fromUrl(u);
        if (id && !ids.includes(id)) ids.push(id);
      }
      return ids;
    };
    let requests = 0;

    const search = async (p: SearchParams): Promise<SearchPage> => {
      requests++;
      usage.requests++;
      // Counted before the reply is read: a request that fails after X billed it still counts.
      await env.state.set(X_USAGE_KEY, usage);
      const { data } = await httpJson(env, searchUrl(p), { headers: { Authorization: `Bearer ${token}` } });
      const page = parseSearch(data);
      usage.posts += page.count;
      allowance -= page.count;
      await env.state.set(X_USAGE_KEY, usage);
      for (const tw of page.tweets) found.add(idsOf(tw.urls), tw);
      return page;
    };
    const mayAsk = (posts: number) => requests < X_MAX_QUERIES && canRequest(usage, budget) && posts >= X_MIN_PAGE;

    // One page of the run is kept for per-id queries when there are papers to ask about.
    const reserve = papers.length ? X_MIN_PAGE : 0;
    const discoveryPages = papers.length ? X_MAX_QUERIES - 1 : X_MAX_QUERIES;
    const startTime = announcementStart(env.day, env.now());
    let nextToken: string | undefined;
    for (let page = 0; page < discoveryPages && mayAsk(allowance - reserve); page++) {
      const got = await search({ query: X_DISCOVERY_QUERY, startTime, maxResults: Math.min(X_MAX_PAGE, allowance - reserve), nextToken });
      nextToken = got.nextToken;
      if (!nextToken) break;
    }
    const rest = papers.map((p) => p.id).filter((id) => !found.has(id));
    for (const q of buildQueries(rest)) {
      if (!mayAsk(allowance)) break;
      // No start_time: the whole 7-day window, since a watched paper may be older than today's.
      await search({ query: q.query, maxResults: Math.min(X_MAX_PAGE, allowance) });
    }

    const signals: PaperSignal[] = [];
    const name = t('source_x');
    for (const [paperId, posts] of found.entries()) {
      const top = posts.slice(0, X_KEEP_POSTS);
      const links: DiscussionLink[] = top.map((tw) => ({ url: tw.url, label: t('discussionXPost', name, tw.retweets, tw.likes) }));
      signals.push({ paperId, counts: sumPosts(posts), links, posts: top.map(keep) });
    }
    return { signals, requests, usage: { day: usage.day, posts: usage.posts, requests: usage.requests, budget } };
  },
};

/** The digest line of the original "Hot Papers" posts. */
export function digestLine(counts: Record<string, number>): string {
  return `retweets: ${counts.retweets ?? 0}, favorites: ${counts.likes ?? 0}`;
}
