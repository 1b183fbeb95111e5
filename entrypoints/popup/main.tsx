// Runs once the bundle has loaded (imports are hoisted); the benchmark also measures from navigation start.
performance.mark('hp:popup-start');

import { render } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { request } from '../../lib/messages';
import { takeBootPreview, takeBootRequest } from '../../lib/popup/boot';
import { takeBootPaint, type BootPaint } from '../../lib/popup/boot-paint';
import { previewList } from '../../lib/popup/preview';
import { downloadText, type UiApi } from '../../lib/popup/ui-api';
import { App, FIRST_PAGE, firstPageOrTimeout, requestFirstPage, type FirstPage } from './App';
import './style.css';

// The page's words are in the browser's language when a translation exists (screen readers read them by it).
document.documentElement.lang = t('htmlLang');

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
// popup-boot.js (in <head>) has usually sent the request already; otherwise ask now.
function bootFirstPage(): FirstPage {
  const g = globalThis as unknown as Record<string, unknown>;
  const stored = takeBootPreview(g);
  const preview = stored?.then(previewList, () => undefined);
  preview?.then((p) => p && performance.mark('hp:preview'), () => undefined);
  const boot = takeBootRequest(g);
  if (!boot) return { ...requestFirstPage(api), preview };
  const list = request(() => boot, 'hotlist:get', { view: 'today', limit: FIRST_PAGE });
  list.then(() => performance.mark('hp:data'), () => undefined);
  return { view: 'today', list, preview };
}
function start(painted?: BootPaint): void {
  const renderApp = () => render(<App api={api} firstPage={firstPage} />, document.getElementById('app')!);
  if (painted) painted.takeOver(renderApp);
  else renderApp();
}

const firstPage = bootFirstPage();
// When the boot script has painted the preview (lib/popup/boot-paint.ts), Preact waits until that
// frame is on screen, then renders the same tree into #app and adopts the painted nodes.
void firstPageOrTimeout(firstPage, FIRST_PAINT_WAIT_MS).then(() => {
  const painting = takeBootPaint(globalThis as unknown as Record<string, unknown>);
  // Without a paint, render in this same task: a paint that comes later finds #app taken and stays out.
  if (!painting) return start();
  return painting.then(start);
});
