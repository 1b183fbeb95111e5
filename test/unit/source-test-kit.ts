/**
 * Shared helpers for the engagement-source tests: a fake fetch that records every call, an
 * in-memory source state, recorded fixtures, and one table of failure modes every source must
 * survive (401/403, 429 + Retry-After, 500, timeout, HTML error page, truncated JSON).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';
import { HttpError } from '../../lib/http';
import { SourceError, type Credentials, type EngagementSource, type SourceEnv } from '../../lib/sources/types';
import type { Paper } from '../../lib/types';

export const NOW = Date.parse('2026-05-18T12:00:00Z');

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8');
}

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

export type Handler = (url: string, init: RequestInit | undefined, n: number) => Response | Promise<Response>;

export function fakeFetch(handler: Handler) {
  const calls: Call[] = [];
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    calls.push({ url, method: init?.method ?? 'GET', headers: { ...((init?.headers as Record<string, string>) ?? {}) }, body: init?.body as string | undefined });
    return handler(url, init, calls.length);
  };
  return { fetch, calls };
}

export function memState(initial: Record<string, unknown> = {}) {
  const data = new Map<string, unknown>(Object.entries(initial));
  return {
    data,
    get: async <T>(k: string) => structuredClone(data.get(k)) as T | undefined,
    set: async (k: string, v: unknown) => void data.set(k, structuredClone(v)),
  };
}

export function sourceEnv(fetch: SourceEnv['fetch'], over: Partial<SourceEnv> = {}): SourceEnv {
  return { fetch, now: () => NOW, sleep: async () => {}, credentials: {}, state: memState(), ...over };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

export function paper(id: string, announced?: string, extra: Partial<Paper> = {}): Paper {
  return {
    id,
    version: 1,
    title: `Paper ${id}`,
    authors: ['A. Author'],
    abstract: '',
    categories: ['cs.LG'],
    primaryCategory: 'cs.LG',
    announced,
    firstSeen: NOW - 3_600_000,
    updatedAt: NOW - 3_600_000,
    origin: 'rss',
    ...extra,
  };
}

/** A fetch that never answers until aborted (a request that times out). */
export const hang: Handler = (_url, init) =>
  new Promise<Response>((_, reject) => {
    init?.signal?.addEventListener('abort', () => reject(new DOMException('The operation was aborted.', 'AbortError')));
  });

export const HTML_ERROR_PAGE =
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

export interface FailureCase {
  source: EngagementSource;
  papers: Paper[];
  credentials?: Credentials;
  /** Prepared state (e.g. a valid Bluesky session). */
  state?: () => Record<string, unknown>;
  /** The normal answer for any request not under test. */
  ok: Handler;
  /** Which requests get the failure. */
  target: (url: string) => boolean;
  /** A truncated copy of a real reply for this endpoint. */
  truncated: string;
  /** What a 401/403 must become: an auth HttpError, or the source's own auth-needed SourceError. */
  authAs: 'http' | 'source-auth-needed';
}

async function run(c: FailureCase, fail: Handler) {
  const { fetch, calls } = fakeFetch((url, init, n) => (c.target(url) ? fail(url, init, n) : c.ok(url, init, n)));
  const env = sourceEnv(fetch, { credentials: c.credentials ?? {}, state: memState(c.state?.() ?? {}) });
  const outcome = await c.source.fetchSignals(c.papers, env).then(
    (r) => ({ ok: true as const, r }),
    (e: unknown) => ({ ok: false as const, e }),
  );
  return { outcome, calls };
}

/** Declares the failure-mode tests for one source. */
export function failureModes(c: FailureCase): void {
  for (const status of [401, 403]) {
    it(`HTTP ${status} is an authentication failure, not a crash or empty data`, async () => {
      const { outcome } = await run(c, () => json({ error: 'AuthenticationRequired', message: 'Authentication Required' }, status));
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      if (c.authAs === 'http') {
        expect(outcome.e).toBeInstanceOf(HttpError);
        expect((outcome.e as HttpError).kind).toBe('auth');
      } else {
        expect(outcome.e).toBeInstanceOf(SourceError);
        expect((outcome.e as SourceError).kind).toBe('auth-needed');
      }
    });
  }

  it('HTTP 429 with Retry-After reports when calling again is allowed', async () => {
    const { outcome } = await run(c, () => json({ message: 'Too Many Requests' }, 429, { 'Retry-After': '120' }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.e).toBeInstanceOf(HttpError);
    expect((outcome.e as HttpError).kind).toBe('rate-limited');
    expect((outcome.e as HttpError).retryAt).toBe(NOW + 120_000);
  });

  it('HTTP 500 is retried a bounded number of times, then reported', async () => {
    const { outcome, calls } = await run(c, () => new Response('Internal Server Error', { status: 500 }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect((outcome.e as HttpError).kind).toBe('http');
    expect((outcome.e as HttpError).status).toBe(500);
    const failing = calls.filter((x) => c.target(x.url)).length;
    expect(failing).toBeGreaterThanOrEqual(1);
    expect(failing).toBeLessThanOrEqual(3);
  });

  it('a request that never answers times out', async () => {
    vi.useFakeTimers();
    try {
      const pending = run(c, hang);
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      const { outcome } = await pending;
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect((outcome.e as HttpError).kind).toBe('timeout');
    } finally {
      vi.useRealTimers();
    }
  });

  it('an HTML error page with status 200 is a bad payload', async () => {
    const { outcome } = await run(c, () => new Response(HTML_ERROR_PAGE, { status: 200, headers: { 'Content-Type': 'text/html' } }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect((outcome.e as HttpError).kind).toBe('bad-payload');
  });

  it('a truncated JSON reply is a bad payload', async () => {
    const { outcome } = await run(c, () => json(c.truncated));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect((outcome.e as HttpError).kind).toBe('bad-payload');
  });

  it('HTTP 304 to a request that carried no validators is a bad payload, never empty data', async () => {
    // Only a conditional request may be answered 304; anything else must not read as "no signals".
    const { outcome } = await run(c, () => new Response(null, { status: 304 }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.e).toBeInstanceOf(SourceError);
    expect((outcome.e as SourceError).kind).toBe('bad-payload');
  });

  it('a JSON reply of the wrong shape is a bad payload', async () => {
    const { outcome } = await run(c, () => json({ unexpected: true }));
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.e).toBeInstanceOf(SourceError);
    expect((outcome.e as SourceError).kind).toBe('bad-payload');
  });
}
