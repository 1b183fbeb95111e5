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
 * half a feed). Atom goes through fast-xml-parser; RSS, the big daily path, through the linear
 * reader in ./xml-scan.ts: on a 2000-item feed fast-xml-parser's validator and object tree cost
 * ~100–250 ms of the 300 ms parse + store budget, the scan ~10 ms.
 */
import { XMLParser } from 'fast-xml-parser';
import type { AnnounceType, ListingEntry, Paper } from '../types';
import { t } from '../i18n';
import { splitAuthors } from './authors';
import { parseArxivId } from './ids';
import { easternDay } from './schedule';
import { rootElement, scanRss, wellFormedProblem, type Fields } from './xml-scan';

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

let parser: XMLParser | undefined;
function xml(): XMLParser {
  parser ??= new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    isArray: (name) => ARRAYS.has(name),
    // Feeds carry only the five XML entities; refusing DOCTYPE declarations closes entity-expansion tricks.
    processEntities: true,
    htmlEntities: false,
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

function rssItem(f: Fields): RawItem {
  const one = (name: string): string => f.get(name)?.[0] ?? '';
  return {
    guid: one('guid'),
    link: one('link'),
    title: one('title'),
    description: one('description'),
    categories: f.get('category') ?? [],
    announceType: one('arxiv:announce_type'),
    creators: f.get('dc:creator') ?? [],
    doi: one('arxiv:DOI'),
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
  const problem = wellFormedProblem(body);
  if (problem) throw new FeedError('malformed', t('feedBroken', problem));
}

/**
 * Parses one arXiv RSS 2.0 (or Atom) listing feed. Throws FeedError for an arXiv error feed (with
 * arXiv's own words), a non-feed page, or XML that is malformed or truncated; items that cannot be
 * read are counted in `skipped` and never produce half-filled records.
 */
export function parseFeed(body: string, opts: ParseOptions): ParsedFeed {
  checkXml(body);
  const root = rootElement(body);
  let channelTitle: string;
  let channelLink: string;
  let dateRaw: string;
  let raws: RawItem[];
  let firstItemDate = '';
  const scanned = root === 'rss' ? scanRss(body) : null;
  if (scanned) {
    const ch = (name: string): string => scanned.channel.get(name)?.[0] ?? '';
    channelTitle = ch('title');
    channelLink = ch('link');
    dateRaw = ch('pubDate');
    firstItemDate = scanned.items[0]?.get('pubDate')?.[0] ?? '';
    raws = scanned.items.map(rssItem);
    if (/^Feed error/i.test(channelTitle)) throw new FeedError('arxiv-error', t('feedRejected', ch('description') || channelTitle));
  } else if (root === 'feed') {
    const doc = xml().parse(body) as Node;
    const f = isNode(doc.feed) ? doc.feed : {};
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
