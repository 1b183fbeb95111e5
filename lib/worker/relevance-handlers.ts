/**
 * The For you model in the worker (issue 21): 'relevance:dismiss', 'relevance:status' and
 * 'relevance:reset', and the trainings — after each poll, and whenever the examples in the settings
 * change (a star, a "not for me", an undo, an imported settings file).
 */
import type { BackgroundEnv } from './background-env';
import { getPapers } from '../store/db';
import { t } from '../i18n';
import type { Req, Res } from '../messages';
import { normalizeArxivId } from '../arxiv/ids';
import { dropModel, examplesKeyOf, loadModel, trainFromCache } from '../relevance/model-store';
import { forYouState } from '../rank/for-you';
import { loadSettings, saveSettings, type Settings } from '../settings';

/** Most "not for me" papers kept (the oldest go first): a bound on the settings' size. */
export const MAX_NOT_FOR_ME = 2000;

export async function dismiss(env: Pick<BackgroundEnv, 'storage'>, req: Req<'relevance:dismiss'>): Promise<Res<'relevance:dismiss'>> {
  const id = typeof req?.id === 'string' ? normalizeArxivId(req.id) : null;
  if (!id) throw new Error(t('notAnArxivId'));
  const { settings } = await loadSettings(env.storage);
  const list = settings.forYou.notForMe;
  const on = typeof req.on === 'boolean' ? req.on : !list.includes(id);
  const next = on ? [...list.filter((x) => x !== id), id].slice(-MAX_NOT_FOR_ME) : list.filter((x) => x !== id);
  if (next.length !== list.length || next.some((x, i) => x !== list[i])) {
    await saveSettings(env.storage, { ...settings, forYou: { ...settings.forYou, notForMe: next } });
  }
  return { notForMe: on };
}

export async function relevanceStatus(env: BackgroundEnv): Promise<Res<'relevance:status'>> {
  const { settings } = await loadSettings(env.storage);
  const model = await loadModel(env.db);
  const ids = settings.forYou.notForMe;
  const papers = ids.length ? await getPapers(env.db, ids) : new Map();
  // The stored model counts only while it was trained on today's examples.
  const current = model && model.examples === examplesKeyOf(settings) ? model : null;
  return { ...forYouState(current, settings), dismissed: ids.map((id) => ({ id, title: papers.get(id)?.title ?? '' })) };
}

export async function resetRelevance(env: BackgroundEnv): Promise<Res<'relevance:reset'>> {
  const { settings } = await loadSettings(env.storage);
  await dropModel(env.db);
  if (settings.forYou.notForMe.length) await saveSettings(env.storage, { ...settings, forYou: { ...settings.forYou, notForMe: [] } });
  return { ok: true };
}

/** Trains from the cache now (after a poll: new papers). Failures are reported, never thrown on. */
export async function retrain(env: BackgroundEnv, settings?: Settings): Promise<void> {
  try {
    const s = settings ?? (await loadSettings(env.storage)).settings;
    await trainFromCache(env.db, s, env.now());
  } catch (err) {
    console.warn('[hot-papers] For you training failed:', err instanceof Error ? err.message : err);
  }
}

/** Settings were written: train again if the examples (stars, "not for me") changed. */
export async function retrainIfExamplesChanged(env: BackgroundEnv): Promise<boolean> {
  const { settings } = await loadSettings(env.storage);
  const stored = await loadModel(env.db).catch(() => null);
  const key = examplesKeyOf(settings);
  if (stored?.examples === key) return false;
  if (!stored && settings.watchlist.papers.length < 3) {
    await dropModel(env.db).catch(() => undefined);
    return false;
  }
  await retrain(env, settings);
  return true;
}
