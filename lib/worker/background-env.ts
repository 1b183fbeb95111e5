/**
 * What background-side logic receives from the entrypoint: the open database, network, clock,
 * storage and the few browser edges (badge, notifications, tab pushes). Unit tests build one with
 * fake-indexeddb, recorded responses and a fake clock; the service worker builds the real one.
 */
import type { HotDb } from '../store/db';
import type { FetchFn } from '../http';
import type { PushEnvelope } from '../messages';
import type { SessionStore } from '../popup/preview';
import type { KeyValueStorage } from '../settings';

export interface NotificationRequest {
  id: string;
  title: string;
  message: string;
  /** Extra lines where the platform shows lists (Chrome "list" notifications). */
  items?: { title: string; message: string }[];
}

export interface BackgroundEnv {
  db: HotDb;
  fetch: FetchFn;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** storage.local: settings and small state (readable from content scripts: never a secret). */
  storage: KeyValueStorage;
  /** Credentials and account sessions (lib/store/secret-store.ts); unit tests without one use `storage`. */
  secrets?: KeyValueStorage;
  /** storage.session, where the popup's preview is kept (lib/popup/preview.ts); absent where the browser has none. */
  session?: SessionStore;
  /** Toolbar: badge text ('' clears) and action title. */
  setBadge(text: string, title: string): Promise<void>;
  showNotification(n: NotificationRequest): Promise<void>;
  /** Sends a push message to one tab's content script (ignores closed tabs). */
  pushToTab(tabId: number, msg: PushEnvelope): Promise<void>;
  /**
   * Identifies this run of the background worker (made once per worker start). Lets a new worker
   * take over the poll lease of one that was stopped mid-poll instead of waiting for it to expire.
   */
  instanceId?: string;
  /** Random number in [0, 1) for jitter; injectable for tests. */
  random?: () => number;
}
