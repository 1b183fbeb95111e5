import { sendBootRequest } from '@/lib/popup/boot';

/**
 * Loaded by popup.html as a classic script in <head> (blocking, a few hundred bytes): asks for the
 * first screenful at once and reads its preview, while the popup's module bundle loads. Uses the platform's own
 * `runtime` (promise-returning `chrome.runtime` in Chrome MV3, `browser.runtime` in Firefox), not
 * the polyfill, to stay tiny.
 */
export default defineUnlistedScript(() => {
  performance.mark('hp:request');
  type Api = { runtime?: never; storage?: { session?: never } };
  const g = globalThis as unknown as Record<string, unknown> & { browser?: Api; chrome?: Api };
  sendBootRequest(g, g.browser?.runtime ?? g.chrome?.runtime, g.browser?.storage?.session ?? g.chrome?.storage?.session);
});
