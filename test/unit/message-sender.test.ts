/**
 * Issue 20: the worker accepts from web pages (content scripts in arxiv.org tabs) only the messages
 * the content script needs; everything else only from the extension's own pages.
 */
import { describe, expect, it } from 'vitest';
import { handleMessage, isExtensionPage, PAGE_MESSAGES } from '../../lib/worker/events';
import type { BackgroundEnv } from '../../lib/worker/background-env';

const SELF = { origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/', id: 'abcdefghijklmnopabcdefghijklmnop' };
const TAB = { id: SELF.id, tab: { id: 7 }, url: 'https://arxiv.org/list/cs.LG/new' };
// Any use of the environment fails the test: a refused message must not reach a handler.
const untouchable = new Proxy({}, { get: (_t, k) => { throw new Error(`env.${String(k)} used`); } }) as BackgroundEnv;

describe('message sender check', () => {
  it('refuses export:build, cache:clear, poll:run (and every other non-page message) from a tab, with words', async () => {
    for (const type of ['export:build', 'cache:clear', 'poll:run', 'hotlist:get', 'poll:state', 'popup:seen']) {
      const reply = await handleMessage(untouchable, { type, payload: {} }, TAB, SELF);
      expect(reply).toEqual({ ok: false, error: `${type} is not accepted from a web page` });
    }
  });

  it('the page may ask only papers:lookup, watchlist:toggle and relevance:dismiss (the badge\'s "not for me", issue 21)', () => {
    expect([...PAGE_MESSAGES].sort()).toEqual(['papers:lookup', 'relevance:dismiss', 'watchlist:toggle']);
  });

  it('the extension\'s own pages count as such even when opened in a tab; look-alike origins do not', () => {
    expect(isExtensionPage({ id: SELF.id, tab: { id: 3 }, url: `${SELF.origin}popup.html` }, SELF.origin, SELF.id)).toBe(true);
    expect(isExtensionPage({ id: SELF.id, url: `${SELF.origin}options.html#x` }, SELF.origin, SELF.id)).toBe(true);
    expect(isExtensionPage(TAB, SELF.origin, SELF.id)).toBe(false);
    expect(isExtensionPage({ id: SELF.id }, SELF.origin, SELF.id)).toBe(false);
    expect(isExtensionPage({ id: SELF.id, url: 'https://abcdefghijklmnopabcdefghijklmnop/popup.html' }, SELF.origin, SELF.id)).toBe(false);
    expect(isExtensionPage({ id: 'other', url: `${SELF.origin}popup.html` }, SELF.origin, SELF.id)).toBe(false);
    expect(isExtensionPage({ url: 'not a url' }, SELF.origin)).toBe(false);
  });
});
