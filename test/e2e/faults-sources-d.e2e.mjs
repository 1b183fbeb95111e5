/**
 * Issue 16, the fault matrix without any account: the default sources, Bluesky reading the arXiv
 * category bots' feeds on its public AppView (public.api.bsky.app). Each scenario of the replay
 * server hits the bot feeds alone; the other sources keep working, Bluesky keeps its last counts and
 * says what happened, and the next poll recovers (faults-sources-matrix.mjs).
 */
import { allSourcesSession, baselineTest, faultMatrix } from './faults-sources-matrix.mjs';

const ctx = allSourcesSession({ accounts: false });
baselineTest(ctx);
faultMatrix(ctx, ['bluesky']);
