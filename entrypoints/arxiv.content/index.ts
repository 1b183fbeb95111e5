import { browser } from 'wxt/browser';
import { startBadges } from '../../lib/content/page';
import '../../lib/content/styles.css';

export default defineContentScript({
  matches: ['https://arxiv.org/*', 'https://www.arxiv.org/*'],
  runAt: 'document_end',
  // WXT also announces the script to the page with window.postMessage(…, '*'), which tells any page
  // the event name that stops it; the document event it uses instead is enough (issue 20).
  noScriptStartedPostMessage: true,
  main(ctx) {
    // WXT's context also ends when the page dispatches its "newer script started" event, which a
    // page can forge. Only the extension going away (update, removal: runtime.id gone) ends ours.
    const alive = () => browser.runtime?.id != null;
    startBadges({
      doc: document,
      url: new URL(location.href),
      send: (msg) => browser.runtime.sendMessage(msg),
      listen(fn) {
        // Return nothing: this listener never answers, it only receives the background's pushes.
        const listener = (msg: unknown) => {
          fn(msg);
        };
        browser.runtime.onMessage.addListener(listener);
        return () => browser.runtime.onMessage.removeListener(listener);
      },
      isValid: alive,
      onInvalidated: (fn) => ctx.onInvalidated(() => !alive() && fn()),
      log: (msg) => console.debug(msg),
    });
  },
});
