/**
 * Discovery from posts (X now; any source that searches posts for arXiv links): the arXiv ids a
 * post's links point at, whether or not the cache holds them yet, and the distinct-post sums the
 * "Hot Papers" digests counted.
 *
 * Links are untrusted payload text: an id is taken only when the whole link parses as an arXiv
 * link (lib/arxiv/ids.ts: abs, pdf, html, versioned or not, http or https, arxiv.org / www. /
 * export. hosts, alphaxiv and 10.48550 DOIs), and the id returned is the normalized, versionless one.
 */
import { normalizeArxivId } from '../arxiv/ids';

/** Distinct arXiv ids in a post's links, in first-seen order. */
export function arxivIdsInLinks(links: readonly unknown[]): string[] {
  const out = new Set<string>();
  for (const raw of links) {
    if (typeof raw !== 'string' || raw.length > 500) continue;
    const id = normalizeArxivId(raw);
    if (id) out.add(id);
  }
  return [...out];
}

export interface CountedPost {
  id: string;
  retweets: number;
  likes: number;
}

/**
 * Posts per paper: each post is credited once to every paper it links (a post met twice — on two
 * pages, or linking the same paper as abs and pdf — still counts once).
 */
export class PostsByPaper<P extends CountedPost> {
  private readonly byPaper = new Map<string, Map<string, P>>();

  add(paperIds: readonly string[], post: P): void {
    for (const id of paperIds) {
      let posts = this.byPaper.get(id);
      if (!posts) this.byPaper.set(id, (posts = new Map()));
      // A later copy of the same post (paging overlap) carries the newer counts.
      posts.set(post.id, post);
    }
  }

  has(paperId: string): boolean {
    return this.byPaper.has(paperId);
  }

  get size(): number {
    return this.byPaper.size;
  }

  /** Each paper's posts, top post first (retweets + likes, then likes, then id for a stable order). */
  *entries(): IterableIterator<[string, P[]]> {
    for (const [id, posts] of this.byPaper) yield [id, [...posts.values()].sort(byEngagement)];
  }
}

/** Top first: retweets + likes, largest first; on a tie more likes (favorites) first; then post id. */
export function byEngagement(a: CountedPost, b: CountedPost): number {
  return b.retweets + b.likes - (a.retweets + a.likes) || b.likes - a.likes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Sums over distinct posts: { retweets, likes, posts }. */
export function sumPosts(posts: readonly CountedPost[]): { retweets: number; likes: number; posts: number } {
  let retweets = 0;
  let likes = 0;
  for (const p of posts) {
    retweets += p.retweets;
    likes += p.likes;
  }
  return { retweets, likes, posts: posts.length };
}
