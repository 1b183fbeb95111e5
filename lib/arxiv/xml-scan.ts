/**
 * A linear reader for arXiv's RSS 2.0 feeds, used after fast-xml-parser's validator has accepted
 * the document. arXiv's feed app writes flat items (one level of children, escaped text, no
 * CDATA in practice), and a joined feed can hold 2000 items (~4 MB): building the full object
 * tree with XMLParser took 150–250 ms of the 300 ms budget for parse + store, this takes a
 * fraction of that.
 */
import { t } from '../i18n';

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function codePoint(n: number, raw: string): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : raw;
}

/** Resolves the five XML entities, character references and CDATA sections, in one pass. */
export function decodeXml(s: string): string {
  if (!s.includes('&') && !s.includes('<![CDATA[')) return s;
  return s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (m, cdata?: string, ent?: string) => {
    if (cdata !== undefined) return cdata;
    if (ent!.startsWith('#x')) return codePoint(parseInt(ent!.slice(2), 16), m);
    if (ent!.startsWith('#')) return codePoint(parseInt(ent!.slice(1), 10), m);
    return NAMED[ent!] ?? m;
  });
}

const ELEMENT_AT = /<([A-Za-z_][\w:.-]*)[\s/>]/y;

/**
 * The name of the document element (`rss`, `feed`, `html` …), or null. Reads forward past
 * processing instructions and comments only as far as that element: a copy of the whole body
 * without them (4 MB for a big feed) is not needed to find it. For a well-formed body (parseFeed
 * checks first) the answer is that of stripping them all and taking the first element.
 */
export function rootElement(body: string): string | null {
  for (let i = body.indexOf('<'); i !== -1; i = body.indexOf('<', i)) {
    const pi = body.startsWith('<?', i);
    const end = pi ? body.indexOf('?>', i + 2) : body.startsWith('<!--', i) ? body.indexOf('-->', i + 4) : -1;
    if (end !== -1) {
      i = end + (pi ? 2 : 3);
      continue;
    }
    ELEMENT_AT.lastIndex = i;
    const m = ELEMENT_AT.exec(body);
    if (m) return m[1]!;
    i++;
  }
  return null;
}

export type Fields = Map<string, string[]>;

const CHILD = /<([A-Za-z_][\w:.-]*)(?:\s[^>]*?)?(?:\/>|>([\s\S]*?)<\/\1\s*>)/g;

/** Direct children of an element's content: name → decoded, trimmed texts in document order. */
export function childFields(content: string): Fields {
  const out: Fields = new Map();
  CHILD.lastIndex = 0;
  for (let m = CHILD.exec(content); m; m = CHILD.exec(content)) {
    const value = decodeXml(m[2] ?? '').trim();
    const prev = out.get(m[1]!);
    if (prev) prev.push(value);
    else out.set(m[1]!, [value]);
  }
  return out;
}

export interface ScannedRss {
  channel: Fields;
  items: Fields[];
}

function openTagEnd(body: string, name: string, from: number): { start: number; end: number } | null {
  let i = body.indexOf(`<${name}`, from);
  while (i !== -1) {
    const next = body.charCodeAt(i + name.length + 1);
    // `<item>` or `<item attr…>`, not `<itemize>`.
    if (next === 62 /* > */ || next === 32 || next === 9 || next === 10 || next === 13) {
      const end = body.indexOf('>', i);
      return end === -1 ? null : { start: i, end: end + 1 };
    }
    i = body.indexOf(`<${name}`, i + 1);
  }
  return null;
}

/** Channel-level fields (before the first item) and each item's fields, in one forward scan. */
export function scanRss(body: string): ScannedRss | null {
  const ch = openTagEnd(body, 'channel', 0);
  if (!ch) return null;
  const closeChannel = body.lastIndexOf('</channel>');
  const stop = closeChannel === -1 ? body.length : closeChannel;
  const items: Fields[] = [];
  let first = openTagEnd(body, 'item', ch.end);
  if (first && first.start > stop) first = null;
  const channel = childFields(body.slice(ch.end, first ? first.start : stop));
  let cur = first;
  while (cur) {
    const close = body.indexOf('</item>', cur.end);
    if (close === -1 || close > stop) break;
    items.push(childFields(body.slice(cur.end, close)));
    cur = openTagEnd(body, 'item', close + 7);
    if (cur && cur.start > stop) cur = null;
  }
  return { channel, items };
}

// A tag, or a CDATA section / comment / processing instruction, or a stray '<'.
const TAG = /<(?:(\/?)([A-Za-z_][\w:.-]*)(?:\s(?:[^>"'</]|\/(?!>)|"[^"<]*"|'[^'<]*')*)?(\/?)>|!\[CDATA\[[\s\S]*?\]\]>|!--[\s\S]*?-->|\?[\s\S]*?\?>)|</g;

/**
 * Checks that tags nest and close and that there is one document element: enough to refuse a
 * truncated or garbled body before reading it. Returns null when well-formed, else the reason.
 */
export function wellFormedProblem(body: string): string | null {
  const stack: string[] = [];
  let roots = 0;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(body); m; m = TAG.exec(body)) {
    if (m[0] === '<') return t('xmlStrayLt', m.index);
    const name = m[2];
    if (name === undefined) continue;
    if (m[1]) {
      const open = stack.pop();
      if (open !== name) return open === undefined ? t('xmlCloseNothing', name) : t('xmlCloseMismatch', name, open);
    } else {
      if (stack.length === 0) roots++;
      if (!m[3]) stack.push(name);
    }
  }
  if (stack.length) return t('xmlNeverClosed', stack[stack.length - 1]!);
  return roots === 1 ? null : t('xmlRootCount', roots);
}
