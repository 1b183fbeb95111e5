/* global clearTimeout */
/**
 * A minimal client for Firefox's Remote Debugging Protocol (what about:debugging and web-ext speak),
 * for the one thing WebDriver BiDi cannot do in Firefox: reach an extension's own contexts. BiDi
 * skips every moz-extension:// browsing context (Bug 1755014), so the background page and the
 * popup page can only be evaluated in, and their console read, through DevTools:
 *   root.listAddons → addon descriptor.getWatcher → watcher.watchTargets('frame') (one target per
 *   extension document: background page, extension tabs) → target's console actor.evaluateJSAsync;
 *   watcher.watchResources(['console-message', 'error-message']) → every console call and error of
 *   those documents, as the Browser Toolbox would show them.
 *
 * Packets are `<byte length>:<JSON>`. A request goes to one actor and its reply comes from that
 * actor; only one request per actor is in flight (the protocol's rule). Packets with a `type` in
 * EVENTS are unsolicited and go to listeners instead.
 */
import net from 'node:net';

const EVENTS = new Set([
  'evaluationResult',
  'target-available-form',
  'target-destroyed-form',
  'resources-available-array',
  'resources-updated-array',
  'resources-destroyed-array',
  'tabNavigated',
  'frameUpdate',
  'tabListChanged',
  'addonListChanged',
  'descriptor-destroyed',
]);

export async function connectRdp(port, { timeout = 15_000 } = {}) {
  const deadline = Date.now() + timeout;
  let socket;
  // Firefox opens the debugger port a moment after it starts: retry until it listens.
  for (;;) {
    try {
      socket = await new Promise((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.once('error', reject);
      });
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`Firefox's debugger server did not open port ${port}: ${err.message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  let buffer = Buffer.alloc(0);
  const queues = new Map(); // actor → [{ packet, resolve, reject, sent }]
  const listeners = new Set();
  let greeted;
  const greeting = new Promise((resolve) => (greeted = resolve));
  let closedError = null;

  const sendNext = (actor) => {
    const q = queues.get(actor);
    if (!q?.length || q[0].sent) return;
    q[0].sent = true;
    const json = JSON.stringify(q[0].packet);
    socket.write(`${Buffer.byteLength(json)}:${json}`);
  };

  const dispatch = (packet) => {
    if (packet.from === 'root' && packet.applicationType) return greeted(packet);
    if (packet.type && EVENTS.has(packet.type)) {
      for (const l of listeners) l(packet);
      return;
    }
    const q = queues.get(packet.from);
    if (!q?.length) {
      // A packet nobody asked for and no known event: still give it to listeners.
      for (const l of listeners) l(packet);
      return;
    }
    const { resolve, reject } = q.shift();
    if (packet.error) reject(new Error(`RDP ${packet.from}: ${packet.error} ${packet.message ?? ''}`));
    else resolve(packet);
    sendNext(packet.from);
  };

  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) return;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length) return;
      const packet = JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString('utf8'));
      buffer = buffer.subarray(colon + 1 + length);
      dispatch(packet);
    }
  });
  socket.on('close', () => {
    closedError = new Error('RDP connection closed');
    for (const q of queues.values()) for (const r of q) r.reject(closedError);
    queues.clear();
  });
  socket.on('error', () => {});

  await greeting;

  const client = {
    request(to, type, args = {}) {
      if (closedError) return Promise.reject(closedError);
      return new Promise((resolve, reject) => {
        if (!queues.has(to)) queues.set(to, []);
        queues.get(to).push({ packet: { to, type, ...args }, resolve, reject, sent: false });
        sendNext(to);
      });
    },
    /** Calls fn(packet) for every unsolicited packet; returns an unsubscribe function. */
    on(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    /** Resolves with the first unsolicited packet for which fn returns true. */
    waitForEvent(fn, { timeout: ms = 15_000, what = 'an RDP event' } = {}) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`Timed out waiting for ${what}`));
        }, ms);
        const off = client.on((p) => {
          if (fn(p)) {
            clearTimeout(timer);
            off();
            resolve(p);
          }
        });
      });
    },
    /** A value grip as plain JS: strings (long ones fetched whole), numbers, booleans, null, undefined. */
    async gripValue(grip) {
      if (grip === null || typeof grip !== 'object') return grip;
      if (grip.type === 'undefined') return undefined;
      if (grip.type === 'null') return null;
      if (grip.type === 'longString') {
        const { substring } = await client.request(grip.actor, 'substring', { start: 0, end: grip.length });
        return substring;
      }
      return grip;
    },
    /**
     * Evaluates `source` (an expression; a Promise is awaited) in the document behind `consoleActor`
     * and returns its value. Objects come back as grips: return JSON strings for data.
     */
    async evaluate(consoleActor, source) {
      const resultPromise = new Promise((resolve, reject) => {
        let id = null;
        const early = [];
        const off = client.on((p) => {
          if (p.type !== 'evaluationResult' || p.from !== consoleActor) return;
          if (id === null) early.push(p);
          else if (p.resultID === id) finish(p);
        });
        const finish = (p) => {
          off();
          if (p.exceptionMessage || p.topLevelAwaitRejected) reject(new Error(`evaluation failed: ${p.exceptionMessage ?? 'promise rejected'}`));
          else resolve(p.result);
        };
        client
          .request(consoleActor, 'evaluateJSAsync', { text: source, mapped: { await: true } })
          .then(({ resultID }) => {
            id = resultID;
            const hit = early.find((p) => p.resultID === id);
            if (hit) finish(hit);
          }, (err) => {
            off();
            reject(err);
          });
      });
      return client.gripValue(await resultPromise);
    },
    close() {
      socket.destroy();
    },
  };
  return client;
}

/**
 * Watches one DevTools descriptor (an add-on, or a tab): its documents as targets and every console
 * message and error in them. Returns { targets (live list of { url, actor, consoleActor, targetType }),
 * messages (live list), target(urlPart) (waits for a document whose URL contains urlPart) }.
 */
async function watchDescriptor(client, descriptorActor, targetTypes) {
  const { actor: watcherActor } = await client.request(descriptorActor, 'getWatcher', { isServerTargetSwitchingEnabled: true });
  const targets = [];
  const messages = [];
  const actors = new Set([watcherActor]);
  client.on((p) => {
    if (p.type === 'target-available-form' && p.from === watcherActor) {
      actors.add(p.target.actor);
      targets.push({ url: p.target.url, actor: p.target.actor, consoleActor: p.target.consoleActor, targetType: p.target.targetType });
    } else if (p.type === 'target-destroyed-form' && p.from === watcherActor) {
      const i = targets.findIndex((t) => t.actor === p.target.actor);
      if (i >= 0) targets.splice(i, 1);
    } else if (p.type === 'resources-available-array' && actors.has(p.from)) {
      for (const [resourceType, resources] of p.array) {
        for (const r of resources) messages.push({ resourceType, ...r });
      }
    }
  });
  for (const targetType of targetTypes) await client.request(watcherActor, 'watchTargets', { targetType });
  await client.request(watcherActor, 'watchResources', { resourceTypes: ['console-message', 'error-message'] });
  return {
    targets,
    messages,
    async target(urlPart, { timeout = 15_000, targetType } = {}) {
      const end = Date.now() + timeout;
      for (;;) {
        const t = targets.find((x) => x.url?.includes(urlPart) && (!targetType || x.targetType === targetType));
        if (t) return t;
        if (Date.now() > end) throw new Error(`no document ${urlPart} (have: ${targets.map((x) => x.url).join(', ')})`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** An installed add-on's documents (background page, extension tabs) and their console. */
export async function attachAddon(client, addonId) {
  const { addons } = await client.request('root', 'listAddons');
  const addon = addons.find((a) => a.id === addonId);
  if (!addon) throw new Error(`add-on ${addonId} is not installed (installed: ${addons.map((a) => a.id).join(', ')})`);
  return { addon, ...(await watchDescriptor(client, addon.actor, ['frame'])) };
}

/** A tab (first whose URL contains urlPart): its page and the content scripts in it, and their console. */
export async function attachTab(client, urlPart) {
  const { tabs } = await client.request('root', 'listTabs');
  const tab = tabs.find((t) => t.url?.includes(urlPart));
  if (!tab) throw new Error(`no tab ${urlPart} (tabs: ${tabs.map((t) => t.url).join(', ')})`);
  return { tab, ...(await watchDescriptor(client, tab.actor, ['frame', 'content_script'])) };
}
