/**
 * The registry of engagement sources, in the order the UI lists them. Settings switch them on and
 * off (settings.sources[id].enabled); lib/worker/signals.ts runs the enabled ones.
 */
import type { SourceId } from '../types';
import { alphaxiv } from './alphaxiv';
import { bluesky } from './bluesky';
import { hackerNews } from './hacker-news';
import { huggingFace } from './hugging-face';
import { semanticScholar } from './semantic-scholar';
import type { EngagementSource } from './types';
import { xTwitter } from './x-twitter';

export const SOURCES: readonly EngagementSource[] = [huggingFace, alphaxiv, hackerNews, bluesky, xTwitter, semanticScholar];

/**
 * Requests one poll sends in all, whatever the number of papers: the joined arXiv feed (one request
 * for every category) plus each enabled source's planned maximum (maxRequests, or
 * maxRequestsSignedOut for a source the user has no account for). Retries after an error come on
 * top (lib/http.ts bounds them to 3 attempts per request). Two budgets, both tested and shown by
 * the bench: the default settings without any account, and every source on with every account.
 */
export const POLL_REQUEST_BUDGET = 10;
export const POLL_REQUEST_BUDGET_ALL_SOURCES = 20;
export const FEED_REQUESTS_PER_POLL = 1;

/** The most requests one poll plans with these sources on, signed in to those in `accounts`. */
export function pollRequestMax(enabled: (id: SourceId) => boolean, accounts: (id: SourceId) => boolean): number {
  let n = FEED_REQUESTS_PER_POLL;
  for (const s of SOURCES) {
    if (!enabled(s.id)) continue;
    n += s.credentials !== 'none' && !accounts(s.id) ? (s.maxRequestsSignedOut ?? s.maxRequests) : s.maxRequests;
  }
  return n;
}

export function getSource(id: SourceId): EngagementSource | undefined {
  return SOURCES.find((s) => s.id === id);
}

/** The user-facing name of a source in sentences ("Hacker News", localized); unknown ids are shown as given. */
export function sourceLabel(id: SourceId | string): string {
  return SOURCES.find((s) => s.id === id)?.label ?? id;
}
