/**
 * A private D-Bus session bus with a desktop notification server on it, so the Firefox under test
 * can really show an extension's notification and the test can see what a user would have seen.
 *
 * Firefox on Linux shows notifications through libnotify, i.e. the org.freedesktop.Notifications
 * service on the session bus (Desktop Notifications Specification 1.2). Without one (a headless
 * machine), it drops every notification the moment it is created: browser.notifications.create()
 * resolves, onClosed fires at once and getAll() is empty, so nothing about the notification could
 * be checked. This starts Debian's `dbus-daemon` on a socket in a temp dir and answers that service
 * itself: GetCapabilities, GetServerInformation, Notify (records app name, summary, body, actions)
 * and CloseNotification (answered with the NotificationClosed signal, as a real server does); and
 * click(id) sends what a server sends when the user clicks a notification (ActionInvoked
 * "default", then NotificationClosed).
 *
 * Only the little of the D-Bus wire format those calls need is implemented: little-endian
 * messages; header fields of types s/o/g/u; bodies of strings, uint32 and arrays of strings.
 * Notify's body is read up to its `actions` (hints and timeout are not needed).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAME = 'org.freedesktop.Notifications';
const PATH = '/org/freedesktop/Notifications';
const BUS = 'org.freedesktop.DBus';
const T = { CALL: 1, RETURN: 2, ERROR: 3, SIGNAL: 4 };
const F = { PATH: 1, INTERFACE: 2, MEMBER: 3, ERROR_NAME: 4, REPLY_SERIAL: 5, DESTINATION: 6, SENDER: 7, SIGNATURE: 8 };
const FIELD_TYPE = { [F.PATH]: 'o', [F.INTERFACE]: 's', [F.MEMBER]: 's', [F.ERROR_NAME]: 's', [F.REPLY_SERIAL]: 'u', [F.DESTINATION]: 's', [F.SENDER]: 's', [F.SIGNATURE]: 'g' };

/** Builds one little-endian D-Bus message; positions are relative to the message start. */
class Writer {
  constructor() {
    this.bytes = [];
  }
  get length() {
    return this.bytes.length;
  }
  align(n) {
    while (this.bytes.length % n) this.bytes.push(0);
  }
  y(v) {
    this.bytes.push(v & 0xff);
  }
  u(v) {
    this.align(4);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.bytes.push(...b);
  }
  s(v) {
    const b = Buffer.from(v, 'utf8');
    this.u(b.length);
    this.bytes.push(...b, 0);
  }
  g(v) {
    this.y(v.length);
    this.bytes.push(...Buffer.from(v, 'ascii'), 0);
  }
  /** Writes `value` of the one-letter D-Bus type `t` (s, o, g, u) or an array of strings (as). */
  value(t, value) {
    if (t === 's' || t === 'o') this.s(value);
    else if (t === 'g') this.g(value);
    else if (t === 'u') this.u(value);
    else if (t === 'as') {
      this.u(0);
      const at = this.bytes.length - 4;
      this.align(4);
      const start = this.bytes.length;
      for (const item of value) this.s(item);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(this.bytes.length - start);
      this.bytes.splice(at, 4, ...len);
    } else throw new Error(`cannot write D-Bus type ${t}`);
  }
}

let serialCounter = 0;

/** A whole message: header (with fields) + body of the given types (a signature of s/o/u/as). */
function message(type, fields, types = [], values = [], flags = 0) {
  const body = new Writer();
  // The body starts 8-aligned in the message, so aligning within it is aligning in the message.
  types.forEach((t, i) => body.value(t, values[i]));
  const signature = types.join('');
  const all = { ...fields, ...(signature ? { [F.SIGNATURE]: signature } : {}) };
  const w = new Writer();
  w.y('l'.charCodeAt(0));
  w.y(type);
  w.y(flags);
  w.y(1);
  w.u(body.length);
  w.u(++serialCounter);
  w.u(0); // header fields array length, patched below
  const start = w.length; // already 8-aligned (16)
  for (const [code, v] of Object.entries(all)) {
    w.align(8);
    w.y(Number(code));
    w.g(FIELD_TYPE[code]);
    w.value(FIELD_TYPE[code], v);
  }
  const len = w.length - start;
  const head = Buffer.from(w.bytes);
  head.writeUInt32LE(len, 12);
  w.bytes = [...head];
  w.align(8);
  return Buffer.concat([Buffer.from(w.bytes), Buffer.from(body.bytes)]);
}

/** Reads one message from `buf` (a complete frame): { type, flags, serial, fields, body(reader) }. */
function parse(buf) {
  let pos = 0;
  const align = (n) => {
    pos = Math.ceil(pos / n) * n;
  };
  const r = {
    y: () => buf[pos++],
    u: () => {
      align(4);
      const v = buf.readUInt32LE(pos);
      pos += 4;
      return v;
    },
    s: () => {
      const n = r.u();
      const v = buf.toString('utf8', pos, pos + n);
      pos += n + 1;
      return v;
    },
    g: () => {
      const n = r.y();
      const v = buf.toString('ascii', pos, pos + n);
      pos += n + 1;
      return v;
    },
    as: () => {
      const n = r.u();
      align(4);
      const end = pos + n;
      const out = [];
      while (pos < end) out.push(r.s());
      return out;
    },
  };
  if (buf[0] !== 0x6c) throw new Error('big-endian D-Bus messages are not supported');
  const type = buf[1];
  const flags = buf[2];
  pos = 8;
  const serial = r.u();
  const fieldsLen = r.u();
  const fieldsEnd = pos + fieldsLen;
  const fields = {};
  while (pos < fieldsEnd) {
    align(8);
    const code = r.y();
    const sig = r.g();
    fields[code] = sig === 'u' ? r.u() : sig === 'g' ? r.g() : r.s();
  }
  align(8);
  return { type, flags, serial, fields, read: r };
}

/** Length of the first complete frame in `buf`, or 0 when more bytes are needed. */
function frameLength(buf) {
  if (buf.length < 16) return 0;
  const bodyLen = buf.readUInt32LE(4);
  const fieldsLen = buf.readUInt32LE(12);
  const total = Math.ceil((16 + fieldsLen) / 8) * 8 + bodyLen;
  return buf.length >= total ? total : 0;
}

/**
 * Starts dbus-daemon and the notification server. Returns
 *   { address (for DBUS_SESSION_BUS_ADDRESS), notifications: [{ id, appName, summary, body, actions, closed }], click(id), close() }.
 */
export async function startNotificationDaemon({ dbusDaemon = 'dbus-daemon' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hot-papers-dbus-'));
  const socketPath = join(dir, 'bus');
  const config = join(dir, 'session.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=${socketPath}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );
  const daemon = spawn(dbusDaemon, ['--config-file', config, '--nofork', '--nopidfile', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const address = await new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    daemon.on('error', (e) => reject(new Error(`cannot start ${dbusDaemon} (apt-get install -y dbus-daemon): ${e.message}`)));
    daemon.stderr.on('data', (d) => (err += d));
    daemon.on('exit', (code) => reject(new Error(`dbus-daemon exited with ${code}: ${err}`)));
    daemon.stdout.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.split('\n')[0].trim());
    });
  });

  const socket = await new Promise((resolve, reject) => {
    const s = net.connect(socketPath, () => resolve(s));
    s.once('error', reject);
  });
  socket.on('error', () => {});

  // SASL: EXTERNAL with our uid (hex of its decimal digits), then BEGIN; the binary protocol follows.
  await new Promise((resolve, reject) => {
    const uid = String(process.getuid?.() ?? 0);
    let text = '';
    const onData = (d) => {
      text += d.toString('latin1');
      if (!text.includes('\r\n')) return;
      socket.off('data', onData);
      if (!text.startsWith('OK ')) return reject(new Error(`D-Bus auth refused: ${text.trim()}`));
      socket.write('BEGIN\r\n');
      resolve();
    };
    socket.on('data', onData);
    socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
  });

  const notifications = [];
  let nextId = 1;
  const pendingReplies = new Map(); // our serial → resolve
  const send = (buf) => socket.write(buf);
  const call = (member, types = [], values = []) => {
    const buf = message(T.CALL, { [F.PATH]: '/org/freedesktop/DBus', [F.INTERFACE]: BUS, [F.MEMBER]: member, [F.DESTINATION]: BUS }, types, values);
    const serial = buf.readUInt32LE(8);
    return new Promise((resolve) => {
      pendingReplies.set(serial, resolve);
      send(buf);
    });
  };
  const reply = (m, types = [], values = []) => {
    if (m.flags & 1) return; // NO_REPLY_EXPECTED
    send(message(T.RETURN, { [F.REPLY_SERIAL]: m.serial, [F.DESTINATION]: m.fields[F.SENDER] }, types, values));
  };
  const fail = (m, name, text) => {
    if (m.flags & 1) return;
    send(message(T.ERROR, { [F.REPLY_SERIAL]: m.serial, [F.DESTINATION]: m.fields[F.SENDER], [F.ERROR_NAME]: name }, ['s'], [text]));
  };

  const signal = (member, types, values) => send(message(T.SIGNAL, { [F.PATH]: PATH, [F.INTERFACE]: NAME, [F.MEMBER]: member }, types, values));

  const onMethodCall = (m) => {
    const iface = m.fields[F.INTERFACE];
    const member = m.fields[F.MEMBER];
    if (m.fields[F.PATH] !== PATH || (iface && iface !== NAME)) {
      return fail(m, 'org.freedesktop.DBus.Error.UnknownMethod', `${iface}.${member} is not implemented here`);
    }
    switch (member) {
      case 'GetCapabilities':
        // "actions": Firefox only shows clickable alerts (every extension notification is one)
        // on a server that can report a click.
        return reply(m, ['as'], [['actions', 'body']]);
      case 'GetServerInformation':
        return reply(m, ['s', 's', 's', 's'], ['hot-papers-test-notifications', 'hot-papers', '1', '1.2']);
      case 'Notify': {
        const r = m.read;
        const appName = r.s();
        const replacesId = r.u();
        r.s(); // app_icon
        const summary = r.s();
        const body = r.s();
        const actions = r.as();
        const id = replacesId || nextId++;
        notifications.push({ id, appName, summary, body, actions, closed: false, at: Date.now() });
        return reply(m, ['u'], [id]);
      }
      case 'CloseNotification': {
        const id = m.read.u();
        for (const n of notifications) if (n.id === id) n.closed = true;
        reply(m);
        // Reason 3: closed by a call to CloseNotification.
        return signal('NotificationClosed', ['u', 'u'], [id, 3]);
      }
      default:
        return fail(m, 'org.freedesktop.DBus.Error.UnknownMethod', `${member} is not implemented here`);
    }
  };

  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let n = frameLength(buffer); n; n = frameLength(buffer)) {
      const m = parse(buffer.subarray(0, n));
      buffer = buffer.subarray(n);
      if (m.type === T.CALL) onMethodCall(m);
      else if (m.type === T.RETURN || m.type === T.ERROR) {
        const done = pendingReplies.get(m.fields[F.REPLY_SERIAL]);
        pendingReplies.delete(m.fields[F.REPLY_SERIAL]);
        done?.(m);
      }
    }
  });

  await call('Hello');
  // Flag 4 (DO_NOT_QUEUE); reply 1 means we are the primary owner of the name.
  const owner = await call('RequestName', ['s', 'u'], [NAME, 4]);
  const result = owner.type === T.RETURN ? owner.read.u() : 0;
  if (result !== 1) throw new Error(`could not own ${NAME} on the private bus (RequestName → ${result})`);

  return {
    address,
    notifications,
    /** The user clicks notification `id` (its body: the "default" action), and it goes away. */
    click(id) {
      signal('ActionInvoked', ['u', 's'], [id, 'default']);
      // Reason 2: dismissed by the user.
      signal('NotificationClosed', ['u', 'u'], [id, 2]);
      for (const n of notifications) if (n.id === id) n.closed = true;
    },
    async close() {
      socket.destroy();
      if (daemon.exitCode === null) {
        const exited = new Promise((r) => daemon.once('exit', r));
        daemon.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
