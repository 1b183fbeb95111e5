/**
 * Background handlers behind the popup and options page: 'hotlist:get', 'hotlist:has', 'popup:seen',
 * 'cache:clear' and 'export:build' (wired into lib/worker/handlers.ts).
 */
import type { BackgroundEnv } from './background-env';
import { clearCache, getMeta, setMeta } from '../store/db';
import { buildExport } from './export-build';
import { HOT_DEPS, LAST_POLL_KEY, markSeen, viewIds, type HotlistDeps, type HotlistEnv } from '../rank/hotlist';
import { getList } from '../rank/for-you';
import { t } from '../i18n';
import type { Req, Res } from '../messages';
import { BADGE_KEY, badgeTitle } from './notify';
import { isPollRunning } from './poll-service';
import { isFiltering, paperFilter } from '../rank/paper-filter';
import { FIRST_PAGE } from '../popup/boot';
import { savePreview } from '../popup/preview';
import { refreshPreview } from './preview-refresh';
import { loadSettings } from '../settings';
import type { PollReport } from '../types';

async function hotEnv(env: BackgroundEnv, deps: HotlistDeps): Promise<HotlistEnv> {
  const [{ settings }, polling] = await Promise.all([loadSettings(env.storage), isPollRunning(env)]);
  return { db: env.db, now: env.now(), settings, deps, polling };
}

/** The plain Today list (no search, no chips, at least a screenful): what the popup's preview holds. */
function isPlainToday(req: Req<'hotlist:get'>): boolean {
  const limit = Number(req.limit ?? FIRST_PAGE);
  return req.view === 'today' && !isFiltering(paperFilter(req.query, req.categories)) && !(limit < FIRST_PAGE);
}

export function popupHandlers(env: BackgroundEnv, deps: HotlistDeps = HOT_DEPS) {
  return {
    async 'hotlist:get'(req: Req<'hotlist:get'>): Promise<Res<'hotlist:get'>> {
      const hot = await hotEnv(env, deps);
      // Only the message's own fields: `ids` is for exports of selected rows, not part of this message.
      const list = await getList(hot, { view: req.view, limit: req.limit, query: req.query, categories: req.categories });
      // The next opening's preview. Not awaited: the reply does not wait for the storage write.
      if (isPlainToday(req) && !hot.polling) void savePreview(env.session, list);
      return list;
    },
    async 'hotlist:has'(req: Req<'hotlist:has'>): Promise<Res<'hotlist:has'>> {
      const asked = Array.isArray(req.ids) ? req.ids.filter((x): x is string => typeof x === 'string') : [];
      if (!asked.length) return { ids: [] };
      const { settings } = await loadSettings(env.storage);
      // The day lists (or the watchlist) only: which papers the view holds, not their views.
      const inView = new Set((await viewIds(env.db, req.view, settings)).ids);
      return { ids: asked.filter((id) => inView.has(id)) };
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
      // The rows just shown are no longer "new" in the next opening's preview.
      await refreshPreview(env, await isPollRunning(env), deps);
      return { ok: true };
    },
    async 'cache:clear'(): Promise<Res<'cache:clear'>> {
      await clearCache(env.db);
      await setMeta(env.db, BADGE_KEY, []);
      await env.setBadge('', t('extName'));
      await refreshPreview(env, await isPollRunning(env), deps);
      return { ok: true };
    },
    async 'export:build'(req: Req<'export:build'>): Promise<Res<'export:build'>> {
      return buildExport(await hotEnv(env, deps), req);
    },
  };
}
