/**
 * Writes the popup's preview (lib/popup/preview.ts) afresh after something it shows changed: a
 * poll ended, rows were marked seen, the settings or the cache changed. Kept apart from the
 * handlers so the poll service can call it without importing them.
 */
import type { BackgroundEnv } from './background-env';
import { HOT_DEPS, getHotList, type HotlistDeps } from '../rank/hotlist';
import { FIRST_PAGE } from '../popup/boot';
import { dropPreview, savePreview } from '../popup/preview';
import { loadSettings } from '../settings';

/** While a poll runs the data changes under any preview: there is none until it ends. */
export async function refreshPreview(env: BackgroundEnv, polling: boolean, deps: HotlistDeps = HOT_DEPS): Promise<void> {
  if (!env.session) return;
  if (polling) return dropPreview(env.session);
  try {
    const { settings } = await loadSettings(env.storage);
    const list = await getHotList({ db: env.db, now: env.now(), settings, deps, polling }, { view: 'today', limit: FIRST_PAGE });
    await savePreview(env.session, list);
  } catch {
    // A preview that cannot be made is no preview: the popup waits for the worker's answer.
    await dropPreview(env.session);
  }
}
