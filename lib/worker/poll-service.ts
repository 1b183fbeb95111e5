/**
 * What the background worker calls: start a poll from a BackgroundEnv, report poll state, and
 * plan the alarms (browser.alarms survive worker restarts, so the schedule lives there).
 *
 * Alarms:
 *   announce — one-shot, 2–17 min after the next 20:00 Eastern announcement, or a turnover retry
 *              when the feed still showed the previous day; re-planned after every poll.
 *   feeds    — every FEEDS_PERIOD_MINUTES: a conditional feed request (usually a 304).
 *   signals  — every settings.signalsRefreshMinutes: engagement signals only, no feed request.
 */
import type { BackgroundEnv } from './background-env';
import { FEEDS_PERIOD_MINUTES, isCacheStale, jitter, nextAnnouncePoll, turnoverRetryAt, type FeedPollMark } from '../arxiv/schedule';
import { getMeta, leaseHeld, type Lease } from '../store/db';
import type { PollState } from '../messages';
import { afterPoll as notifyAfterPoll } from './notify';
import { retrain } from './relevance-handlers';
import { dropPreview } from '../popup/preview';
import { refreshPreview } from './preview-refresh';
import { feedStateKey, LAST_FEED_KEY, LAST_POLL_KEY, POLL_LEASE_KEY, PollInProgressError, runPoll, watchlistToFetch, type FeedState, type PollEnv } from './poll';
import { feedUrl } from '../arxiv/feed';
import { loadSettings, type Settings } from '../settings';
import { collectSignals } from './signals';
import type { Paper, PollReason, PollReport, SourceReport } from '../types';
import { getSourceStatuses } from '../rank/views';

export type AlarmName = 'announce' | 'feeds' | 'signals';

export interface AlarmPlan {
  name: AlarmName;
  /** Epoch ms of the first firing. */
  when: number;
  periodInMinutes?: number;
}

/** The part of browser.alarms this module needs (tests pass a fake). */
export interface AlarmsApi {
  create(name: string, info: { when: number; periodInMinutes?: number }): unknown;
  /** When present, periodic alarms whose period is unchanged are left alone (keeps their phase). */
  get?(name: string): Promise<{ periodInMinutes?: number } | undefined>;
}

export interface StartOptions {
  /** false = signals only. Default: every reason except 'signals' polls the feed. */
  feeds?: boolean;
  collectSignals?: (papers: Paper[]) => Promise<SourceReport[]>;
  afterPoll?: (report: PollReport) => Promise<void>;
  /** Re-plan alarms after the poll (the announce alarm depends on what the feed showed). */
  alarms?: AlarmsApi;
}

const MINUTE = 60_000;

function ownerId(env: BackgroundEnv, reason: PollReason): string {
  const r = (env.random ?? Math.random)();
  return `${reason}:${env.now()}:${r.toString(36).slice(2, 10)}`;
}

/** Builds the PollEnv for one run from the worker's environment and the stored settings. */
export async function buildPollEnv(env: BackgroundEnv, reason: PollReason, opts: StartOptions = {}): Promise<PollEnv> {
  const { settings } = await loadSettings(env.storage);
  const http = { fetch: env.fetch, now: env.now, ...(env.sleep ? { sleep: env.sleep } : {}) };
  return {
    ...http,
    db: env.db,
    settings,
    reason,
    feeds: opts.feeds ?? reason !== 'signals',
    owner: ownerId(env, reason),
    ...(env.instanceId ? { instance: env.instanceId } : {}),
    ...(env.random ? { random: env.random } : {}),
    collectSignals: opts.collectSignals ?? ((papers) => collectSignals({ ...http, db: env.db, settings, storage: env.storage, secrets: env.secrets }, papers)),
    // New papers: the For you model learns over them first, so the notifications can use it.
    afterPoll: opts.afterPoll ?? (async (report) => {
      await retrain(env, settings);
      await notifyAfterPoll(env, report);
    }),
  };
}

/**
 * Runs a poll now. Resolves with started: false (and the last stored report) when another poll
 * holds the lease — in this worker or in one that was killed less than a lease ago.
 */
export async function startPoll(
  env: BackgroundEnv,
  reason: PollReason,
  opts: StartOptions = {},
): Promise<{ started: boolean; report: PollReport | null }> {
  const pollEnv = await buildPollEnv(env, reason, opts);
  let result: { started: boolean; report: PollReport | null };
  try {
    // The popup's preview would show what this poll is about to change; it is written again at the end.
    await dropPreview(env.session);
    result = { started: true, report: await runPoll(pollEnv) };
    await refreshPreview(env, false);
  } catch (err) {
    if (!(err instanceof PollInProgressError)) throw err;
    result = { started: false, report: (await getMeta<PollReport>(env.db, LAST_POLL_KEY)) ?? null };
  }
  if (opts.alarms) await applyAlarms(opts.alarms, planAlarms(env.now(), pollEnv.settings, result.report, env.random ?? Math.random, ['announce']));
  return result;
}

/** Whether a poll currently holds an unexpired lease. */
export async function isPollRunning(env: Pick<BackgroundEnv, 'db' | 'now' | 'instanceId'>): Promise<boolean> {
  const lease = await getMeta<Lease>(env.db, POLL_LEASE_KEY);
  return leaseHeld(lease, env.now(), env.instanceId);
}

export async function pollState(env: BackgroundEnv): Promise<PollState> {
  const [running, lastPoll, sources] = await Promise.all([
    isPollRunning(env),
    getMeta<PollReport>(env.db, LAST_POLL_KEY),
    getSourceStatuses(env.db),
  ]);
  return { running, lastPoll: lastPoll ?? null, sources };
}

/**
 * The alarms to (re)create. `only` limits the plan (after a poll only 'announce' changes; the
 * periodic ones keep their phase).
 */
export function planAlarms(
  now: number,
  settings: Settings,
  lastPoll: PollReport | null,
  random: () => number,
  only?: readonly AlarmName[],
): AlarmPlan[] {
  const lastFeed = lastPoll?.feeds.find((f) => f.status !== 'skipped' && f.status !== 'error') ?? lastPoll?.feeds[0];
  const plan: AlarmPlan[] = [
    { name: 'announce', when: turnoverRetryAt(now, lastFeed?.day, random) ?? nextAnnouncePoll(now, random) },
    { name: 'feeds', when: now + FEEDS_PERIOD_MINUTES * MINUTE + jitter(random, 30 * MINUTE), periodInMinutes: FEEDS_PERIOD_MINUTES },
    {
      name: 'signals',
      when: now + settings.signalsRefreshMinutes * MINUTE + jitter(random, 2 * MINUTE),
      periodInMinutes: settings.signalsRefreshMinutes,
    },
  ];
  return only ? plan.filter((p) => only.includes(p.name)) : plan;
}

export async function applyAlarms(alarms: AlarmsApi, plan: AlarmPlan[]): Promise<void> {
  for (const p of plan) await alarms.create(p.name, p.periodInMinutes ? { when: p.when, periodInMinutes: p.periodInMinutes } : { when: p.when });
}

/** The poll reason and kind for an alarm name (unknown alarms belong to someone else). */
export function alarmPoll(name: string): { reason: PollReason; feeds: boolean } | null {
  if (name === 'announce') return { reason: 'announce', feeds: true };
  if (name === 'feeds') return { reason: 'alarm', feeds: true };
  if (name === 'signals') return { reason: 'signals', feeds: false };
  return null;
}

export async function onAlarm(env: BackgroundEnv, name: string, alarms: AlarmsApi): Promise<void> {
  const what = alarmPoll(name);
  if (!what) return;
  // Only the one-shot announce alarm must be re-planned; periodic alarms keep firing by themselves.
  await startPoll(env, what.reason, { feeds: what.feeds, ...(name === 'announce' ? { alarms } : {}) });
}

/** Extension installed or updated: schedule everything and poll at once. */
export async function onInstalled(env: BackgroundEnv, alarms: AlarmsApi): Promise<void> {
  const { settings } = await loadSettings(env.storage);
  await applyAlarms(alarms, planAlarms(env.now(), settings, null, env.random ?? Math.random));
  await startPoll(env, 'install', { alarms });
}

/** Browser started: re-plan, and poll only if the cache is stale. Returns whether it polled. */
export async function onStartup(env: BackgroundEnv, alarms: AlarmsApi): Promise<boolean> {
  const { settings } = await loadSettings(env.storage);
  const last = (await getMeta<PollReport>(env.db, LAST_POLL_KEY)) ?? null;
  await applyAlarms(alarms, planAlarms(env.now(), settings, last, env.random ?? Math.random));
  if (!isCacheStale(env.now(), await getMeta<FeedPollMark>(env.db, LAST_FEED_KEY))) return false;
  await startPoll(env, 'startup', { alarms });
  return true;
}

/**
 * Settings changed: re-plan periodic alarms whose period changed, and poll at once when the feed
 * to ask for changed (other categories, cross-lists switched) so the popup need not wait hours —
 * or, without a feed request, when a paper put on the watchlist is not cached yet, so the
 * Watchlist tab shows it now rather than at the next signals refresh.
 */
export async function onSettingsChanged(env: BackgroundEnv, alarms: AlarmsApi): Promise<boolean> {
  const { settings } = await loadSettings(env.storage);
  const last = (await getMeta<PollReport>(env.db, LAST_POLL_KEY)) ?? null;
  const plan: AlarmPlan[] = [];
  for (const p of planAlarms(env.now(), settings, last, env.random ?? Math.random, ['feeds', 'signals'])) {
    const existing = alarms.get ? await alarms.get(p.name) : undefined;
    if (existing?.periodInMinutes !== p.periodInMinutes) plan.push(p);
  }
  await applyAlarms(alarms, plan);
  const watchlistPoll = async () => {
    if (!(await watchlistToFetch(env.db, settings, env.now())).wanted.length) return false;
    await startPoll(env, 'user', { feeds: false });
    return true;
  };
  if (settings.categories.length === 0) return watchlistPoll();
  const url = feedUrl(settings.categories);
  const state = await getMeta<FeedState>(env.db, feedStateKey(url));
  if (state && state.crossLists === settings.includeCrossLists) return watchlistPoll();
  // A feed that just failed (say, a mistyped category) is not retried on every settings write.
  if (last?.feeds.some((f) => f.feed === url) && env.now() - last.finishedAt < 5 * MINUTE) return false;
  await startPoll(env, 'user', { alarms });
  return true;
}
