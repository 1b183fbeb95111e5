/**
 * The registry of engagement sources, in the order the UI lists them. Settings switch them on and
 * off (settings.sources[id].enabled); lib/worker/signals.ts runs the enabled ones.
 */
import type { SourceId } from '../types';
import { bluesky } from './bluesky';
import { hackerNews } from './hacker-news';
import { huggingFace } from './hugging-face';
import { semanticScholar } from './semantic-scholar';
import type { EngagementSource } from './types';
import { xTwitter } from './x-twitter';

export const SOURCES: readonly EngagementSource[] = [huggingFace, hackerNews, bluesky, xTwitter, semanticScholar];

/**
 * Requests one poll sends in all, every source on, whatever the number of papers: the joined arXiv
 * feed (one request for every category) plus each source's maxRequests. Retries after an error come
 * on top (lib/http.ts bounds them to 3 attempts per request).
 */
export const POLL_REQUEST_BUDGET = 10;
export const FEED_REQUESTS_PER_POLL = 1;

export function getSource(id: SourceId): EngagementSource | undefined {
  return SOURCES.find((s) => s.id === id);
}

/** The user-facing name of a source in sentences ("Hacker News", localized); unknown ids are shown as given. */
export function sourceLabel(id: SourceId | string): string {
  return SOURCES.find((s) => s.id === id)?.label ?? id;
}
