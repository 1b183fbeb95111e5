/**
 * The service worker's event handlers, one function per browser event, each taking the
 * environment. entrypoints/background.ts only registers them.
 */
import type { BackgroundEnv } from './background-env';
import { createHandlers } from './handlers';
import { dispatch, isEnvelope, type Reply, type MessageType } from '../messages';
import { notificationTarget } from './notify';
import { isPollRunning, onAlarm, onInstalled, onSettingsChanged, onStartup, type AlarmsApi } from './poll-service';
import { dropPreview } from '../popup/preview';
import { refreshPreview } from './preview-refresh';
import { SETTINGS_KEY } from '../settings';
import { retrainIfExamplesChanged } from './relevance-handlers';

export interface Sender {
  /** The sending extension (always ours on runtime.onMessage; checked anyway). */
  id?: string;
  tab?: { id?: number };
  url?: string;
}

/**
 * What a content script may ask. It runs inside arxiv.org pages, so anything it can send, a page
 * (or a script injected into it) must be assumed able to send too: exports, clearing the cache
 * or starting polls are for the extension's own pages only.
 */
export const PAGE_MESSAGES: ReadonlySet<string> = new Set<MessageType>(['papers:lookup', 'watchlist:toggle', 'relevance:dismiss']);

/**
 * True when `sender` is one of the extension's own pages or its worker (its URL is on the
 * extension's origin): the popup opened in a tab has a tab too, so the tab alone tells nothing.
 */
export function isExtensionPage(sender: Sender, extensionOrigin: string, extensionId?: string): boolean {
  if (extensionId !== undefined && sender.id !== undefined && sender.id !== extensionId) return false;
  try {
    return typeof sender.url === 'string' && new URL(sender.url).origin === new URL(extensionOrigin).origin;
  } catch {
    return false;
  }
}

export function handleMessage(
  env: BackgroundEnv,
  msg: unknown,
  sender: Sender,
  self: { origin: string; id?: string },
): Promise<Reply<MessageType> | undefined> {
  if (isEnvelope(msg) && !PAGE_MESSAGES.has(msg.type) && !isExtensionPage(sender, self.origin, self.id)) {
    return Promise.resolve({ ok: false, error: `${String(msg.type)} is not accepted from a web page` });
  }
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
    // A star, a "not for me" or an undo: the For you model learns it now (issue 21).
    await retrainIfExamplesChanged(env).catch(reportError('For you training'));
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
