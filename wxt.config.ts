import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Hosts the extension's worker and pages talk to (the content script's arxiv.org pages come from its
// own `matches`, which is all the host access it needs). arXiv and the sources that are on by default
// and need no account (Hugging Face, alphaXiv, Hacker News via Algolia, Semantic Scholar, and
// Bluesky's public AppView for the category bots' feeds) are required host permissions, so the
// extension works right after install. What needs the user's own account (Bluesky sign-in and
// search, X) is an optional permission, requested from the options page when the user signs in.
export const REQUIRED_HOSTS = [
  'https://rss.arxiv.org/*',
  'https://export.arxiv.org/*',
  'https://huggingface.co/*',
  'https://api.alphaxiv.org/*',
  'https://hn.algolia.com/*',
  'https://api.semanticscholar.org/*',
  'https://public.api.bsky.app/*',
];

// Only the hosts the sources call (lib/sources/*.ts `hosts`): Bluesky's sign-in goes to bsky.social
// and its signed-in search to api.bsky.app, X's API to api.x.com.
export const OPTIONAL_HOSTS = [
  'https://bsky.social/*',
  'https://api.bsky.app/*',
  'https://api.x.com/*',
];

/**
 * The content script runs on every arXiv page a reader opens, so it does without
 * webextension-polyfill: `wxt/browser` (which the polyfill module aliases to itself) is the
 * platform's own promise-returning API there — Firefox's `browser`, Chrome MV3's `chrome` — as in
 * popup-boot.ts. The content script uses only calls both provide alike (runtime.sendMessage,
 * onMessage listeners that answer nothing, runtime.id, i18n.getMessage). Issue 17: the polyfill
 * was a third of the bundle, evaluated on every page.
 */
const PLATFORM_BROWSER = '\0hp-platform-browser';
const platformBrowser = {
  name: 'hp-content-platform-browser',
  enforce: 'pre' as const,
  resolveId: (id: string) => (id === 'wxt/browser' || id === '@wxt-dev/webextension-polyfill/browser' ? PLATFORM_BROWSER : null),
  load: (id: string) => (id === PLATFORM_BROWSER ? 'export const browser = globalThis.browser ?? globalThis.chrome;' : null),
};

/**
 * The popup's boot script (entrypoints/popup-boot.ts) paints the App's first render of the preview
 * before Preact has loaded, by calling the components as functions (lib/popup/static-dom.ts): in its
 * bundle, JSX makes plain element records (lib/popup/static-jsx.ts, in place of preact and its JSX
 * runtime), preact/hooks are the first-render stand-ins of lib/popup/static-hooks.ts, and
 * `wxt/browser` is the platform's API as in the content script (the boot script blocks the page's
 * parsing while it loads and must stay small).
 */
const POPUP_LIB = resolve(dirname(fileURLToPath(import.meta.url)), 'lib/popup');
const popupBootStatic = {
  name: 'hp-popup-boot-static',
  enforce: 'pre' as const,
  resolveId: (id: string) =>
    id === 'preact/hooks' ? resolve(POPUP_LIB, 'static-hooks.ts') : id === 'preact' || id === 'preact/jsx-runtime' || id === 'preact/jsx-dev-runtime' ? resolve(POPUP_LIB, 'static-jsx.ts') : platformBrowser.resolveId(id),
  load: platformBrowser.load,
};

/**
 * The popup's stylesheet goes into popup.html as a <style> (issue 17): the boot script's painted
 * frame waits for a render-blocking stylesheet, and as a file it arrived after the boot script in
 * most openings. Only the popup's own CSS (nothing in it comes from a user or a page); the options
 * page keeps its file.
 */
const inlinePopupCss = {
  name: 'hp-inline-popup-css',
  apply: 'build' as const,
  transformIndexHtml: {
    order: 'post' as const,
    handler(html: string, ctx: { filename: string; bundle?: Record<string, { type: string; source?: string | Uint8Array }> }) {
      if (!ctx.bundle || !/[\\/]popup[\\/]index\.html$/.test(ctx.filename)) return html;
      return html.replace(/<link rel="stylesheet"[^>]*? href="\/([^"]+\.css)"[^>]*>/g, (link, file: string) => {
        const asset = ctx.bundle![file];
        if (asset?.type !== 'asset' || typeof asset.source !== 'string' || asset.source.includes('</')) return link;
        delete ctx.bundle![file];
        return `<style>${asset.source}</style>`;
      });
    },
  },
};

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  hooks: {
    'vite:build:extendConfig': (entrypoints, config) => {
      if (entrypoints.length && entrypoints.every((e) => e.type === 'content-script')) config.plugins = [platformBrowser, ...(config.plugins ?? [])];
      if (entrypoints.length === 1 && entrypoints[0]!.name === 'popup-boot') config.plugins = [popupBootStatic, ...(config.plugins ?? [])];
    },
  },
  vite: () => ({
    plugins: [preact(), inlinePopupCss],
    // Chromium and Firefox 115+ support modulepreload: no polyfill chunk in the popup and options pages.
    build: { modulePreload: { polyfill: false } },
  }),
  zip: {
    excludeSources: ['test/fixtures/**', 'test/e2e/certs/**', 'test/e2e/.tmp/**', 'bench/**', 'docs/screenshots/**', '.output/**'],
  },
  manifest: ({ browser, manifestVersion }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    action: { default_title: '__MSG_extName__' },
    permissions: ['storage', 'alarms', 'notifications', 'unlimitedStorage'],
    host_permissions: REQUIRED_HOSTS,
    optional_host_permissions: OPTIONAL_HOSTS,
    // MV2 (Firefox) has no optional_host_permissions and WXT drops the key there: without this the
    // Bluesky/X permission request from the options page fails on Firefox.
    ...(manifestVersion === 2 ? { optional_permissions: OPTIONAL_HOSTS } : {}),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // 140 (142 on Android) is the first Firefox that reads data_collection_permissions;
            // earlier versions would install without seeing the declaration (web-ext lint warns).
            // browsingActivity: ids of the arXiv papers the user views go to the engagement sources
            // (Hugging Face, Semantic Scholar, X search); authenticationInfo: the user's Bluesky
            // password, X token and S2 key go to their own services (README, Privacy).
            gecko: {
              id: 'hot-papers@arxiv-hot-papers.example',
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['browsingActivity', 'authenticationInfo'] },
            },
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
});
