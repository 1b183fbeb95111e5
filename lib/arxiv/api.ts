/**
 * arXiv API (export.arxiv.org/api/query, Atom) for papers a user meets on a page that no polled
 * feed carried. arXiv's API terms allow one request every 3 seconds from a client; the spacing is
 * reserved in the db meta store, so it holds across service-worker restarts and concurrent callers.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { HotDb } from '../store/db';
import { defaultSleep, httpText, HttpError, type HttpEnv } from '../http';
import { t } from '../i18n';
import type { Paper } from '../types';
import { parseArxivId } from './ids';
import { texToUnicode } from './authors';

export const API_MIN_INTERVAL_MS = 3_000;
/** Ids per id_list request: long enough to batch a listing page, short enough for URL limits. */
export const API_BATCH_SIZE = 100;
export const API_SLOT_KEY = 'arxivApi:nextSlot';

export class ArxivApiError extends Error {
  override name = 'ArxivApiError';
}

export interface ApiParse {
  papers: Paper[];
  /** Messages of the API's own error entries (e.g. "incorrect id format for …"). */
  errors: string[];
  skipped: number;
}

let parser: XMLParser | undefined;
function xml(): XMLParser {
  parser ??= new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => name === 'entry' || name === 'author' || name === 'category' || name === 'link',
    htmlEntities: false,
  });
  return parser;
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : isNode(v) && typeof v['#text'] === 'string' ? v['#text'] : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

function toPaper(e: Node, now: number): Paper | null {
  const parsed = parseArxivId(text(e.id));
  const title = squash(text(e.title));
  if (!parsed || !title) return null;
  const terms = list(e.category).map((c) => (isNode(c) ? String(c['@term'] ?? '').trim() : '')).filter(Boolean);
  const pc = e['arxiv:primary_category'];
  const primary = (isNode(pc) ? String(pc['@term'] ?? '') : '') || terms[0] || '';
  if (!primary) return null;
  const paper: Paper = {
    id: parsed.id,
    version: parsed.version ?? 1,
    title,
    authors: list(e.author).map((a) => squash(texToUnicode(text(isNode(a) ? a.name : '')))).filter(Boolean),
    abstract: squash(text(e.summary)),
    categories: [primary, ...terms.filter((t) => t !== primary)],
    primaryCategory: primary,
    firstSeen: now,
    updatedAt: now,
    origin: 'api',
  };
  const doi = text(e['arxiv:doi']).trim();
  if (doi) paper.doi = doi;
  return paper;
}

/** Parses one API response (both the 2026 layout and the legacy pre-2025 one). */
export function parseApiFeed(body: string, now: number): ApiParse {
  const head = body.slice(0, 256).trimStart().toLowerCase();
  if (!head.startsWith('<?xml') && !head.startsWith('<feed')) throw new ArxivApiError(t('apiNotResults'));
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new ArxivApiError(t('apiBrokenXml', valid.err.line));
  const doc = xml().parse(body) as Node;
  if (!isNode(doc.feed)) throw new ArxivApiError(t('apiNotAtom'));
  const papers: Paper[] = [];
  const errors: string[] = [];
  let skipped = 0;
  for (const e of list(doc.feed.entry).filter(isNode)) {
    // The API reports a bad query as an entry whose id points at /api/errors.
    if (/\/api\/errors/.test(text(e.id))) {
      errors.push(squash(text(e.summary)) || t('apiErrorEntry'));
      continue;
    }
    const p = toPaper(e, now);
    if (p) papers.push(p);
    else skipped++;
  }
  return { papers, errors, skipped };
}

// Validated ids contain only [a-z0-9./-], which need no escaping in a query string.
export function apiUrl(ids: readonly string[]): string {
  return `https://export.arxiv.org/api/query?id_list=${ids.join(',')}&max_results=${ids.length}`;
}

interface Slot {
  /** Epoch ms before which no API request may start. */
  next: number;
  /** When `next` was written; a value in the future means the clock went back, so it is ignored. */
  setAt: number;
}

async function updateSlot(db: HotDb, now: number, decide: (next: number) => number): Promise<number> {
  const tx = db.transaction('meta', 'readwrite');
  const stored = (await tx.store.get(API_SLOT_KEY)) as Slot | undefined;
  const next = stored && typeof stored.next === 'number' && stored.setAt <= now ? stored.next : now;
  const result = decide(next);
  await tx.store.put({ next: Math.max(next, result), setAt: now } satisfies Slot, API_SLOT_KEY);
  await tx.done;
  return result;
}

/** Reserves the next API slot atomically (one readwrite transaction); returns when it starts. */
async function reserveSlot(db: HotDb, now: number): Promise<number> {
  let slot = now;
  await updateSlot(db, now, (next) => {
    slot = Math.max(now, next);
    return slot + API_MIN_INTERVAL_MS;
  });
  return slot;
}

/** Pushes the shared slot to `until` (arXiv said "slow down"), so nobody calls before then. */
async function blockUntil(db: HotDb, now: number, until: number): Promise<void> {
  await updateSlot(db, now, (next) => Math.max(next, until));
}

/**
 * Looks papers up by id, ≤ API_BATCH_SIZE per request, ≥ 3 s apart. Invalid ids and ids arXiv
 * does not know are returned in `missing`. Throws HttpError / ArxivApiError when a request fails,
 * so callers keep the ids pending rather than mark them missing.
 */
export async function fetchPapersByIds(
  env: HttpEnv & { db: HotDb },
  ids: string[],
): Promise<{ papers: Paper[]; missing: string[]; requests: number }> {
  const sleep = env.sleep ?? defaultSleep;
  const wanted: string[] = [];
  const missing: string[] = [];
  for (const raw of ids) {
    const id = parseArxivId(raw)?.id;
    if (!id) missing.push(raw);
    else if (!wanted.includes(id)) wanted.push(id);
  }
  const found = new Map<string, Paper>();
  let requests = 0;
  for (let i = 0; i < wanted.length; i += API_BATCH_SIZE) {
    const batch = wanted.slice(i, i + API_BATCH_SIZE);
    const slot = await reserveSlot(env.db, env.now());
    const wait = slot - env.now();
    if (wait > 0) await sleep(wait);
    requests++;
    let body: string;
    try {
      // One attempt: a retry inside http.ts would not respect the 3-second spacing.
      body = (await httpText(env, apiUrl(batch), { attempts: 1, timeoutMs: 30_000, headers: { Accept: 'application/atom+xml' } })).text;
    } catch (err) {
      if (err instanceof HttpError && err.retryAt) await blockUntil(env.db, env.now(), err.retryAt);
      throw err;
    } finally {
      // The reserved slot assumed the request left on time; a busy worker may have sent it late.
      // Counting the 3 s from its answer keeps every two requests ≥ 3 s apart at arXiv's end too.
      await blockUntil(env.db, env.now(), env.now() + API_MIN_INTERVAL_MS);
    }
    const parsed = parseApiFeed(body, env.now());
    // The entries' own words are arXiv's (English); only the frame around them is ours.
    if (parsed.errors.length && parsed.papers.length === 0) throw new ArxivApiError(t('apiErrors', parsed.errors.join('; ')));
    for (const p of parsed.papers) if (batch.includes(p.id)) found.set(p.id, p);
  }
  for (const id of wanted) if (!found.has(id)) missing.push(id);
  return { papers: wanted.filter((id) => found.has(id)).map((id) => found.get(id)!), missing, requests };
}
