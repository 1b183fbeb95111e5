import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// Hosts the extension may talk to. arXiv is required; engagement sources are optional
// permissions requested when the user switches a source on (see docs/permissions.md).
export const ARXIV_HOSTS = [
  'https://arxiv.org/*',
  'https://www.arxiv.org/*',
  'https://rss.arxiv.org/*',
  'https://export.arxiv.org/*',
];

export const SOURCE_HOSTS = [
  'https://huggingface.co/*',
  'https://hn.algolia.com/*',
  'https://bsky.social/*',
  'https://public.api.bsky.app/*',
  'https://api.twitter.com/*',
  'https://api.x.com/*',
  'https://api.semanticscholar.org/*',
];

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({
    plugins: [preact()],
  }),
  zip: {
    excludeSources: ['test/fixtures/**', 'test/e2e/certs/**', 'bench/**', 'docs/screenshots/**', '.output/**'],
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    action: { default_title: '__MSG_extName__' },
    permissions: ['storage', 'alarms', 'notifications', 'unlimitedStorage'],
    host_permissions: ARXIV_HOSTS,
    optional_host_permissions: SOURCE_HOSTS,
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'hot-papers@arxiv-hot-papers.example',
              strict_min_version: '115.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
