/**
 * arXiv identifiers in every form users, pages, feeds and third-party services carry.
 * The normalized id is the versionless canonical form: `2408.01234`, `0704.0001`, `hep-th/9901001`.
 * Old-style ids drop the subject class (`math.GT/0309136` → `math/0309136`), because that is the
 * id arXiv itself resolves and lists; the class is not part of the identifier.
 */

export interface ArxivId {
  /** Normalized, versionless id. */
  id: string;
  /** Explicit version, if the input carried one. */
  version?: number;
}

// New style (since April 2007): YYMM.NNNN until 2014, YYMM.NNNNN from 2015.
const NEW_STYLE = /^(\d{2})(\d{2})\.(\d{4,5})(?:v(\d+))?$/;
// Old style (1991 – March 2007): archive[.SUBJ]/YYMMNNN.
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)?)(?:\.([A-Za-z]{2}))?\/(\d{2})(\d{2})(\d{3})(?:v(\d+))?$/;

function validMonth(mm: string): boolean {
  const m = Number(mm);
  return m >= 1 && m <= 12;
}

function version(v: string | undefined): number | undefined | null {
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) && n >= 1 ? n : null;
}

/** Parses a bare identifier (`2408.01234v3`, `math.GT/0309136v2`); null when it is not one. */
export function parseBareId(raw: string): ArxivId | null {
  const s = raw.trim();
  let m = NEW_STYLE.exec(s);
  if (m) {
    const [, yy, mm, num, v] = m as unknown as [string, string, string, string, string | undefined];
    if (!validMonth(mm)) return null;
    const year = Number(yy);
    // 4-digit numbers were used up to 1412, 5-digit from 1501 on; 0704 was the first new-style month.
    if (num.length === 4 && (year > 14 || (year === 7 && Number(mm) < 4) || year < 7)) return null;
    if (num.length === 5 && year < 15) return null;
    const ver = version(v);
    if (ver === null) return null;
    return ver === undefined ? { id: `${yy}${mm}.${num}` } : { id: `${yy}${mm}.${num}`, version: ver };
  }
  m = OLD_STYLE.exec(s);
  if (m) {
    const [, archive, , yy, mm, num, v] = m as unknown as [string, string, string | undefined, string, string, string, string | undefined];
    if (!validMonth(mm)) return null;
    const year = Number(yy);
    // Old-style ids run from 9108 to 0703.
    if (!(year >= 91 || year <= 7)) return null;
    const ver = version(v);
    if (ver === null) return null;
    const id = `${archive}/${yy}${mm}${num}`;
    return ver === undefined ? { id } : { id, version: ver };
  }
  return null;
}

const ARXIV_HOSTS = new Set(['arxiv.org', 'www.arxiv.org', 'export.arxiv.org']);
const ALPHAXIV_HOSTS = new Set(['alphaxiv.org', 'www.alphaxiv.org']);
const DOI_HOSTS = new Set(['doi.org', 'dx.doi.org', 'www.doi.org']);

function fromPath(path: string): ArxivId | null {
  // `/pdf/<id>[vN][.pdf]`, `/abs/<id>[vN]`, `/html/<id>[vN][/...]`; old-style ids contain a slash.
  const m = /^\/(abs|pdf|html)\/(.+?)\/?$/.exec(path);
  if (!m) return null;
  const [, kind, rest] = m as unknown as [string, string, string];
  let candidate = rest;
  if (kind === 'pdf') candidate = candidate.replace(/\.pdf$/i, '');
  const direct = parseBareId(candidate);
  if (direct) return direct;
  if (kind === 'html') {
    // HTML renderings have sub-resources: /html/2310.08262v1/x1.png or /html/2310.08262v1/#S2
    const parts = candidate.split('/');
    for (const n of [1, 2]) {
      const head = parseBareId(parts.slice(0, n).join('/'));
      if (head) return head;
    }
  }
  return null;
}

/**
 * Parses any supported form: bare ids, `arXiv:` prefixes, `oai:arXiv.org:` RSS guids, arxiv.org /
 * www / export URLs for abs, pdf and html, alphaxiv.org/abs, and DOIs `10.48550/arXiv.<id>` (bare
 * or as doi.org URLs). Anything else is rejected with null.
 */
export function parseArxivId(input: string): ArxivId | null {
  if (typeof input !== 'string') return null;
  const s = input.trim();
  if (s.length === 0 || s.length > 300) return null;

  const bare = parseBareId(s);
  if (bare) return bare;

  let m = /^oai:arxiv\.org:(.+)$/i.exec(s);
  if (m) return parseBareId(m[1]!);
  m = /^arxiv:(.+)$/i.exec(s);
  if (m) return parseBareId(m[1]!);
  m = /^(?:doi:)?10\.48550\/arxiv\.(.+)$/i.exec(s);
  if (m) return parseBareId(m[1]!);

  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(s) ? s : `https://${s}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    // A malformed percent escape is not an identifier (and must not throw out of a page scan).
    return null;
  }
  if (ARXIV_HOSTS.has(host)) return fromPath(path);
  if (ALPHAXIV_HOSTS.has(host)) {
    const am = /^\/(?:abs|overview)\/(.+?)\/?$/.exec(path);
    return am ? parseBareId(am[1]!) : null;
  }
  if (DOI_HOSTS.has(host)) {
    const dm = /^\/10\.48550\/arxiv\.(.+)$/i.exec(path);
    return dm ? parseBareId(dm[1]!) : null;
  }
  return null;
}

/** The normalized (versionless) id, or null. */
export function normalizeArxivId(input: string): string | null {
  return parseArxivId(input)?.id ?? null;
}

/** Links are only ever built from validated ids (never from page- or API-supplied hrefs). */
export function absUrl(id: string): string {
  return `https://arxiv.org/abs/${id}`;
}

export function pdfUrl(id: string): string {
  return `https://arxiv.org/pdf/${id}`;
}

export function listUrl(category: string): string {
  return `https://arxiv.org/list/${encodeURIComponent(category)}/recent`;
}
