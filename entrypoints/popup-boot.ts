import { t } from '@/lib/i18n';
import { readBootPreview, sendBootRequest } from '@/lib/popup/boot';
import { bootPaint, firstPaintShown, paintPreview } from '@/lib/popup/boot-paint';
import type { UiApi } from '@/lib/popup/ui-api';
import { App } from './popup/App';

/**
 * Loaded by popup.html as a classic script in <head> (blocking): reads the worker's preview of
 * Today's first screenful and, when it is usable, paints the App's first render of it
 * (lib/popup/boot-paint.ts), which the app adopts; then asks the worker for that screenful — after
 * the painted frame is on screen, or at once without a preview (bootPaint). The popup's entry
 * module loads the app when that is done. Uses the platform's own `runtime` and `storage`
 * (promise-returning `chrome.*` in Chrome MV3, `browser.*` in Firefox), not the polyfill:
 * wxt.config.ts builds this script with `wxt/browser` as the platform's API and preact/hooks as
 * first-render stand-ins.
 */
/** The app waits at most this long for the painted frame to be presented before it takes over. */
const FIRST_PAINT_CAP_MS = 100;

export default defineUnlistedScript(() => {
  performance.mark('hp:boot');
  // The page's words are in the browser's language when a translation exists (screen readers read
  // them by it), from the first frame on: the app, which says so too, loads after that frame.
  document.documentElement.lang = t('htmlLang');
  type Api = { runtime?: never; storage?: { session?: never } };
  const g = globalThis as unknown as Record<string, unknown> & { browser?: Api; chrome?: Api };
  const stored = readBootPreview(g, g.browser?.storage?.session ?? g.chrome?.storage?.session);
  const ask = (): void => {
    performance.mark('hp:request');
    sendBootRequest(g, g.browser?.runtime ?? g.chrome?.runtime);
  };
  bootPaint(
    g,
    stored,
    (list) => {
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
      return paintPreview({ document, shown: () => firstPaintShown(window, FIRST_PAINT_CAP_MS) }, list, () => ({ type: App, props: { api, firstPage } }));
    },
    ask,
  );
});
