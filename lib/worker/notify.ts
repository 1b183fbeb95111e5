/**
 * After every poll: the toolbar badge (unseen hot papers) and desktop notifications — at most one
 * grouped notification for new hot papers and one per watchlist match, never the same paper twice
 * (claimed in the db's `notified` store, so it survives worker restarts), within a daily cap and
 * outside quiet hours.
 */
import type { BackgroundEnv, NotificationRequest } from './background-env';
import { claimNotified, getMeta, setMeta } from '../store/db';
import { HOT_DEPS, getSeen, viewIds, watchReason, type HotlistDeps } from '../rank/hotlist';
import { t } from '../i18n';
import { MIN_STARS, scorer } from '../relevance/model';
import { loadModel } from '../relevance/model-store';
import { absUrl, normalizeArxivId } from '../arxiv/ids';
import { loadSettings, type QuietHours, type Settings } from '../settings';
import type { PaperView, PollReport } from '../types';

export interface AfterPollOptions {
  deps?: HotlistDeps;
  /** Minutes east of UTC for local time (quiet hours, the daily cap's day). Default: the runtime's zone. */
  timezoneOffsetMinutes?: number;
}

export const DAILY_KEY = 'notify:daily';
/**
 * Meta key of the ids the toolbar badge counts: computed here once per poll, so that opening the
 * popup ('popup:seen') marks exactly those seen — watched papers outside Today included — and the
 * badge does not come back at the next poll for papers the user was already shown a count of.
 */
export const BADGE_KEY = 'badge:ids';
const PREFIX_PAPER = 'hp:paper:';
const PREFIX_LIST = 'hp:list:';
const MAX_ITEMS = 5;

/** What to open when a notification is clicked: the abs page for one paper, otherwise the popup. */
export function notificationTarget(notificationId: string, popupUrl = '/popup.html'): string {
  if (notificationId.startsWith(PREFIX_PAPER)) {
    const rest = notificationId.slice(PREFIX_PAPER.length);
    const id = normalizeArxivId(rest.slice(0, rest.lastIndexOf(':')));
    if (id) return absUrl(id);
  }
  return popupUrl;
}

function localClock(t: number, offsetMin: number): { day: string; minutes: number } {
  const d = new Date(t + offsetMin * 60_000);
  return { day: d.toISOString().slice(0, 10), minutes: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `minutes` (since local midnight) falls in quiet hours; ranges may cross midnight. */
export function inQuietHours(minutes: number, q: QuietHours | null): boolean {
  if (!q) return false;
  const s = toMinutes(q.start);
  const e = toMinutes(q.end);
  if (s === e) return false;
  return s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
}

function pollStatus(report: PollReport): string {
  const failed = report.feeds.filter((f) => f.status === 'error').length;
  const sourceErrors = report.sources.filter((s) => s.state === 'error' || s.state === 'rate-limited' || s.state === 'auth-needed').length;
  if (report.error) return t('statusPollFailed', report.error);
  if (failed) return t('statusFeedsFailed', failed);
  if (sourceErrors) return t('statusSourcesFailed', sourceErrors);
  return t('statusOk');
}

export function badgeTitle(report: PollReport, count: number): string {
  const time = new Date(report.finishedAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const head = count ? t('badgeTitleUnseen', count) : t('extName');
  return `${head}\n${t('badgeTitleLastPoll', time, pollStatus(report))}`;
}

function topCategory(views: PaperView[], settings: Settings): string {
  const counts = new Map<string, number>();
  for (const v of views) {
    const cat = v.paper.categories.find((c) => settings.categories.includes(c)) ?? v.paper.primaryCategory;
    counts.set(cat, (counts.get(cat) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function shortAuthors(authors: string[]): string {
  return authors.length > 2 ? `${authors[0]} et al.` : authors.join(', ');
}

/**
 * Papers of `views` (hottest first) that are for this reader: heat at or above forYou.notifyHeat
 * and closeness at or above forYou.closeness, by the stored model. Starred papers (the examples)
 * and papers marked "not for me" are not. None without a model or with these notifications off.
 */
export async function forYouHits(db: BackgroundEnv['db'], settings: Settings, views: PaperView[]): Promise<PaperView[]> {
  const f = settings.forYou;
  if (!f.notify || settings.watchlist.papers.length < MIN_STARS) return [];
  const model = await loadModel(db).catch(() => null);
  if (!model) return [];
  const s = scorer(model);
  const skip = new Set([...settings.watchlist.papers, ...f.notForMe]);
  return views.filter((v) => v.heat > 0 && v.heat >= f.notifyHeat && !skip.has(v.paper.id) && s.relevance(v.paper) >= f.closeness);
}

export async function afterPoll(env: BackgroundEnv, report: PollReport, opts: AfterPollOptions = {}): Promise<void> {
  const deps = opts.deps ?? HOT_DEPS;
  const { db } = env;
  const now = env.now();
  const { settings } = await loadSettings(env.storage);
  const { ids: todayIds } = await viewIds(db, 'today', settings);
  const todaySet = new Set(todayIds);
  const ids = [...new Set([...todayIds, ...settings.watchlist.papers])];
  const seen = await getSeen(db);
  const seenSet = new Set(seen.ids);
  const views = await deps.buildViews(db, ids, { settings, now, seen: seenSet });
  const byHeat = [...views].sort((a, b) => b.heat - a.heat);
  const isHot = (v: PaperView): boolean => v.heat > 0 && v.heat >= settings.hotThreshold;

  const badgeIds = byHeat.filter((v) => isHot(v) && !seenSet.has(v.paper.id)).map((v) => v.paper.id);
  const count = badgeIds.length;
  await setMeta(db, BADGE_KEY, badgeIds);
  await env.setBadge(count ? (count > 99 ? '99+' : String(count)) : '', badgeTitle(report, count));

  const n = settings.notifications;
  if (!n.enabled || n.dailyCap <= 0) return;
  const offset = opts.timezoneOffsetMinutes ?? -new Date(now).getTimezoneOffset();
  const clock = localClock(now, offset);
  if (inQuietHours(clock.minutes, n.quietHours)) return;
  const daily = (await getMeta<{ day: string; count: number }>(db, DAILY_KEY)) ?? { day: clock.day, count: 0 };
  let used = daily.day === clock.day ? daily.count : 0;
  const out: NotificationRequest[] = [];

  // Watchlist matches: a followed author or keyword in today's papers, or a watched paper turning hot.
  const watchHits: { v: PaperView; title: string }[] = [];
  for (const v of byHeat) {
    const why = watchReason(v.paper, settings);
    if (!why) continue;
    if (why.kind === 'paper' && !isHot(v)) continue;
    if (why.kind !== 'paper' && !todaySet.has(v.paper.id)) continue;
    const title =
      why.kind === 'author' ? t('notifyWatchAuthor', why.what) : why.kind === 'keyword' ? t('notifyWatchKeyword', why.what) : t('notifyWatchHot');
    watchHits.push({ v, title });
  }
  const watchIds = new Set(watchHits.map((h) => h.v.paper.id));

  // For you (issue 21): today's papers hot by their own threshold AND close to the reader's stars.
  const forYou = await forYouHits(db, settings, byHeat.filter((v) => todaySet.has(v.paper.id) && !watchIds.has(v.paper.id)));
  const forYouIds = new Set(forYou.map((v) => v.paper.id));
  if (forYou.length && used < n.dailyCap) {
    const fresh = new Set(await claimNotified(db, forYou.map((v) => `foryou:${v.paper.id}`), now));
    const group = forYou.filter((v) => fresh.has(`foryou:${v.paper.id}`));
    if (group.length) {
      out.push({
        id: group.length === 1 ? `${PREFIX_PAPER}${group[0]!.paper.id}:${now}` : `${PREFIX_LIST}fy:${now}`,
        title: group.length === 1 ? t('notifyForYouOne') : t('notifyForYouMany', group.length),
        message: group[0]!.paper.title,
        items: group.length === 1 ? undefined : group.slice(0, MAX_ITEMS).map((v) => ({ title: v.paper.title, message: shortAuthors(v.paper.authors) })),
      });
      used++;
    }
  }

  const hot = byHeat.filter((v) => isHot(v) && todaySet.has(v.paper.id) && !watchIds.has(v.paper.id) && !forYouIds.has(v.paper.id));
  if (hot.length && used < n.dailyCap) {
    const fresh = new Set(await claimNotified(db, hot.map((v) => `hot:${v.paper.id}`), now));
    const group = hot.filter((v) => fresh.has(`hot:${v.paper.id}`));
    if (group.length) {
      const cat = topCategory(group, settings);
      const items = group.slice(0, MAX_ITEMS).map((v) => ({ title: v.paper.title, message: shortAuthors(v.paper.authors) }));
      out.push({
        id: group.length === 1 ? `${PREFIX_PAPER}${group[0]!.paper.id}:${now}` : `${PREFIX_LIST}${now}`,
        title: group.length === 1 ? t('notifyHotOne', cat) : t('notifyHotMany', group.length, cat),
        message: group.length === 1 ? group[0]!.paper.title : t('notifyHotMessage', items[0]!.title),
        items: group.length === 1 ? undefined : items,
      });
      used++;
    }
  }
  for (const h of watchHits) {
    if (used >= n.dailyCap) break;
    const [claimed] = await claimNotified(db, [`watch:${h.v.paper.id}`], now);
    if (!claimed) continue;
    out.push({ id: `${PREFIX_PAPER}${h.v.paper.id}:${now}`, title: h.title, message: h.v.paper.title });
    used++;
  }
  await setMeta(db, DAILY_KEY, { day: clock.day, count: used });
  for (const req of out) await env.showNotification(req);
}
