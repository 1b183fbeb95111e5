/**
 * What the popup's boot script (entrypoints/popup-boot.ts, a classic script in popup.html's
 * <head>) leaves for the app: the read of the preview of Today's first screenful that the worker
 * keeps in storage.session (lib/popup/preview.ts), Today's first-screenful request to the worker,
 * and the promise of the frame it painted from the preview (lib/popup/boot-paint.ts). The app
 * takes each once (takeBootPreview, takeBootRequest, takeBootPaint). No imports but types: the
 * popup's entry module loads this file before anything else.
 */
import type { Envelope, HotList } from '../messages';

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
 * the worker's answer) and leaves the pending read on `global` for the app (takeBootPreview).
 * Returns it, or undefined when there is no usable session area.
 */
export function readBootPreview(global: Record<string, unknown>, session: SessionArea | undefined): Promise<unknown> | undefined {
  if (!session) return undefined;
  try {
    const read = session.get(PREVIEW_KEY);
    if (!read || typeof read.then !== 'function') return undefined;
    const preview = read.then((got) => got?.[PREVIEW_KEY]);
    preview.catch(() => undefined);
    global[PREVIEW_BOOT_KEY] = preview;
    return preview;
  } catch {
    // No preview: the first rows wait for the worker's answer.
    return undefined;
  }
}

/** Sends Today's first-screenful request and leaves the pending answer on `global` (takeBootRequest). */
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

/** Where the boot script leaves the promise of its painted frame for the app (see takeBootPaint). */
export const PAINT_BOOT_KEY = '__hotPapersPainted';

/** What the boot script painted, once it is on screen. */
export interface BootPaint {
  list: HotList;
  /**
   * Runs the app's first render over the painted nodes (`render`), then gives the app what the
   * reader did before it was live (lib/popup/boot-paint.ts, holdInput).
   */
  takeOver(render: () => void): void;
}

/**
 * The boot script's outcome, once: resolves when its painted frame is on screen (with what was
 * painted), or with undefined when it painted nothing; undefined when there was no boot script.
 */
export function takeBootPaint(global: Record<string, unknown>): Promise<BootPaint | undefined> | undefined {
  return take(global, PAINT_BOOT_KEY) as Promise<BootPaint | undefined> | undefined;
}
