/**
 * Maps identifiers and links found in third-party payloads to the papers a source was asked about.
 * Payload text is untrusted: an id is accepted only when it parses as an arXiv id or is exactly one
 * of the requested (already validated, cached) ids, and the returned value is always the cached id.
 */
import { normalizeArxivId } from '../arxiv/ids';
import type { Paper } from '../types';

const ARXIV_HOSTS = new Set(['arxiv.org', 'www.arxiv.org', 'export.arxiv.org', 'browse.arxiv.org']);
const ALPHAXIV_HOSTS = new Set(['alphaxiv.org', 'www.alphaxiv.org']);
// Path kinds that carry an id right after them on arxiv.org (and alphaxiv.org/abs|overview).
const KINDS = new Set(['abs', 'pdf', 'html', 'format', 'src', 'ps', 'overview']);

export class PaperMatcher {
  private readonly wanted: Set<string>;

  constructor(papers: readonly Pick<Paper, 'id'>[]) {
    this.wanted = new Set(papers.map((p) => p.id));
  }

  get size(): number {
    return this.wanted.size;
  }

  has(id: string): boolean {
    return this.wanted.has(id);
  }

  /** A bare id from a payload (`2605.06554`, `2605.06554v2`) → requested id, or null. */
  fromId(raw: unknown): string | null {
    if (typeof raw !== 'string' || raw.length > 100) return null;
    const s = raw.trim();
    const id = normalizeArxivId(s) ?? s.replace(/v\d+$/, '');
    return this.wanted.has(id) ? id : null;
  }

  /**
   * A link (abs, pdf, html, `/abs/<id>/versions`-like tails, alphaxiv, doi.org) → requested id, or null.
   * Falls back to a path-segment reading for ids the strict parser rejects but the cache holds.
   */
  fromUrl(raw: unknown): string | null {
    if (typeof raw !== 'string' || raw.length > 500) return null;
    const direct = normalizeArxivId(raw);
    if (direct && this.wanted.has(direct)) return direct;
    let url: URL;
    try {
      url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(raw.trim()) ? raw.trim() : `https://${raw.trim()}`);
    } catch {
      return null;
    }
    const host = url.hostname.toLowerCase();
    if (!ARXIV_HOSTS.has(host) && !ALPHAXIV_HOSTS.has(host)) return direct && this.wanted.has(direct) ? direct : null;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return null;
    }
    const segs = path.split('/').filter(Boolean);
    if (segs.length < 2 || !KINDS.has(segs[0]!)) return null;
    // Old-style ids span two segments (hep-th/9901001); try the longer reading first.
    for (const n of [2, 1]) {
      const cand = segs
        .slice(1, 1 + n)
        .join('/')
        .replace(/\.pdf$/i, '')
        .replace(/v\d+$/, '');
      const norm = normalizeArxivId(cand) ?? cand;
      if (this.wanted.has(norm)) return norm;
    }
    return null;
  }
}

/** A non-negative integer count from an untrusted value (missing, negative, NaN, strings → 0). */
export function count(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.floor(v) : 0;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `YYYY-MM-DD` of an epoch ms in UTC. */
export function utcDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Adds `n` days to a `YYYY-MM-DD` day. */
export function addDays(day: string, n: number): string {
  return utcDay(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000);
}

export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
