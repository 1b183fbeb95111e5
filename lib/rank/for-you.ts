/**
 * The For you tab ('hotlist:get' with view 'foryou', issue 21): today's papers ordered by heat
 * combined with closeness to what this reader stars, each row saying why. Until there are
 * MIN_STARS stars (or too few of them are cached), the tab shows today's ranking and says so.
 *
 * How heat and closeness combine (settings.forYou.mix, "m"):
 *   score = (1 − m) × heat ÷ (heat + hot threshold) + m × closeness
 * Heat is squashed to 0..1 (a paper at the hot threshold counts 0.5, a very hot one nearly 1);
 * closeness is the model's share (lib/relevance/model.ts: the share of cached papers a paper is
 * closer to the stars than), already 0..1. m = 0 is today's heat order, m = 1 closeness alone.
 */
import { getMetaMany, getPapers, getSignalsMany } from '../store/db';
import { explain, MIN_STARS, scorer, type RelevanceModel, type Scorer } from '../relevance/model';
import { currentModel } from '../relevance/model-store';
import type { ForYouState, HotList } from '../messages';
import { isFiltering, paperFilter, paperMatches } from './paper-filter';
import type { Settings } from '../settings';
import { t } from '../i18n';
import { forYouTermText } from '../format';
import type { ForYouWhy, Paper, PaperView, PollReport } from '../types';
import { getHotList, LAST_POLL_KEY, SEEN_KEY, viewIds, type HotListRequest, type HotlistEnv } from './hotlist';

/** The For you ordering score of a paper (see the module comment). */
export function forYouScore(heat: number, closeness: number, settings: Settings): number {
  const m = settings.forYou.mix;
  const h = heat > 0 ? heat / (heat + Math.max(1e-9, settings.hotThreshold)) : 0;
  return (1 - m) * h + m * closeness;
}

export function forYouState(model: RelevanceModel | null, settings: Settings): ForYouState {
  const base = { stars: settings.watchlist.papers.length, needed: MIN_STARS, notForMe: settings.forYou.notForMe.length };
  return model ? { ...base, ready: true, trainedAt: model.trainedAt, positives: model.positives, negatives: model.negatives, corpus: model.corpus } : { ...base, ready: false };
}

/** Why a paper is for this reader, as a view carries it. */
export function whyOf(s: Scorer, paper: Paper, settings: Settings): ForYouWhy {
  const why = explain(s, paper);
  return {
    closeness: why.relevance,
    close: why.relevance >= settings.forYou.closeness,
    terms: why.terms,
    near: why.near.map((n) => ({ id: n.id, title: n.title })),
  };
}

/** One sentence: the nearest starred paper, else the top terms. */
export function whySentence(why: ForYouWhy): string {
  const near = why.near[0];
  const pct = Math.round(why.closeness * 100);
  return near ? t('forYouWhyNear', pct, near.title) : t('forYouWhyTerms', pct, why.terms.slice(0, 3).map(forYouTermText).join(', '));
}

/** Adds `forYou` to views (closeness and why) when a model exists; `notForMe` always. */
export function withForYou(views: PaperView[], s: Scorer | null, settings: Settings): PaperView[] {
  const dismissed = new Set(settings.forYou.notForMe);
  return views.map((v) => ({ ...v, ...(s ? { forYou: whyOf(s, v.paper, settings) } : {}), ...(dismissed.has(v.paper.id) ? { notForMe: true } : {}) }));
}

export async function getForYouList(env: HotlistEnv, req: HotListRequest): Promise<HotList> {
  const { db, settings, now, deps } = env;
  const model = await currentModel(db, settings, now).catch(() => null);
  const state = forYouState(model, settings);
  if (!model) {
    // Not enough to learn from yet: today's ranking, unchanged.
    const today = await getHotList(env, { ...req, view: 'today' });
    return { ...today, view: 'foryou', forYou: state, items: withForYou(today.items, null, settings) };
  }
  const s = scorer(model);
  const limit = req.all ? Infinity : Math.max(1, Math.min(1000, Math.floor(Number(req.limit ?? 200)) || 200));
  const filter = paperFilter(req.query, req.categories);
  const only = req.ids ? new Set(req.ids) : null;
  const starred = new Set(settings.watchlist.papers);
  const [{ day, ids }, meta, sources] = await Promise.all([viewIds(db, 'today', settings), getMetaMany(db, [SEEN_KEY, LAST_POLL_KEY]), deps.getSourceStatuses(db)]);
  // Starred papers are the examples themselves (and on the Watchlist tab): For you is for the others.
  const candidates = ids.filter((id) => !starred.has(id) && (!only || only.has(id)));
  const [papers, signals] = await Promise.all([getPapers(db, candidates), getSignalsMany(db, candidates)]);
  const counts = new Map<string, number>();
  const scored: { id: string; score: number }[] = [];
  for (const id of candidates) {
    const p = papers.get(id);
    if (!p) continue;
    if (p.primaryCategory) counts.set(p.primaryCategory, (counts.get(p.primaryCategory) ?? 0) + 1);
    if (isFiltering(filter) && !paperMatches(p, filter)) continue;
    const heat = deps.heatOf(signals.get(id) ?? [], settings.sources);
    scored.push({ id, score: forYouScore(heat, s.relevance(p), settings) });
  }
  // Stable: equal scores keep listing order.
  scored.sort((a, b) => b.score - a.score);
  const top = scored.slice(0, limit).map((x) => x.id);
  const seenIds = (meta.get(SEEN_KEY) as { ids?: string[] } | undefined)?.ids;
  const built = new Map((await deps.buildViews(db, top, { settings, now, seen: new Set(Array.isArray(seenIds) ? seenIds : []), signals })).map((v) => [v.paper.id, v]));
  const items = withForYou(top.flatMap((id) => built.get(id) ?? []), s, settings);
  return {
    view: 'foryou',
    day,
    items,
    total: scored.length,
    categoryCounts: [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    lastPoll: (meta.get(LAST_POLL_KEY) as PollReport | undefined) ?? null,
    sources,
    polling: env.polling ?? false,
    forYou: state,
  };
}

/** Any tab's list: For you here, the others from lib/rank/hotlist.ts. */
export function getList(env: HotlistEnv, req: HotListRequest): Promise<HotList> {
  return req.view === 'foryou' ? getForYouList(env, req) : getHotList(env, req);
}
