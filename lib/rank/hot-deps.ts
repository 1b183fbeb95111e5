/**
 * The real view building and ranking (engineer B's lib/rank/views.ts and lib/rank/heat.ts) bundled as the
 * HotlistDeps that lib/rank/hotlist.ts and lib/worker/notify.ts take. Kept apart so tests can swap it.
 */
import { heatOf, rankViews } from './heat';
import type { HotlistDeps } from './hotlist';
import { buildViews, getSourceStatuses } from './views';

export const HOT_DEPS: HotlistDeps = { buildViews, rankViews, getSourceStatuses, heatOf };
