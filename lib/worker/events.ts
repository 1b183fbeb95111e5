/**
 * The service worker's event handlers, one function per browser event, each taking the
 * environment. entrypoints/background.ts only registers them.
 */
import type { BackgroundEnv } from './background-env';
import { createHandlers } from './handlers';
import { dispatch, type Reply, type MessageType } from '../messages';
import { notificationTarget } from './notify';
import { isPollRunning, onAlarm, onInstalled, onSettingsChanged, onStartup, type AlarmsApi } from './poll-service';
import { dropPreview } from '../popup/preview';
import { refreshPreview } from './preview-refresh';
import { SETTINGS_KEY } from '../settings';

export interface Sender {
  tab?: { id?: number };
  url?: string;
}

export function handleMessage(env: BackgroundEnv, msg: unknown, sender: Sender): Promise<Reply<MessageType> | undefined> {
  return dispatch(createHandlers(env), msg, { tabId: sender.tab?.id, url: sender.url });
}

export { onAlarm, onInstalled, onStartup };

/**
 * The stored settings changed (refresh interval, categories, weights, watchlist): re-plans the
 * periodic alarms, and the popup's preview, which shows the old ones' ranking, is made again.
 */
export async function onStorageChanged(env: BackgroundEnv, changes: Record<string, unknown>, area: string, alarms: AlarmsApi): Promise<void> {
  if (area !== 'local' || !(SETTINGS_KEY in changes)) return;
  await dropPreview(env.session);
  // A poll started here rewrites the preview when it ends (startPoll): no second one meanwhile.
  let polled = false;
  try {
    polled = await onSettingsChanged(env, alarms);
  } finally {
    if (!polled) await refreshPreview(env, await isPollRunning(env));
  }
}

/** Where a click on one of our notifications leads: the paper, or the popup page for groups. */
export function notificationUrl(id: string, extensionUrl: (path: string) => string): string {
  const target = notificationTarget(id);
  return target.startsWith('https://') ? target : extensionUrl(target);
}

/** Logs a background failure once, in words, without throwing into the browser's event loop. */
export function reportError(where: string): (err: unknown) => void {
  return (err) => console.warn(`[hot-papers] ${where} failed:`, err instanceof Error ? err.message : err);
}
