/**
 * The popup's first request, sent by a tiny classic script in popup.html's <head>
 * (entrypoints/popup-boot.ts) before the popup's bundle is even fetched: the worker reads the first
 * screenful of Today while the page loads Preact and the app, instead of after. The app picks the
 * pending answer up from `globalThis[BOOT_KEY]` (see takeBootRequest). It also reads the preview
 * of that screenful the worker keeps in storage.session (lib/popup/preview.ts), which usually comes
 * first. No imports but types: this file is the boot script's whole bundle.
 */
import type { Envelope } from '../messages';

/** Rows of the first screenful (rows are at least ~63 px in the 380 px panel: 6 show). */
export const FIRST_PAGE = 8;
export const BOOT_KEY = '__hotPapersFirstPage';
export const PREVIEW_BOOT_KEY = '__hotPapersPreview';
/** storage.session key of the worker's last first screenful of Today (lib/popup/preview.ts). */
export const PREVIEW_KEY = 'popup:preview';

interface Runtime {
  sendMessage(message: unknown): Promise<unknown> | undefined;
}

interface SessionArea {
  get(key: string): Promise<Record<string, unknown>> | undefined;
}

/**
 * Reads the preview from `session` (storage.session: one read in the browser's memory, sooner than
 * the worker's answer) and sends Today's first screenful request; leaves both pending on `global`.
 */
export function sendBootRequest(global: Record<string, unknown>, runtime: Runtime | undefined, session?: SessionArea): void {
  if (session) {
    try {
      const read = session.get(PREVIEW_KEY);
      if (read && typeof read.then === 'function') {
        const preview = read.then((got) => got?.[PREVIEW_KEY]);
        preview.catch(() => undefined);
        global[PREVIEW_BOOT_KEY] = preview;
      }
    } catch {
      // No preview: the first rows wait for the worker's answer.
    }
  }
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

function take(global: Record<string, unknown>, key: string): Promise<unknown> | undefined {
  const pending = global[key] as Promise<unknown> | undefined;
  delete global[key];
  return pending && typeof pending.then === 'function' ? pending : undefined;
}

/** The boot script's pending answer, once (a second opening of the app asks afresh). */
export function takeBootRequest(global: Record<string, unknown>): Promise<unknown> | undefined {
  return take(global, BOOT_KEY);
}

/** The boot script's pending preview read (the stored value, unchecked), once. */
export function takeBootPreview(global: Record<string, unknown>): Promise<unknown> | undefined {
  return take(global, PREVIEW_BOOT_KEY);
}
