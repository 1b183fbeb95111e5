/**
 * alphaXiv: `GET https://api.alphaxiv.org/papers/v3/feed?pageNum=0&pageSize=100&sort=Hot&interval=3 Days&topics=[…]`,
 * the feed alphaXiv's own web app shows on its home page. No account. One request per run: the
 * hottest papers of the last three days in the followed categories (`topics` takes arXiv category
 * codes as a JSON list), each card with its public votes, visits, X likes and GitHub stars.
 *
 * The API is unofficial (undocumented; the `alphaxiv-py` client and the web app use it), so it can
 * change without notice. The parser checks the shape it relies on — an object with a `papers` list
 * whose cards carry `universal_paper_id` — and when that is gone it says so in words
 * (SourceError 'bad-payload', "alphaXiv changed its feed …"); lib/worker/signals.ts then keeps the
 * last good counts, as for any failure. Counts are read defensively (missing metrics are 0).
 *
 * A paper that drops out of the hot page keeps the counts it had when last seen (a windowed source,
 * lib/worker/signals.ts). Links are built from the matched cached id, never from payload URLs.
 */
import { httpJson } from '../http';
import { t } from '../i18n';
import type { Paper } from '../types';
import { count, isObject, PaperMatcher } from './paper-match';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';

const API = 'https://api.alphaxiv.org/papers/v3/feed';
export const AX_PAGE_SIZE = 100;
export const AX_MAX_REQUESTS = 1;
/** arXiv category codes alphaXiv's `topics` filter takes (others are left out of the query). */
const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

export interface AlphaxivCard {
  id: string;
  /** Public upvotes (`metrics.public_total_votes`, else `metrics.total_votes`). */
  votes: number;
  visits: number;
  xLikes: number;
  githubStars: number;
}

export function feedUrl(categories: readonly string[]): string {
  const q = new URLSearchParams({ pageNum: '0', pageSize: String(AX_PAGE_SIZE), sort: 'Hot', interval: '3 Days' });
  const topics = categories.filter((c) => CATEGORY.test(c));
  if (topics.length) q.set('topics', JSON.stringify(topics));
  return `${API}?${q.toString()}`;
}

/** Parses a feed reply; throws SourceError('bad-payload') in words when its shape is not the one we know. */
export function parseFeed(data: unknown): AlphaxivCard[] {
  const name = t('source_alphaxiv');
  if (!isObject(data) || !Array.isArray(data.papers)) throw new SourceError('bad-payload', t('alphaxivShapeChanged', name));
  const out: AlphaxivCard[] = [];
  for (const card of data.papers) {
    if (!isObject(card) || typeof card.universal_paper_id !== 'string') continue;
    const m = isObject(card.metrics) ? card.metrics : {};
    const visits = isObject(m.visits_count) ? m.visits_count.all : undefined;
    out.push({
      id: card.universal_paper_id,
      votes: count(m.public_total_votes ?? m.total_votes),
      visits: count(visits),
      xLikes: count(m.x_likes),
      githubStars: count(card.github_stars),
    });
  }
  // Cards without the id we match on: the format moved under us, not "no papers".
  if (data.papers.length > 0 && out.length === 0) throw new SourceError('bad-payload', t('alphaxivShapeChanged', name));
  return out;
}

export function alphaxivUrl(id: string): string {
  return `https://www.alphaxiv.org/abs/${id}`;
}

export const alphaxiv: EngagementSource = {
  id: 'alphaxiv',
  get label() {
    return t('source_alphaxiv');
  },
  hosts: ['api.alphaxiv.org'],
  credentials: 'none',
  minIntervalMs: 10 * 60_000,
  maxRequests: AX_MAX_REQUESTS,
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    const matcher = new PaperMatcher(papers);
    const categories = env.categories?.length ? env.categories : [...new Set(papers.map((p) => p.primaryCategory).filter(Boolean))];
    const { data } = await httpJson(env, feedUrl(categories), { timeoutMs: 20_000 });
    const signals: PaperSignal[] = [];
    const seen = new Set<string>();
    for (const c of parseFeed(data)) {
      const id = matcher.fromId(c.id);
      if (!id || seen.has(id)) continue;
      seen.add(id);
      signals.push({
        paperId: id,
        counts: { votes: c.votes, visits: c.visits, xLikes: c.xLikes, githubStars: c.githubStars },
        links: [{ url: alphaxivUrl(id), label: t('discussionAlphaxivPage', t('source_alphaxiv')) }],
      });
    }
    return { signals, requests: 1 };
  },
};
