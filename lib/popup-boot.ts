/**
 * The popup's first request, sent by a tiny classic script in popup.html's <head>
 * (entrypoints/popup-boot.ts) before the popup's bundle is even fetched: the worker reads the first
 * screenful of Today while the page loads Preact and the app, instead of after. The app picks the
 * pending answer up from `globalThis[BOOT_KEY]` (see takeBootRequest). No imports but types: this
 * file is the boot script's whole bundle.
 */
import type { Envelope } from './messages';

/** Rows of the first screenful (rows are at least ~63 px in the 380 px panel: 6 show). */
export const FIRST_PAGE = 8;
export const BOOT_KEY = '__hotPapersFirstPage';

interface Runtime {
  sendMessage(message: unknown): Promise<unknown> | undefined;
}

/** Sends Today's first screenful request and leaves the pending answer on `global`. */
export function sendBootRequest(global: Record<string, unknown>, runtime: Runtime | undefined): void {
  if (!runtime) return;
  const message: Envelope<'hotlist:get'> = { type: 'hotlist:get', payload: { view: 'today', limit: FIRST_PAGE } };
  try {
    const pending = runtime.sendMessage(message);
    if (!pending || typeof (pending as Promise<unknown>).then !== 'function') return;
    // The app handles a failure when it takes the answer; until then it is not an unhandled rejection.
    (pending as Promise<unknown>).catch(() => undefined);
    global[BOOT_KEY] = pending;
  } catch {
    // The app asks again itself.
  }
}

/** The boot script's pending answer, once (a second opening of the app asks afresh). */
export function takeBootRequest(global: Record<string, unknown>): Promise<unknown> | undefined {
  const pending = global[BOOT_KEY] as Promise<unknown> | undefined;
  delete global[BOOT_KEY];
  return pending && typeof pending.then === 'function' ? pending : undefined;
}
