import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { API_BATCH_SIZE, API_MIN_INTERVAL_MS, ArxivApiError, apiUrl, fetchPapersByIds, parseApiFeed } from '../../lib/arxiv/api';
import { openHotDb, type HotDb } from '../../lib/store/db';
import { HttpError } from '../../lib/http';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const T0 = Date.UTC(2026, 3, 12, 22, 0);

describe('parseApiFeed', () => {
  it('reads the 2026 layout (1 of 2 ids found)', () => {
    const r = parseApiFeed(fixture('arxiv_api_idlist_2026-04.xml'), T0);
    expect(r.errors).toEqual([]);
    expect(r.papers).toHaveLength(1);
    const p = r.papers[0]!;
    expect(p).toMatchObject({
      id: '1707.08567',
      version: 1,
      title: 'Proceedings of Workshop AEW10: Concepts in Information Theory and Communications',
      primaryCategory: 'cs.IT',
      categories: ['cs.IT'],
      origin: 'api',
      firstSeen: T0,
    });
    expect(p.announced).toBeUndefined();
    expect(p.authors).toHaveLength(34);
    expect(p.authors[0]).toBe('Kees A. Schouhamer Immink');
    expect(p.abstract.startsWith('The 10th Asia-Europe workshop')).toBe(true);
  });

  it('reads the legacy layout: wrapped title and abstract, inline namespaces, DOI, primary first', () => {
    const p = parseApiFeed(fixture('arxiv_api_idlist_legacy.xml'), T0).papers[0]!;
    expect(p).toMatchObject({
      id: '1111.2011',
      version: 2,
      title: 'Quantum Criticality for Extended Nodes on a Bethe Lattice in the Large Connectivity Limit',
      authors: ['James M. Murray', 'Adrian Del Maestro', 'Zlatko Tesanovic'],
      primaryCategory: 'cond-mat.str-el',
      categories: ['cond-mat.str-el', 'cond-mat.stat-mech'],
      doi: '10.1103/PhysRevB.85.115117',
    });
    expect(p.abstract).not.toMatch(/\n/);
    expect(p.abstract.startsWith('Theoretical description of anisotropic systems')).toBe(true);
  });

  it('reads a 10-entry search response, primary category first even when listed second', () => {
    const r = parseApiFeed(fixture('arxiv_api_search_2026-04.xml'), T0);
    expect(r.papers).toHaveLength(10);
    expect(r.skipped).toBe(0);
    for (const p of r.papers) expect(p.categories[0]).toBe(p.primaryCategory);
    expect(r.papers[0]).toMatchObject({ id: '2202.12139', primaryCategory: 'cs.SE', categories: ['cs.SE', 'cs.LG'], doi: '10.1109/ICSTW55395.2022.00035' });
  });

  // Hand-written: the API's error entry for a malformed id (shape as documented in the arXiv API manual).
  const errorFeed = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>arXiv Query</title>
<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id><title>Error</title>
<summary>incorrect id format for 1234.12345</summary></entry></feed>`;

  it("collects the API's error entries as errors, not papers", () => {
    expect(parseApiFeed(errorFeed, T0)).toEqual({ papers: [], errors: ['incorrect id format for 1234.12345'], skipped: 0 });
  });

  it.each([
    ['HTML', '<!DOCTYPE html><html><body>Service Unavailable</body></html>'],
    ['truncated XML', fixture('arxiv_api_idlist_legacy.xml').slice(0, 1500)],
    ['RSS instead of Atom', fixture('rss_cs.CV_2023-10-26.xml')],
  ])('rejects %s with ArxivApiError', (_w, body) => {
    expect(() => parseApiFeed(body, T0)).toThrow(ArxivApiError);
  });
});

describe('fetchPapersByIds', () => {
  let db: HotDb;
  let t: number;
  let calls: { url: string; at: number }[];
  let n = 0;
  const env = (respond: (url: string) => Response) => ({
    db,
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
    fetch: async (url: string) => {
      calls.push({ url, at: t });
      t += 200; // the request itself takes a while
      return respond(url);
    },
  });
  const serve = (body: string) => () => new Response(body, { status: 200, headers: { 'Content-Type': 'application/atom+xml' } });

  beforeEach(async () => {
    db = await openHotDb(`api-${++n}`);
    t = T0;
    calls = [];
  });

  it('returns found papers with origin api, and invalid or unknown ids as missing, in one request', async () => {
    const r = await fetchPapersByIds(env(serve(fixture('arxiv_api_idlist_2026-04.xml'))), ['arXiv:1707.08567v1', '0808.05394', '2101.00001']);
    expect(r.papers.map((p) => [p.id, p.origin])).toEqual([['1707.08567', 'api']]);
    expect(r.missing.sort()).toEqual(['0808.05394', '2101.00001']);
    expect(r.requests).toBe(1);
    expect(calls[0]!.url).toBe('https://export.arxiv.org/api/query?id_list=1707.08567,2101.00001&max_results=2');
  });

  it('batches ≤ 100 ids per request and spaces requests ≥ 3 s apart', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `2101.${String(i + 1).padStart(5, '0')}`);
    const r = await fetchPapersByIds(env(serve(fixture('arxiv_api_idlist_2026-04.xml'))), ids);
    expect(r.requests).toBe(3);
    expect(calls).toHaveLength(3);
    for (const c of calls) expect(new URL(c.url).searchParams.get('id_list')!.split(',').length).toBeLessThanOrEqual(API_BATCH_SIZE);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(API_MIN_INTERVAL_MS);
    expect(r.missing).toHaveLength(250);
  });

  it('counts the 3 s from when a request really went out: a late timer or a slow send does not squeeze the next one', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `2101.${String(i + 1).padStart(5, '0')}`);
    let sleeps = 0;
    const e = env(serve(fixture('arxiv_api_idlist_2026-04.xml')));
    // The second wait oversleeps by 700 ms (a busy worker), the third one is exact.
    e.sleep = async (ms: number) => {
      t += ms + (++sleeps === 1 ? 700 : 0);
    };
    await fetchPapersByIds(e, ids);
    expect(calls).toHaveLength(3);
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(API_MIN_INTERVAL_MS);
  });

  it('keeps the spacing across a worker restart (state in the db, not in memory)', async () => {
    const respond = serve(fixture('arxiv_api_idlist_legacy.xml'));
    await fetchPapersByIds(env(respond), ['1111.2011']);
    // A "new worker": same database, fresh module-level nothing; one second later.
    t += 1000;
    const again = await openHotDb(`api-${n}`);
    db = again;
    await fetchPapersByIds(env(respond), ['1111.2011']);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(API_MIN_INTERVAL_MS);
  });

  it('serialises concurrent callers through the same slot', async () => {
    const respond = serve(fixture('arxiv_api_idlist_legacy.xml'));
    await Promise.all([fetchPapersByIds(env(respond), ['1111.2011']), fetchPapersByIds(env(respond), ['1111.2011'])]);
    const [a, b] = calls.map((c) => c.at).sort((x, y) => x - y);
    expect(b! - a!).toBeGreaterThanOrEqual(API_MIN_INTERVAL_MS);
  });

  it('sends no request when every id is invalid', async () => {
    const r = await fetchPapersByIds(env(serve('')), ['not-an-id', 'https://example.com/abs/2101.00001']);
    expect(r).toEqual({ papers: [], missing: ['not-an-id', 'https://example.com/abs/2101.00001'], requests: 0 });
    expect(calls).toHaveLength(0);
  });

  it('throws on a 429 and makes the next call wait for Retry-After', async () => {
    const limited = () => new Response('slow down', { status: 429, headers: { 'Retry-After': '60' } });
    await expect(fetchPapersByIds(env(limited), ['1111.2011'])).rejects.toBeInstanceOf(HttpError);
    expect(calls).toHaveLength(1);
    await fetchPapersByIds(env(serve(fixture('arxiv_api_idlist_legacy.xml'))), ['1111.2011']);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(60_000);
  });

  it('throws ArxivApiError when the API answers only with an error entry', async () => {
    const body = `<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/api/errors#x</id><title>Error</title><summary>incorrect id format</summary></entry></feed>`;
    await expect(fetchPapersByIds(env(serve(body)), ['1111.2011'])).rejects.toThrow(/incorrect id format/);
  });

  it('builds id_list URLs with max_results equal to the batch', () => {
    expect(apiUrl(['2101.00001', 'hep-th/9901001'])).toBe('https://export.arxiv.org/api/query?id_list=2101.00001,hep-th/9901001&max_results=2');
  });
});
