/**
 * The real modules behind lib/lookup.ts (A's arXiv API client, B's signals and views), bundled so
 * the lookup's tests can swap them for fakes.
 */
import { fetchPapersByIds } from './arxiv/api';
import type { LookupDeps } from './lookup';
import { collectSignals } from './signals';
import { buildViews } from './views';

export const LOOKUP_DEPS: LookupDeps = { buildViews, fetchPapersByIds, collectSignals };
