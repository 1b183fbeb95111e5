import { describe, expect, it } from 'vitest';
import { httpJson, httpText, HttpError, parseRetryAfter, type FetchFn, type HttpEnv } from '../../lib/http';

const T0 = Date.UTC(2026, 10, 25, 12, 0);

interface Harness {
  env: HttpEnv;
  calls: { url: string; headers: Record<string, string> }[];
  sleeps: number[];
}

/** Replies come from the list in order; a function reply can inspect the request. */
function harness(replies: (Response | ((url: string, init?: RequestInit) => Response | Promise<Response>))[]): Harness {
  let t = T0;
  const calls: Harness['calls'] = [];
  const sleeps: number[] = [];
  const fetch: FetchFn = async (url, init) => {
    calls.push({ url, headers: (init?.headers ?? {}) as Record<string, string> });
    const r = replies[Math.min(calls.length - 1, replies.length - 1)]!;
    return typeof r === 'function' ? r(url, init) : r.clone();
  };
  return {
    env: { fetch, now: () => t, sleep: async (ms) => { sleeps.push(ms); t += ms; } },
    calls,
    sleeps,
  };
}

async function failure(p: Promise<unknown>): Promise<HttpError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(HttpError);
    return err as HttpError;
  }
  throw new Error('expected an HttpError');
}

describe('httpText', () => {
  it('returns the body and the validators of a 200', async () => {
    const h = harness([new Response('ok', { status: 200, headers: { ETag: '"abc"', 'Last-Modified': 'Thu, 26 Oct 2023 20:30:02 GMT' } })]);
    const r = await httpText(h.env, 'https://rss.arxiv.org/rss/cs.LG');
    expect(r).toMatchObject({ status: 200, text: 'ok', notModified: false, validators: { etag: '"abc"', lastModified: 'Thu, 26 Oct 2023 20:30:02 GMT' } });
  });

  it('sends If-None-Match / If-Modified-Since and reports a 304 as notModified with the old validators', async () => {
    const h = harness([new Response(null, { status: 304 })]);
    const validators = { etag: '"abc"', lastModified: 'Thu, 26 Oct 2023 20:30:02 GMT' };
    const r = await httpText(h.env, 'https://rss.arxiv.org/rss/cs.LG', { validators });
    expect(h.calls[0]!.headers).toMatchObject({ 'If-None-Match': '"abc"', 'If-Modified-Since': validators.lastModified });
    expect(r).toMatchObject({ status: 304, text: '', notModified: true, validators });
  });

  it('retries a 5xx with growing backoff and succeeds', async () => {
    const h = harness([new Response('x', { status: 502 }), new Response('x', { status: 500 }), new Response('fine')]);
    const r = await httpText(h.env, 'https://export.arxiv.org/api/query?id_list=1');
    expect(r.text).toBe('fine');
    expect(h.calls).toHaveLength(3);
    expect(h.sleeps).toHaveLength(2);
    expect(h.sleeps[1]!).toBeGreaterThan(h.sleeps[0]!);
  });

  it('gives up after the attempts and says which host failed, without the query string', async () => {
    const h = harness([new Response('x', { status: 500 })]);
    const err = await failure(httpText(h.env, 'https://hn.algolia.com/api/v1/search?query=secret+topic', { attempts: 2 }));
    expect(err).toMatchObject({ kind: 'http', status: 500 });
    expect(err.message).toContain('hn.algolia.com');
    expect(err.message).not.toContain('secret');
    expect(h.calls).toHaveLength(2);
  });

  it('does not retry a 4xx and keeps the start of the error body', async () => {
    const h = harness([new Response('<rss>Feed error</rss>', { status: 400 })]);
    const err = await failure(httpText(h.env, 'https://rss.arxiv.org/rss/cs.XX'));
    expect(err).toMatchObject({ kind: 'http', status: 400, body: '<rss>Feed error</rss>' });
    expect(h.calls).toHaveLength(1);
  });

  it.each([401, 403])('turns %i into an auth error without retrying', async (status) => {
    const h = harness([new Response('no', { status })]);
    expect(await failure(httpText(h.env, 'https://api.x.com/2/tweets/search/recent'))).toMatchObject({ kind: 'auth', status });
    expect(h.calls).toHaveLength(1);
  });

  it('waits a short Retry-After (seconds) inline and retries', async () => {
    const h = harness([new Response('slow', { status: 429, headers: { 'Retry-After': '5' } }), new Response('ok')]);
    expect((await httpText(h.env, 'https://huggingface.co/api/daily_papers')).text).toBe('ok');
    expect(h.sleeps).toEqual([5000]);
  });

  it('throws rate-limited with retryAt for a long Retry-After given as an HTTP date', async () => {
    const until = new Date(T0 + 3600_000).toUTCString();
    const h = harness([new Response('slow', { status: 503, headers: { 'Retry-After': until } })]);
    const err = await failure(httpText(h.env, 'https://rss.arxiv.org/rss/cs.LG'));
    expect(err.kind).toBe('rate-limited');
    expect(err.retryAt).toBe(Date.parse(until));
    expect(h.calls).toHaveLength(1);
  });

  it('times out a request that never answers', async () => {
    const hang: FetchFn = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const err = await failure(httpText({ fetch: hang, now: () => T0, sleep: async () => {} }, 'https://bsky.social/xrpc/x', { timeoutMs: 20, attempts: 1 }));
    expect(err.kind).toBe('timeout');
  });

  it('reports offline when fetch itself fails, after retrying', async () => {
    const h = harness([() => { throw new TypeError('Failed to fetch'); }]);
    expect(await failure(httpText(h.env, 'https://rss.arxiv.org/rss/cs.LG'))).toMatchObject({ kind: 'offline' });
    expect(h.calls).toHaveLength(3);
  });

  it('stops at once when the caller aborts', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    const h = harness([new Response('ok')]);
    expect(await failure(httpText({ ...h.env, signal: ctrl.signal }, 'https://rss.arxiv.org/rss/cs.LG'))).toMatchObject({ kind: 'aborted' });
    expect(h.calls).toHaveLength(0);
  });
});

describe('httpJson', () => {
  it('parses JSON and sends Accept: application/json', async () => {
    const h = harness([new Response('{"a":1}')]);
    const { data } = await httpJson<{ a: number }>(h.env, 'https://api.semanticscholar.org/graph/v1/paper/batch');
    expect(data).toEqual({ a: 1 });
    expect(h.calls[0]!.headers.Accept).toBe('application/json');
  });

  it.each([
    ['an HTML error page', '<!DOCTYPE html><html><body>Bad gateway</body></html>'],
    ['a truncated body', '{"hits":[{"title":"x"'],
    ['an empty body', ''],
  ])('turns %s into bad-payload', async (_w, body) => {
    const h = harness([new Response(body)]);
    expect(await failure(httpJson(h.env, 'https://hn.algolia.com/api/v1/search'))).toMatchObject({ kind: 'bad-payload' });
  });

  it('returns data null for a 304', async () => {
    const h = harness([new Response(null, { status: 304 })]);
    expect((await httpJson(h.env, 'https://x.test/a', { validators: { etag: '"1"' } })).data).toBeNull();
  });
});

describe('parseRetryAfter', () => {
  it.each<[string | null, number | undefined]>([
    ['120', T0 + 120_000],
    ['0', T0],
    [new Date(T0 + 60_000).toUTCString(), T0 + 60_000],
    [new Date(T0 - 60_000).toUTCString(), T0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, T0)).toBe(expected);
  });
});

describe('issue 20: redirects and reply sizes', () => {
  it('reports an opaque redirect (fetch told not to follow) as a redirect error, not a reply, and sends once', async () => {
    const opaque = Object.defineProperties(new Response(null, { status: 200 }), { type: { value: 'opaqueredirect' }, status: { value: 0 } });
    const h = harness([() => opaque]);
    const err = await failure(httpText(h.env, 'https://bsky.social/xrpc/com.atproto.server.createSession', { method: 'POST', body: '{}' }));
    expect(err.kind).toBe('redirect');
    expect(err.message).toContain('bsky.social');
    expect(h.calls).toHaveLength(1);
  });

  it('a 307/302 reply handed back by fetch is a redirect error too', async () => {
    for (const status of [302, 307]) {
      const h = harness([new Response(null, { status, headers: { Location: 'https://evil.example/steal' } })]);
      const err = await failure(httpJson(h.env, 'https://api.x.com/2/tweets/search/recent?query=x'));
      expect(err.kind).toBe('redirect');
      expect(err.status).toBe(status);
    }
  });

  it('a reply past the cap is a too-large error, read no further than the cap (streamed body without Content-Length)', async () => {
    let pulled = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        if (pulled > 1000) c.close();
        else c.enqueue(chunk);
      },
    });
    const h = harness([() => new Response(body, { status: 200 })]);
    const err = await failure(httpText(h.env, 'https://huggingface.co/api/daily_papers', { maxBytes: 256 * 1024 }));
    expect(err.kind).toBe('too-large');
    expect(err.message).toContain('huggingface.co');
    expect(pulled).toBeLessThan(10);
  });

  it('a declared Content-Length past the cap is refused before reading; the default cap is a few MB', async () => {
    const h = harness([new Response('small really', { status: 200, headers: { 'Content-Length': String(50 * 1024 * 1024) } })]);
    expect((await failure(httpText(h.env, 'https://hn.algolia.com/api/v1/search'))).kind).toBe('too-large');
  });

  it('a body under the cap is read whole, multi-byte text intact across chunks', async () => {
    const bytes = new TextEncoder().encode('Ünïcødé — 論文 '.repeat(5000));
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 1000) c.enqueue(bytes.slice(i, i + 1000));
        c.close();
      },
    });
    const h = harness([() => new Response(body, { status: 200 })]);
    expect((await httpText(h.env, 'https://export.arxiv.org/api/query?id_list=1')).text).toBe('Ünïcødé — 論文 '.repeat(5000));
  });
});
