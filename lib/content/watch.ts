/**
 * Watchlist matches on a page: a starred paper, an author the user follows, or a keyword in the
 * title. Case- and accent-insensitive, whole-word for keywords.
 */

export function fold(s: string): string {
  // Most titles and names are ASCII: skip Unicode normalization for them (2000 rows per page).
  const plain = /^[ -~\s]*$/.test(s) ? s : s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return plain.toLowerCase().replace(/\s+/g, ' ').trim();
}

export interface WatchRules {
  authors: string[];
  keywords: RegExp[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function watchRules(authors: readonly string[], keywords: readonly string[]): WatchRules {
  return {
    authors: authors.map(fold).filter((a) => a.length >= 2),
    keywords: keywords
      .map(fold)
      .filter(Boolean)
      .map((k) => new RegExp(`(^|[^\\p{L}\\p{N}])${escape(k)}($|[^\\p{L}\\p{N}])`, 'u')),
  };
}

export function matchesWatch(rules: WatchRules, title: string, authors: string): boolean {
  if (!rules.authors.length && !rules.keywords.length) return false;
  const a = fold(authors);
  if (rules.authors.some((x) => a.includes(x))) return true;
  const t = fold(title);
  return rules.keywords.some((k) => k.test(t));
}
