import { browser } from 'wxt/browser';
import { startBadges } from '../../lib/content/page';
import '../../lib/content/styles.css';

export default defineContentScript({
  matches: ['https://arxiv.org/*', 'https://www.arxiv.org/*'],
  runAt: 'document_end',
  main(ctx) {
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
      isValid: () => ctx.isValid,
      onInvalidated: (fn) => ctx.onInvalidated(fn),
      log: (msg) => console.debug(msg),
    });
  },
});
