/**
 * The real modules behind lib/worker/lookup.ts (A's arXiv API client, B's signals and views), bundled so
 * the lookup's tests can swap them for fakes.
 */
import { fetchPapersByIds } from '../arxiv/api';
import type { LookupDeps } from './lookup';
import { collectSignals } from './signals';
import { buildViews } from '../rank/views';

export const LOOKUP_DEPS: LookupDeps = { buildViews, fetchPapersByIds, collectSignals };
