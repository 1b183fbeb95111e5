/**
 * The popup's search and category filter, shared by the popup (filtering the rows it holds) and the
 * background ('hotlist:get' with `query` / `categories`, filtering the whole view before the limit),
 * so that both find the same papers. Pure; imports nothing (the popup bundle stays small).
 */
import type { Paper } from '../types';

/** Case- and accent-insensitive form: "Élodie" and "elodie" match. */
export const fold = (s: string): string => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();

export interface PaperFilter {
  /** Folded, trimmed search text; '' = no search. */
  query: string;
  /** A paper matches when any of its categories is one of these; empty = no category filter. */
  categories: ReadonlySet<string>;
}

/** Longest search text and most categories a request may carry (anything longer is cut). */
const MAX_QUERY = 200;
const MAX_CATEGORIES = 100;

/** A filter from an untrusted message payload: wrong types are ignored, sizes are bounded. */
export function paperFilter(query: unknown, categories: unknown): PaperFilter {
  const q = typeof query === 'string' ? fold(query.trim()).slice(0, MAX_QUERY) : '';
  const cats = Array.isArray(categories) ? categories.filter((c): c is string => typeof c === 'string' && c.length > 0 && c.length <= 40).slice(0, MAX_CATEGORIES) : [];
  return { query: q, categories: new Set(cats) };
}

export const isFiltering = (f: PaperFilter): boolean => f.query !== '' || f.categories.size > 0;

/** Whether a paper passes the filter: any category in the set, and the query in its title or an author's name. */
export function paperMatches(p: Pick<Paper, 'title' | 'authors' | 'categories'>, f: PaperFilter): boolean {
  if (f.categories.size && !p.categories.some((c) => f.categories.has(c))) return false;
  if (!f.query) return true;
  return fold(p.title).includes(f.query) || p.authors.some((a) => fold(a).includes(f.query));
}
