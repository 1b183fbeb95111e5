/**
 * Builds the background's message handlers (lib/messages.ts Protocol) from its environment.
 * Each handler delegates to the lib/ module that owns the behaviour.
 */
import type { BackgroundEnv } from './background-env';
import type { Handlers } from '../messages';
import { LOOKUP_DEPS, lookupPapers, toggleWatch } from './lookup';
import { popupHandlers } from './popup-handlers';
import { dismiss, relevanceStatus, resetRelevance } from './relevance-handlers';
import { pollState, startPoll } from './poll-service';
import { takeSetAside } from './set-aside';

export function createHandlers(env: BackgroundEnv): Handlers {
  return {
    'poll:run': (req) => startPoll(env, req.reason ?? 'user'),
    'poll:state': () => pollState(env),
    'hotlist:get': (req) => popupHandlers(env)['hotlist:get'](req),
    'hotlist:has': (req) => popupHandlers(env)['hotlist:has'](req),
    // Replies at once; the fetch for uncached ids runs on and ends in one 'papers:updated' push.
    'papers:lookup': async (req, sender) => (await lookupPapers({ ...env, deps: LOOKUP_DEPS }, req.ids, sender.tabId, req.full === true, req.words === true)).reply,
    'watchlist:toggle': (req) => toggleWatch(env.storage, req.id),
    'popup:seen': (req) => popupHandlers(env)['popup:seen'](req),
    'cache:clear': () => popupHandlers(env)['cache:clear'](),
    'export:build': (req) => popupHandlers(env)['export:build'](req),
    'upgrade:setAside': async () => ({ records: await takeSetAside(env.db) }),
    'relevance:dismiss': (req) => dismiss(env, req),
    'relevance:status': () => relevanceStatus(env),
    'relevance:reset': () => resetRelevance(env),
  };
}
