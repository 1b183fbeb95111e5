/**
 * arXiv listing feeds (rss.arxiv.org/rss/<cats>, and the /atom/ variant) → plain Paper records and
 * per-day listing rows. Shapes follow arXiv's own feed app (arxiv-feed, feedgen 0.9):
 * - guid `oai:arXiv.org:<id>v<N>`; description `arXiv:<id>vN Announce Type: <t> \nAbstract: …`;
 * - `<category>` elements come from the paper's abs_categories, whose first entry is the primary;
 * - `arxiv:announce_type` is computed against the whole requested category set (a paper whose
 *   primary is any requested category is `new`, even if it is only cross-listed to another one);
 * - every item's pubDate is "arXiv midnight" of the day the feed was built, so the channel
 *   pubDate is the only day a feed carries (a multi-day feed cannot be split into days).
 * Every body is checked for well-formedness first (malformed or cut-off XML is an error, never
 * half a feed), then RSS and Atom alike are read by fast-xml-parser. The feed is parsed once a day
 * in the worker and nobody waits on it, so a hand-written reader's speed bought nothing a user
 * would feel (issue 17; the ingest row of `npm run bench` shows the cost).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { AnnounceType, ListingEntry, Paper } from '../types';
import { t } from '../i18n';
import { splitAuthors } from './authors';
import { parseArxivId } from './ids';
import { easternDay } from './schedule';

export type FeedErrorKind = 'arxiv-error' | 'not-a-feed' | 'malformed';

export class FeedError extends Error {
  override name = 'FeedError';
  constructor(
    readonly kind: FeedErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ParsedFeed {
  /** The listing day (YYYY-MM-DD, arXiv's Eastern calendar); null for an undated empty feed. */
  day: string | null;
  papers: Paper[];
  listings: ListingEntry[];
  /** Items that could not be turned into a paper (no valid id, no title, unknown announce type). */
  skipped: number;
  /** Categories the feed was requested for (from the options or the feed's own link). */
  categories: string[];
}

export interface ParseOptions {
  /** Epoch ms stamped as firstSeen / updatedAt. */
  now: number;
  /** Categories of the request (`cs.LG+cs.AI` → ['cs.LG', 'cs.AI']); read from the feed if absent. */
  categories?: string[];
}

const ANNOUNCE_TYPES = new Set<string>(['new', 'cross', 'replace', 'replace-cross']);
const ARRAYS = new Set(['item', 'entry', 'category', 'link', 'dc:creator', 'author']);

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const ENTITY = /&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);/g;

function codePoint(n: number, raw: string): string {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : raw;
}

/**
 * XML's own entities and character references, nothing else (fast-xml-parser decodes character
 * references only together with HTML's named entities, which XML does not have). Anything unknown
 * stays as written.
 */
const xmlEntities = {
  decode: (s: string): string =>
    s.includes('&')
      ? s.replace(ENTITY, (m, ent: string) =>
          ent.startsWith('#x') ? codePoint(parseInt(ent.slice(2), 16), m) : ent.startsWith('#') ? codePoint(parseInt(ent.slice(1), 10), m) : (NAMED[ent] ?? m),
        )
      : s,
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
};

let parser: XMLParser | undefined;
function xml(): XMLParser {
  parser ??= new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => ARRAYS.has(name),
    // Feeds carry only the five XML entities and character references (`&#946;`), and parseFeed
    // refuses DOCTYPE declarations, which closes entity-expansion tricks.
    processEntities: true,
    entityDecoder: xmlEntities,
  });
  return parser;
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (isNode(v) && typeof v['#text'] === 'string') return v['#text'];
  return '';
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** Splits `cs.LG+cs.AI` (the path part of a feed URL) into categories. */
export function categoriesOfFeedUrl(url: string): string[] {
  const m = /\/(?:rss|atom)\/([^/?#]+)/.exec(url);
  if (!m) return [];
  return decodeURIComponent(m[1]!.replace(/\+/g, ' ')).split(/\s+/).filter(Boolean);
}

/** The joined feed URL for a set of categories: one request for all of them. */
export function feedUrl(categories: readonly string[]): string {
  return `https://rss.arxiv.org/rss/${categories.map(encodeURIComponent).join('+')}`;
}

const DESCRIPTION = /^arXiv:(\S+?)v(\d+)\s+Announce Type:\s*([a-z-]+)\s*\n?\s*Abstract:\s*([\s\S]*)$/;

/** The listing day of an RFC 822 / ISO date: the written date if it is Eastern, else converted. */
export function dayOfDate(raw: string): string | null {
  const s = raw.trim();
  const rfc = /^(?:\w{3},\s*)?(\d{1,2})\s+(\w{3})\s+(\d{4})\s+[\d:]+\s*(-0[45]00|E[SD]T)$/.exec(s);
  if (rfc) {
    const month = 'JanFebMarAprMayJunJulAugSepOctNovDec'.indexOf(rfc[2]!) / 3 + 1;
    if (month >= 1) return `${rfc[3]}-${String(month).padStart(2, '0')}-${rfc[1]!.padStart(2, '0')}`;
  }
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : easternDay(ms);
}

interface RawItem {
  guid: string;
  link: string;
  title: string;
  description: string;
  categories: string[];
  announceType: string;
  creators: string[];
  doi: string;
}

function rssItem(it: Node): RawItem {
  return {
    guid: text(it.guid),
    link: text(list(it.link)[0]),
    title: text(it.title),
    description: text(it.description),
    categories: list(it.category).map(text),
    announceType: text(it['arxiv:announce_type']),
    creators: list(it['dc:creator']).map(text),
    doi: text(it['arxiv:DOI']),
  };
}

function atomItem(it: Node): RawItem {
  const alternate = list(it.link).find((l) => isNode(l) && (l['@rel'] ?? 'alternate') === 'alternate');
  return {
    guid: text(it.id),
    link: isNode(alternate) ? String(alternate['@href'] ?? '') : '',
    title: text(it.title),
    description: text(it.summary),
    categories: list(it.category).map((c) => (isNode(c) ? String(c['@term'] ?? '') : '')),
    announceType: text(it['arxiv:announce_type']),
    creators: list(it['dc:creator']).map(text),
    doi: text(it['arxiv:DOI']),
  };
}

/** Listing type of a paper within one category, given the type arXiv gave for the whole set. */
function typeIn(category: string, primary: string, feedType: AnnounceType): AnnounceType {
  const replaced = feedType === 'replace' || feedType === 'replace-cross';
  if (category === primary) return replaced ? 'replace' : 'new';
  return replaced ? 'replace-cross' : 'cross';
}

/** Categories of the request this paper is listed under; archive requests (`cs`) map to subcategories. */
function listedIn(paperCats: readonly string[], requested: readonly string[]): string[] {
  const out = new Set<string>();
  for (const req of requested) {
    for (const c of paperCats) {
      if (c === req || (!req.includes('.') && c.startsWith(`${req}.`))) out.add(c);
    }
  }
  return [...out];
}

function toPaper(raw: RawItem, day: string, now: number): Paper | null {
  const d = DESCRIPTION.exec(raw.description);
  const parsed = parseArxivId(raw.guid) ?? parseArxivId(raw.link) ?? (d ? parseArxivId(`${d[1]}v${d[2]}`) : null);
  const title = raw.title.replace(/\s+/g, ' ').trim();
  if (!parsed || !title) return null;
  const announceType = raw.announceType || d?.[3] || '';
  if (!ANNOUNCE_TYPES.has(announceType)) return null;
  const categories = [...new Set(raw.categories.map((c) => c.trim()).filter(Boolean))];
  if (categories.length === 0) return null;
  const paper: Paper = {
    id: parsed.id,
    version: parsed.version ?? (d ? Number(d[2]) : 1),
    title,
    authors: raw.creators.flatMap(splitAuthors),
    abstract: (d ? d[4]! : raw.description).trim(),
    categories,
    primaryCategory: categories[0]!,
    announceType: announceType as AnnounceType,
    announced: day,
    firstSeen: now,
    updatedAt: now,
    origin: 'rss',
  };
  if (raw.doi) paper.doi = raw.doi.trim();
  return paper;
}

function checkXml(body: string): void {
  const head = body.slice(0, 512).trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || (!head.startsWith('<?xml') && !head.startsWith('<rss') && !head.startsWith('<feed'))) {
    throw new FeedError('not-a-feed', t('feedNotAFeed'));
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(body.slice(0, 4096))) throw new FeedError('malformed', t('feedDoctype'));
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new FeedError('malformed', t('feedBroken', valid.err.line));
}

/**
 * Parses one arXiv RSS 2.0 (or Atom) listing feed. Throws FeedError for an arXiv error feed (with
 * arXiv's own words), a non-feed page, or XML that is malformed or truncated; items that cannot be
 * read are counted in `skipped` and never produce half-filled records.
 */
export function parseFeed(body: string, opts: ParseOptions): ParsedFeed {
  checkXml(body);
  const doc = xml().parse(body) as Node;
  let channelTitle: string;
  let channelLink: string;
  let dateRaw: string;
  let raws: RawItem[];
  let firstItemDate = '';
  if (doc.rss !== undefined) {
    const ch = isNode(doc.rss) && isNode(doc.rss.channel) ? doc.rss.channel : {};
    channelTitle = text(ch.title);
    channelLink = text(list(ch.link)[0]);
    dateRaw = text(ch.pubDate);
    const items = list(ch.item).filter(isNode);
    firstItemDate = items.length ? text(items[0]!.pubDate) : '';
    raws = items.map(rssItem);
    if (/^Feed error/i.test(channelTitle)) throw new FeedError('arxiv-error', t('feedRejected', text(ch.description) || channelTitle));
  } else if (isNode(doc.feed)) {
    const f = doc.feed;
    channelTitle = text(f.title);
    const self = list(f.link).find((l) => isNode(l) && l['@rel'] === 'self');
    channelLink = isNode(self) ? String(self['@href'] ?? '') : text(f.id);
    const entries = list(f.entry).filter(isNode);
    dateRaw = entries.length ? text(entries[0]!.published) : text(f.updated);
    raws = entries.map(atomItem);
    if (/^Feed error/i.test(channelTitle)) throw new FeedError('arxiv-error', t('feedRejected', text(f.subtitle) || channelTitle));
  } else {
    throw new FeedError('not-a-feed', t('feedNotRssOrAtom'));
  }

  const day = dayOfDate(dateRaw) ?? (firstItemDate ? dayOfDate(firstItemDate) : null);
  const categories = opts.categories?.length ? opts.categories : categoriesOfFeedUrl(channelLink);
  if (raws.length === 0) return { day, papers: [], listings: [], skipped: 0, categories };
  if (!day) throw new FeedError('malformed', t('feedNoDate'));

  const seen = new Map<string, Paper>();
  const listings: ListingEntry[] = [];
  let skipped = 0;
  for (const raw of raws) {
    const paper = toPaper(raw, day, opts.now);
    if (!paper) {
      skipped++;
      continue;
    }
    if (seen.has(paper.id)) continue;
    seen.set(paper.id, paper);
    const cats = listedIn(paper.categories, categories);
    if (cats.length === 0) {
      // arXiv matched the paper through a category alias we do not know: list it where arXiv did.
      const where = categories.length === 1 ? categories[0]! : paper.primaryCategory;
      listings.push({ day, category: where, id: paper.id, announceType: paper.announceType! });
      continue;
    }
    for (const c of cats) listings.push({ day, category: c, id: paper.id, announceType: typeIn(c, paper.primaryCategory, paper.announceType!) });
  }
  return { day, papers: [...seen.values()], listings, skipped, categories };
}
