/**
 * HTTP for every outgoing request: timeouts, bounded retries with backoff on 5xx/429 honouring
 * Retry-After, conditional requests, and typed errors whose messages are plain words for users
 * (localized through lib/i18n.ts; code branches on `kind`, never on the words).
 * The fetch function and clock come from the caller (environment passed in).
 */
import { t } from './i18n';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export type HttpErrorKind = 'offline' | 'timeout' | 'http' | 'rate-limited' | 'auth' | 'bad-payload' | 'aborted' | 'redirect' | 'too-large';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    readonly status?: number,
    /** For 'rate-limited': epoch ms when calling again is allowed. */
    readonly retryAt?: number,
    /** For 'http': the start of the error body (arXiv's error feeds explain themselves there). */
    readonly body?: string,
  ) {
    super(message);
  }
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface HttpEnv {
  fetch: FetchFn;
  now: () => number;
  /** Waits; tests pass an instant fake. */
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  /** Attempts in total, including the first (default 3). */
  attempts?: number;
  /** Conditional request validators from a previous response. */
  validators?: Validators;
  /** Longest Retry-After we are willing to wait inside one call (default 10 s); longer → rate-limited error. */
  maxInlineWaitMs?: number;
  /** Largest body read, in bytes (default MAX_RESPONSE_BYTES); a longer reply is a 'too-large' error. */
  maxBytes?: number;
}

/**
 * The largest reply read by default: every JSON reply of a source and an arXiv API page of 100
 * papers is well under 1 MB. The daily feed passes its own, larger cap (poll.ts).
 */
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface HttpResult {
  status: number;
  /** Empty string for 304. */
  text: string;
  notModified: boolean;
  validators: Validators;
  headers: Headers;
}

export const defaultSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Parses Retry-After (seconds or HTTP date) into epoch ms; undefined when absent or garbage. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const s = value.trim();
  if (/^\d+$/.test(s)) return now + Number(s) * 1000;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? undefined : Math.max(now, ms);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Fetches `url` as text. Throws HttpError for every failure; never returns a non-2xx/304 status.
 * Errors name the host, never the query string (which may carry a search term) or headers (which
 * may carry credentials).
 */
export async function httpText(env: HttpEnv, url: string, opts: RequestOptions = {}): Promise<HttpResult> {
  const attempts = opts.attempts ?? 3;
  const sleep = env.sleep ?? defaultSleep;
  const host = hostOf(url);
  let lastError: HttpError | undefined;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (env.signal?.aborted) throw new HttpError('aborted', t('httpCancelled', host));
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.validators?.etag) headers['If-None-Match'] = opts.validators.etag;
    if (opts.validators?.lastModified) headers['If-Modified-Since'] = opts.validators.lastModified;
    const ctrl = new AbortController();
    const onAbort = () => ctrl.abort();
    env.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 20_000);
    let res: Response;
    let text: string;
    try {
      res = await env.fetch(url, { method: opts.method ?? 'GET', headers, body: opts.body, signal: ctrl.signal });
      // A fetch that was told not to follow redirects (a request carrying a credential, see
      // guardFetch) answers an opaque redirect: say so instead of treating it as a reply.
      if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400 && res.status !== 304)) {
        void res.body?.cancel().catch(() => undefined);
        throw new HttpError('redirect', t('httpRedirect', host), res.status || undefined);
      }
      text = res.status === 304 ? '' : await readCapped(res, opts.maxBytes ?? MAX_RESPONSE_BYTES, host);
    } catch (err) {
      if (err instanceof HttpError) throw err;
      const timedOut = ctrl.signal.aborted && !env.signal?.aborted;
      lastError = env.signal?.aborted
        ? new HttpError('aborted', t('httpCancelled', host))
        : timedOut
          ? new HttpError('timeout', t('httpTimeout', host))
          : new HttpError('offline', t('httpOffline', host));
      if (lastError.kind === 'aborted') throw lastError;
      if (attempt + 1 < attempts) await sleep(backoff(attempt));
      continue;
    } finally {
      clearTimeout(timer);
      env.signal?.removeEventListener('abort', onAbort);
    }
    const validators: Validators = {
      etag: res.headers.get('ETag') ?? undefined,
      lastModified: res.headers.get('Last-Modified') ?? undefined,
    };
    if (res.status === 304) return { status: 304, text: '', notModified: true, validators: { ...opts.validators, ...strip(validators) }, headers: res.headers };
    if (res.ok) return { status: res.status, text, notModified: false, validators, headers: res.headers };
    if (res.status === 401 || res.status === 403) {
      throw new HttpError('auth', t('httpAuth', host, res.status), res.status);
    }
    if (res.status === 429 || res.status === 503) {
      const now = env.now();
      const retryAt = parseRetryAfter(res.headers.get('Retry-After'), now) ?? now + backoff(attempt) * 10;
      const wait = retryAt - now;
      lastError = new HttpError('rate-limited', t('httpRateLimited', host, new Date(retryAt).toISOString()), res.status, retryAt);
      if (wait > (opts.maxInlineWaitMs ?? 10_000) || attempt + 1 >= attempts) throw lastError;
      await sleep(wait);
      continue;
    }
    lastError = new HttpError('http', t('httpStatus', host, res.status), res.status, undefined, text.slice(0, 65_536));
    if (res.status >= 500 && attempt + 1 < attempts) {
      await sleep(backoff(attempt));
      continue;
    }
    throw lastError;
  }
  throw lastError ?? new HttpError('offline', t('httpUnreachable', host));
}

/**
 * Reads a body as text, at most `max` bytes: res.text() would hold any body whole, however large.
 * A declared or actual length past the cap stops the read and is a 'too-large' error.
 */
export async function readCapped(res: Response, max: number, host: string): Promise<string> {
  const tooLarge = () => new HttpError('too-large', t('httpTooLarge', host, Math.round(max / 1024 / 1024) || 1), res.status);
  const declared = Number(res.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > max) {
    void res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return res.text();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let out = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    out += decoder.decode(value, { stream: true });
  }
  return out + decoder.decode();
}

function strip(v: Validators): Validators {
  const out: Validators = {};
  if (v.etag) out.etag = v.etag;
  if (v.lastModified) out.lastModified = v.lastModified;
  return out;
}

/** Exponential backoff with jitter: ~1 s, 2 s, 4 s … */
export function backoff(attempt: number): number {
  return Math.round(1000 * 2 ** attempt * (0.75 + Math.random() * 0.5));
}

/** Fetches and parses JSON; a body that is not JSON (an HTML error page, a truncated reply) is a 'bad-payload' error. */
export async function httpJson<T = unknown>(env: HttpEnv, url: string, opts: RequestOptions = {}): Promise<{ data: T | null; result: HttpResult }> {
  const result = await httpText(env, url, { ...opts, headers: { Accept: 'application/json', ...(opts.headers ?? {}) } });
  if (result.notModified) return { data: null, result };
  try {
    return { data: JSON.parse(result.text) as T, result };
  } catch {
    throw new HttpError('bad-payload', t('httpNotJson', hostOf(url)), result.status);
  }
}
