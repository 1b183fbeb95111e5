/**
 * Builds the background's message handlers (lib/messages.ts Protocol) from its environment.
 * Each handler delegates to the lib/ module that owns the behaviour.
 */
import type { BackgroundEnv } from './background-env';
import type { Handlers } from './messages';
import { lookupPapers, toggleWatch } from './lookup';
import { LOOKUP_DEPS } from './lookup-deps';
import { popupHandlers } from './popup-handlers';
import { pollState, startPoll } from './poll-service';

const notYet = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} is not available in this build yet`);
};

export function createHandlers(_env: BackgroundEnv): Handlers {
  return {
    'poll:run': (req) => startPoll(_env, req.reason ?? 'user'),
    'poll:state': () => pollState(_env),
    'hotlist:get': (req) => popupHandlers(_env)['hotlist:get'](req),
    // Replies at once; the fetch for uncached ids runs on and ends in one 'papers:updated' push.
    'papers:lookup': async (req, sender) => (await lookupPapers({ ..._env, deps: LOOKUP_DEPS }, req.ids, sender.tabId)).reply,
    'watchlist:toggle': (req) => toggleWatch(_env.storage, req.id),
    'popup:seen': (req) => popupHandlers(_env)['popup:seen'](req),
    'cache:clear': () => popupHandlers(_env)['cache:clear'](),
    'export:build': (req) => popupHandlers(_env)['export:build'](req),
  };
}
