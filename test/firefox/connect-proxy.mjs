/**
 * The smallest HTTP proxy that lets Firefox reach the replay server under the real host names:
 * Firefox has no --host-resolver-rules, so its proxy prefs point here, and every
 * `CONNECT <host>:443` for one of the replay server's hosts is piped to the replay server's port
 * (TLS stays end to end: Firefox sees the replay server's certificate, whose SANs name every host).
 *
 * Everything else is refused (403 for CONNECT to another host, 405 for plain-HTTP proxy requests)
 * and logged in `refused`, so nothing the browser or the extension tries ever touches the real
 * network, and a test can see what was attempted.
 */
import http from 'node:http';
import net from 'node:net';

export async function startConnectProxy({ targetPort, hosts }) {
  const allowed = new Set(hosts);
  const refused = [];
  const tunnels = [];
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    refused.push({ method: req.method, target: req.url });
    res.writeHead(405, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('only CONNECT to the replayed hosts\n');
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client, head) => {
    const [host, port] = (req.url ?? '').split(':');
    if (!allowed.has(host) || port !== '443') {
      refused.push({ method: 'CONNECT', target: req.url });
      client.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    tunnels.push(req.url);
    const upstream = net.connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head?.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    // Either side going away (a browser cancelling a fetch, the replay server's "reset") ends both.
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: server.address().port,
    /** CONNECT targets piped to the replay server, in order. */
    tunnels,
    /** Requests refused: anything that is not a CONNECT to a replayed host on 443. */
    refused,
    async close() {
      await new Promise((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
