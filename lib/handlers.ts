/**
 * Builds the background's message handlers (lib/messages.ts Protocol) from its environment.
 * Each handler delegates to the lib/ module that owns the behaviour.
 */
import type { BackgroundEnv } from './background-env';
import type { Handlers } from './messages';

const notYet = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} is not available in this build yet`);
};

export function createHandlers(_env: BackgroundEnv): Handlers {
  return {
    'poll:run': notYet('Refreshing'),
    'poll:state': notYet('Poll state'),
    'hotlist:get': notYet('The hot list'),
    'papers:lookup': notYet('Paper lookup'),
    'watchlist:toggle': notYet('The watchlist'),
    'popup:seen': notYet('Marking papers seen'),
    'cache:clear': notYet('Clearing the cache'),
    'export:build': notYet('Export'),
  };
}
