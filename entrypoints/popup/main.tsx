// Runs once the bundle has loaded (imports are hoisted); the benchmark also measures from navigation start.
performance.mark('hp:popup-start');

import { render } from 'preact';
import { browser } from 'wxt/browser';
import { request } from '../../lib/messages';
import { downloadText, type UiApi } from '../../lib/ui-api';
import { App, firstPageOrTimeout, requestFirstPage } from './App';
import './style.css';

const api: UiApi = {
  request: (type, payload) => request((m) => browser.runtime.sendMessage(m), type, payload),
  openUrl: (url) => void browser.tabs.create({ url }),
  openOptions: () => void browser.runtime.openOptionsPage(),
  now: () => Date.now(),
  online: () => navigator.onLine,
  copy: (text) => navigator.clipboard.writeText(text),
  download: (text, filename, mime) => downloadText(document, text, filename, mime),
};

// Ask for the first screenful at once; paint when it is in, or after a short wait at most.
const FIRST_PAINT_WAIT_MS = 60;
const firstPage = requestFirstPage(api);
void firstPageOrTimeout(firstPage, FIRST_PAINT_WAIT_MS).then(() => render(<App api={api} firstPage={firstPage} />, document.getElementById('app')!));
