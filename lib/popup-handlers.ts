/**
 * Background handlers behind the popup and options page: 'hotlist:get', 'popup:seen',
 * 'cache:clear' and 'export:build' (wired into lib/handlers.ts).
 */
import type { BackgroundEnv } from './background-env';
import { clearCache, getMeta, setMeta } from './db';
import { buildExport } from './export-build';
import { HOT_DEPS } from './hot-deps';
import { getHotList, LAST_POLL_KEY, markSeen, type HotlistDeps, type HotlistEnv } from './hotlist';
import { t } from './i18n';
import type { Req, Res } from './messages';
import { BADGE_KEY, badgeTitle } from './notify';
import { isPollRunning } from './poll-service';
import { loadSettings } from './settings';
import type { PollReport } from './types';

async function hotEnv(env: BackgroundEnv, deps: HotlistDeps): Promise<HotlistEnv> {
  const [{ settings }, polling] = await Promise.all([loadSettings(env.storage), isPollRunning(env)]);
  return { db: env.db, now: env.now(), settings, deps, polling };
}

export function popupHandlers(env: BackgroundEnv, deps: HotlistDeps = HOT_DEPS) {
  return {
    async 'hotlist:get'(req: Req<'hotlist:get'>): Promise<Res<'hotlist:get'>> {
      // Only the message's own fields: `ids` is for exports of selected rows, not part of this message.
      return getHotList(await hotEnv(env, deps), { view: req.view, limit: req.limit, query: req.query, categories: req.categories });
    },
    async 'popup:seen'(req: Req<'popup:seen'>): Promise<Res<'popup:seen'>> {
      const shown = Array.isArray(req.ids) ? req.ids.filter((x): x is string => typeof x === 'string').slice(0, 5000) : [];
      // The badge is cleared, so what it counted is seen: the rows shown and every id it counted.
      const counted = await getMeta<unknown>(env.db, BADGE_KEY);
      const badged = Array.isArray(counted) ? counted.filter((x): x is string => typeof x === 'string') : [];
      await markSeen(env.db, [...badged, ...shown], env.now());
      await setMeta(env.db, BADGE_KEY, []);
      const last = await getMeta<PollReport>(env.db, LAST_POLL_KEY);
      await env.setBadge('', last ? badgeTitle(last, 0) : t('extName'));
      return { ok: true };
    },
    async 'cache:clear'(): Promise<Res<'cache:clear'>> {
      await clearCache(env.db);
      await setMeta(env.db, BADGE_KEY, []);
      await env.setBadge('', t('extName'));
      return { ok: true };
    },
    async 'export:build'(req: Req<'export:build'>): Promise<Res<'export:build'>> {
      return buildExport(await hotEnv(env, deps), req);
    },
  };
}
