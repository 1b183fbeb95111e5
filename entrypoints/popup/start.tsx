/**
 * The popup app proper, loaded by main.tsx once the boot script's painted frame is on screen (or at
 * once when it painted nothing): Preact renders the App — over the painted nodes, which it adopts,
 * or afresh.
 */
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { t } from '../../lib/i18n';
import { request } from '../../lib/messages';
import { takeBootPreview, takeBootRequest, type BootPaint } from '../../lib/popup/boot';
import { previewList } from '../../lib/popup/preview';
import { downloadText, type UiApi } from '../../lib/popup/ui-api';
import { App, FIRST_PAGE, firstPageOrTimeout, requestFirstPage, type FirstPage } from './App';

// Without a painted preview, paint once the first screenful (or its preview) is in, or after this long at most.
const FIRST_PAINT_WAIT_MS = 60;

function popupApi(): UiApi {
  return {
    request: (type, payload) => request((m) => browser.runtime.sendMessage(m), type, payload),
    openUrl: (url) => void browser.tabs.create({ url }),
    openOptions: () => void browser.runtime.openOptionsPage(),
    now: () => Date.now(),
    online: () => navigator.onLine,
    copy: (text) => navigator.clipboard.writeText(text),
    download: (text, filename, mime) => downloadText(document, text, filename, mime),
  };
}

/**
 * Today's first screenful: the boot script's request and preview read when it made them, else asked
 * now. The preview the boot script painted is not read and parsed a second time.
 */
function bootFirstPage(api: UiApi, painted: BootPaint | undefined): FirstPage {
  const g = globalThis as unknown as Record<string, unknown>;
  const stored = takeBootPreview(g);
  const preview = painted ? Promise.resolve(painted.list) : stored?.then(previewList, () => undefined);
  preview?.then((p) => p && performance.mark('hp:preview'), () => undefined);
  const boot = takeBootRequest(g);
  if (!boot) return { ...requestFirstPage(api), preview };
  const list = request(() => boot, 'hotlist:get', { view: 'today', limit: FIRST_PAGE });
  list.then(() => performance.mark('hp:data'), () => undefined);
  return { view: 'today', list, preview };
}

export function start(painted: BootPaint | undefined): void {
  performance.mark('hp:app-start');
  // The page's words are in the browser's language when a translation exists (screen readers read them by it).
  document.documentElement.lang = t('htmlLang');
  const api = popupApi();
  const firstPage = bootFirstPage(api, painted);
  const renderApp = (): void => render(<App api={api} firstPage={firstPage} />, document.getElementById('app')!);
  if (painted) {
    // The same tree the boot script painted: Preact adopts its nodes; the answer replaces the preview.
    firstPage.ready = painted.list;
    painted.takeOver(renderApp);
    return;
  }
  void firstPageOrTimeout(firstPage, FIRST_PAINT_WAIT_MS).then(renderApp);
}
