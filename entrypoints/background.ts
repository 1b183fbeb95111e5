import { openHotDb, type HotDb } from '@/lib/store/db';
import { createWorkerEnv } from '@/lib/worker/env';
import {
  handleMessage,
  notificationUrl,
  onAlarm,
  onInstalled,
  onStartup,
  onStorageChanged,
  reportError,
} from '@/lib/worker/events';

export default defineBackground(() => {
  // The worker may be stopped at any moment: nothing here is state, only the open connection,
  // which is re-opened by whichever event wakes the worker next.
  let dbPromise: Promise<HotDb> | null = null;
  const instanceId = crypto.randomUUID();
  const env = async () => {
    dbPromise ??= openHotDb().catch((err) => {
      dbPromise = null;
      throw err;
    });
    return createWorkerEnv(browser, await dbPromise, import.meta.env.FIREFOX, instanceId);
  };

  // Listeners are registered synchronously so events that woke the worker are not missed.
  browser.runtime.onInstalled.addListener(() => {
    env().then((e) => onInstalled(e, browser.alarms)).catch(reportError('install poll'));
  });
  browser.runtime.onStartup.addListener(() => {
    env().then((e) => onStartup(e, browser.alarms)).catch(reportError('startup poll'));
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    env().then((e) => onAlarm(e, alarm.name, browser.alarms)).catch(reportError(`alarm ${alarm.name}`));
  });
  browser.storage.onChanged.addListener((changes, area) => {
    env().then((e) => onStorageChanged(e, changes, area, browser.alarms)).catch(reportError('settings change'));
  });
  const self = { origin: browser.runtime.getURL('/'), id: browser.runtime.id };
  browser.runtime.onMessage.addListener((msg, sender) => {
    return env().then(
      (e) => handleMessage(e, msg, sender, self),
      (err: Error) => ({ ok: false as const, error: err.message }),
    );
  });
  browser.notifications.onClicked.addListener((id) => {
    void browser.tabs.create({ url: notificationUrl(id, (p) => browser.runtime.getURL(p as '/popup.html')) });
    void browser.notifications.clear(id);
  });
});
