import { render } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { request } from '../../lib/messages';
import { downloadText } from '../../lib/popup/ui-api';
import { secretStore } from '../../lib/store/secret-store';
import { App, type OptionsApi } from './App';
import './style.css';

// The page's words are in the browser's language when a translation exists (screen readers read them by it).
document.documentElement.lang = t('htmlLang');

const api: OptionsApi = {
  request: (type, payload) => request((m) => browser.runtime.sendMessage(m), type, payload),
  now: () => Date.now(),
  download: (text, filename, mime) => downloadText(document, text, filename, mime),
  storage: {
    get: (key) => browser.storage.local.get(key) as Promise<Record<string, unknown>>,
    set: (items) => browser.storage.local.set(items),
  },
  secrets: secretStore({
    get: (key) => browser.storage.local.get(key) as Promise<Record<string, unknown>>,
    set: (items) => browser.storage.local.set(items),
    remove: (keys) => browser.storage.local.remove(keys),
  }),
  requestOrigins: (origins) => browser.permissions.request({ origins }),
};

render(<App api={api} />, document.getElementById('app')!);
