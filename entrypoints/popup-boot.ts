import { sendBootRequest, PREVIEW_BOOT_KEY } from '@/lib/popup/boot';
import { firstPaintShown, paintPreview } from '@/lib/popup/boot-paint';
import { previewList } from '@/lib/popup/preview';
import type { UiApi } from '@/lib/popup/ui-api';
import { App } from './popup/App';

/**
 * Loaded by popup.html as a classic script in <head> (blocking): asks for the first screenful at
 * once and reads its preview, while the popup's module bundle loads; when the preview is usable it
 * paints the App's first render of it (lib/popup/boot-paint.ts), which the bundle's Preact adopts.
 * Uses the platform's own `runtime` (promise-returning `chrome.runtime` in Chrome MV3,
 * `browser.runtime` in Firefox), not the polyfill: wxt.config.ts builds this script with
 * `wxt/browser` as the platform's API and preact/hooks as first-render stand-ins.
 */
/** The app waits at most this long for the painted frame to be presented before it takes over. */
const FIRST_PAINT_CAP_MS = 100;

export default defineUnlistedScript(() => {
  performance.mark('hp:request');
  type Api = { runtime?: never; storage?: { session?: never } };
  const g = globalThis as unknown as Record<string, unknown> & { browser?: Api; chrome?: Api };
  sendBootRequest(g, g.browser?.runtime ?? g.chrome?.runtime, g.browser?.storage?.session ?? g.chrome?.storage?.session);
  const stored = g[PREVIEW_BOOT_KEY] as Promise<unknown> | undefined;
  // Only what the app itself would take: the preview's version and shape are checked alike.
  void stored?.then(previewList).then(
    (list) => {
      if (!list) return;
      // The App's first render, as Preact will make it: its effects (requests, marks) wait for Preact.
      const api: UiApi = {
        request: () => new Promise(() => undefined),
        openUrl: () => undefined,
        openOptions: () => undefined,
        now: () => Date.now(),
        online: () => navigator.onLine,
        copy: async () => undefined,
        download: () => undefined,
      };
      const firstPage = { view: 'today' as const, list: new Promise<never>(() => undefined), ready: list };
      paintPreview(g, { document, shown: () => firstPaintShown(window, FIRST_PAINT_CAP_MS) }, list, () => ({ type: App, props: { api, firstPage } }));
    },
    () => undefined,
  );
});
