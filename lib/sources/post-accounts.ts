/**
 * Who posted about a paper, for sources that discover papers from posts (Bluesky now; X can use
 * the same): one voice per account, and each account's kind.
 *
 * - "bot": a per-category arXiv bot (known handles) or an account that posts many arXiv links a day
 *   (an aggregator). Its posts say "this paper exists", not "people talk about it".
 * - "author": the post's account has the name of one of the paper's authors (self-promotion).
 * - "person": everyone else.
 *
 * Counts go to lib/types.ts SignalRecord under the metric's own name for people, and with a `bot_` or
 * `author_` prefix for the other two kinds (e.g. `likes`, `bot_likes`, `author_likes`), plus the
 * distinct accounts of each kind (`accounts`, `bot_accounts`, `author_accounts`). lib/rank/heat.ts
 * weighs the prefixed counts by the source's botWeight / authorWeight settings.
 */

export type AccountKind = 'person' | 'bot' | 'author';

/** Distinct arXiv papers an account links per day, from which it counts as a bot. */
export const BOT_LINKS_PER_DAY = 10;

/** Bluesky handles of the per-category arXiv bots (`arxiv-cs-lg.bsky.social`, `cslg-bot.bsky.social`). */
const BOT_HANDLES = [/^arxiv-[a-z]+(-[a-z]+)?\.bsky\.social$/i, /^[a-z]{3,10}-bot\.bsky\.social$/i];

export function isKnownBotHandle(handle: string): boolean {
  return BOT_HANDLES.some((re) => re.test(handle));
}

/** The Bluesky bot account that posts a category's new papers (`cs.LG` → `arxiv-cs-lg.bsky.social`). */
export function categoryBotHandle(category: string): string | null {
  if (!/^[a-z-]+(\.[A-Za-z-]+)?$/.test(category)) return null;
  return `arxiv-${category.toLowerCase().replace(/\./g, '-')}.bsky.social`;
}

/** Lower-case letters only, accents dropped: "Pérez-Díaz, J." → "perezdiazj". */
function letters(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/**
 * Whether an account's display name or handle names one of the authors: the author's full name
 * (all its parts, in order, letters only) equals the display name's, or is the handle's first label.
 * Short names (under 6 letters) are not matched, so "Li Na" cannot claim every "lina" account.
 */
export function isPaperAuthor(account: { handle?: string; displayName?: string }, authors: readonly string[]): boolean {
  const shown = letters(account.displayName ?? '');
  const label = letters((account.handle ?? '').split('.')[0] ?? '');
  for (const a of authors) {
    const name = letters(a);
    if (name.length < 6) continue;
    if (name === shown || name === label) return true;
  }
  return false;
}

export interface AccountPost {
  /** A stable account id (a DID on Bluesky). */
  account: string;
  handle?: string;
  displayName?: string;
  /** Papers the post links (requested ids). */
  papers: string[];
  counts: Record<string, number>;
  /** Engagement for choosing an account's best post about a paper. */
  weight: number;
}

/** Accounts that link more than BOT_LINKS_PER_DAY distinct papers a day in `posts`, over `days`. */
export function prolificAccounts(posts: readonly { account: string; links: readonly string[] }[], days: number): Set<string> {
  const byAccount = new Map<string, Set<string>>();
  for (const p of posts) {
    let set = byAccount.get(p.account);
    if (!set) byAccount.set(p.account, (set = new Set()));
    for (const l of p.links) set.add(l);
  }
  const out = new Set<string>();
  const limit = BOT_LINKS_PER_DAY * Math.max(1, days);
  for (const [account, links] of byAccount) if (links.size > limit) out.add(account);
  return out;
}

/**
 * Per paper: each account's best post only (one voice however often it posted the paper), its
 * counts summed under the account's kind, and the distinct accounts of each kind.
 */
export function countByAccount(
  posts: readonly AccountPost[],
  kindOf: (post: AccountPost, paperId: string) => AccountKind,
  metrics: readonly string[],
): Map<string, Record<string, number>> {
  const best = new Map<string, Map<string, AccountPost>>();
  for (const p of posts) {
    for (const paperId of p.papers) {
      let accounts = best.get(paperId);
      if (!accounts) best.set(paperId, (accounts = new Map()));
      const prev = accounts.get(p.account);
      if (!prev || p.weight > prev.weight) accounts.set(p.account, p);
    }
  }
  const out = new Map<string, Record<string, number>>();
  for (const [paperId, accounts] of best) {
    const counts: Record<string, number> = {};
    for (const m of metrics) counts[m] = 0;
    counts.accounts = 0;
    for (const post of accounts.values()) {
      const kind = kindOf(post, paperId);
      const prefix = kind === 'person' ? '' : `${kind}_`;
      for (const m of metrics) counts[`${prefix}${m}`] = (counts[`${prefix}${m}`] ?? 0) + (post.counts[m] ?? 0);
      counts[`${prefix}accounts`] = (counts[`${prefix}accounts`] ?? 0) + 1;
    }
    out.set(paperId, counts);
  }
  return out;
}
