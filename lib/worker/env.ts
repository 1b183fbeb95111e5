/**
 * Builds the BackgroundEnv of the real service worker from the (polyfilled) browser API. This is
 * the edge where browser APIs meet lib/: everything past here takes the env as an argument.
 */
import type { WxtBrowser } from 'wxt/browser';
import type { BackgroundEnv, NotificationRequest } from './background-env';
import type { HotDb } from '../store/db';
import { secretStore } from '../store/secret-store';

const BADGE_COLOR = '#b31b1b';

export function createWorkerEnv(b: WxtBrowser, db: HotDb, isFirefox: boolean, instanceId: string): BackgroundEnv {
  // MV2 (Firefox build) has browserAction where MV3 has action.
  const action = b.action ?? (b as unknown as { browserAction: WxtBrowser['action'] }).browserAction;
  // storage.session: Chrome 102+, Firefox 115+.
  const session = (b.storage as Partial<WxtBrowser['storage']>).session;
  return {
    db,
    instanceId,
    fetch: (input, init) => fetch(input, init),
    now: () => Date.now(),
    random: Math.random,
    storage: {
      get: (key) => b.storage.local.get(key) as Promise<Record<string, unknown>>,
      set: (items) => b.storage.local.set(items),
    },
    secrets: secretStore({
      get: (key) => b.storage.local.get(key) as Promise<Record<string, unknown>>,
      set: (items) => b.storage.local.set(items),
      remove: (keys) => b.storage.local.remove(keys),
    }),
    ...(session
      ? {
          session: {
            get: (key: string) => session.get(key) as Promise<Record<string, unknown>>,
            set: (items: Record<string, unknown>) => session.set(items),
            remove: (key: string) => session.remove(key),
          },
        }
      : {}),
    async setBadge(text, title) {
      await action.setBadgeText({ text });
      if (text) await action.setBadgeBackgroundColor({ color: BADGE_COLOR });
      await action.setTitle({ title });
    },
    async showNotification(n: NotificationRequest) {
      const iconUrl = b.runtime.getURL('/icon/128.png');
      // Firefox supports only "basic" notifications: fold the list into the message.
      if (n.items?.length && !isFirefox) {
        await b.notifications.create(n.id, { type: 'list', iconUrl, title: n.title, message: n.message, items: n.items });
      } else {
        const lines = n.items?.map((i) => `• ${i.title}`) ?? [];
        await b.notifications.create(n.id, { type: 'basic', iconUrl, title: n.title, message: [n.message, ...lines].join('\n') });
      }
    },
    async pushToTab(tabId, msg) {
      try {
        await b.tabs.sendMessage(tabId, msg);
      } catch {
        // The tab was closed or navigated away; its next page load asks again.
      }
    },
  };
}
