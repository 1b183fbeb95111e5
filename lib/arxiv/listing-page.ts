/**
 * Reads arXiv's own pages: which kind of page a URL is, and which papers a page lists.
 * Pure over URL and Document (no browser APIs, no layout reads), so it runs in happy-dom tests and
 * costs a few milliseconds on a 2000-entry listing.
 *
 * Markup handled (arXiv's arxiv-browse app, see test/fixtures/README.md):
 *   listings  <div id="dlpage"> … <dl id="articles"><h3>New submissions (showing 1 of 1 entries)</h3>
 *             <dt><a name="item1">[1]</a><a href ="/abs/0906.3421" title="Abstract" id="0906.3421">…</dt>
 *             <dd><div class="meta"><div class="list-title">…</div><div class="list-authors">…</div>…</dd></dl>
 *             One <dl> per section (new/cross/replace on /new, one per day on /recent and /pastweek,
 *             a single one without heading on month listings). Older arXiv pages put the <h3> before
 *             the <dl> instead of inside it; both are read.
 *   abs       <div id="abs"> … <h1 class="title">…</h1><div class="authors">…</div>
 * Search results (/search/…, arxiv-search) and catch-up pages (/catchup/…) are recognised by URL
 * but read as no entries: no real rendering of either was available to test against, and a guess
 * at their markup could badge the wrong paper (docs/decisions.md).
 */
import { parseArxivId, parseBareId, type ArxivId } from './ids';

export type PageKind =
  | 'list-new'
  | 'list-recent'
  | 'list-pastweek'
  | 'list-month'
  | 'abs'
  | 'search'
  | 'catchup'
  | 'unknown';

export interface PageInfo {
  kind: PageKind;
  /** Listing context as in the URL: `math`, `math.AG`, `hep-ph`, `cs.LG+stat.ML`. */
  category?: string;
  /** Month listings: `2009-06`, `2009` (or the old `0906` / `09` forms, as given). */
  period?: string;
  skip?: number;
  show?: number;
  /** Abs pages: the paper the URL names. */
  id?: string;
  version?: number;
}

/** How a paper appears on a listing: the /new sections are named, others carry the heading text. */
export type Section = 'new' | 'cross' | 'replace' | string;

export interface PageEntry {
  /** Normalized id, no version. */
  id: string;
  version?: number;
  section: Section;
  /** Position of the section on the page (0-based); entries are only ever reordered within one. */
  sectionIndex: number;
  /** Where the badge goes: the <dt> of a listing row, the title <h1> on abs pages. */
  anchor: Element;
  /** The elements that make up the row on the page, in order (dt and dd on listings). */
  rows: Element[];
  title: string;
  authors: string;
  /**
   * Rows read quickly (arXiv's own listing markup) take their id from the abstract link's `id`
   * attribute; this checks that the link's href names the same paper. It is asked only of the rows
   * that get a badge: 2000 href checks on every /new page cost more than finding the rows (issue 17).
   * Absent where the id was read from the href itself.
   */
  confirmed?: () => boolean;
}

const ARXIV_HOSTS = new Set(['arxiv.org', 'www.arxiv.org']);
const CONTEXT = /^[a-z-]+(?:\.[A-Za-z-]+)?(?:\+[a-z-]+(?:\.[A-Za-z-]+)?)*$/;
// arxiv-browse accepts YYYY-MM, YYYY and the old YYMM / YY forms for month and year listings.
const PERIOD = /^(?:\d{4}-\d{2}|\d{4}|\d{2})$/;
const SHOW_MAX = 2000;

function intParam(url: URL, name: string, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || !/^\d{1,6}$/.test(raw)) return undefined;
  return Math.min(Number(raw), max);
}

/**
 * The kind of arXiv page a URL shows. Table (path → kind):
 *   /list/<ctx>/new → list-new · /list/<ctx>/recent → list-recent · /list/<ctx>/pastweek → list-pastweek
 *   /list/<ctx>/YYYY-MM | YYYY | YYMM | YY → list-month · /abs/<id>[vN] → abs
 *   /search/… and /search?… → search · /catchup/… and /catchup?… → catchup · anything else → unknown
 * `skip` and `show` are read on listings (show capped at arXiv's own maximum, 2000).
 */
export function pageKind(url: URL): PageInfo {
  if (!ARXIV_HOSTS.has(url.hostname.toLowerCase()) || url.protocol !== 'https:') return { kind: 'unknown' };
  const path = url.pathname.replace(/\/+$/, '');
  const list = /^\/list\/([^/]+)\/([^/]+)$/.exec(path);
  if (list) {
    const [, ctx, sub] = list as unknown as [string, string, string];
    if (!CONTEXT.test(ctx)) return { kind: 'unknown' };
    const paging = { skip: intParam(url, 'skip', 1_000_000), show: intParam(url, 'show', SHOW_MAX) };
    const base = { category: ctx, ...(paging.skip !== undefined ? { skip: paging.skip } : {}), ...(paging.show !== undefined ? { show: paging.show } : {}) };
    if (sub === 'new') return { kind: 'list-new', ...base };
    if (sub === 'recent') return { kind: 'list-recent', ...base };
    if (sub === 'pastweek') return { kind: 'list-pastweek', ...base };
    if (PERIOD.test(sub)) return { kind: 'list-month', period: sub, ...base };
    return { kind: 'unknown' };
  }
  const abs = /^\/abs\/(.+)$/.exec(path);
  if (abs) {
    const parsed = parseBareId(decodeURIComponent(abs[1]!));
    if (!parsed) return { kind: 'unknown' };
    return parsed.version === undefined ? { kind: 'abs', id: parsed.id } : { kind: 'abs', id: parsed.id, version: parsed.version };
  }
  if (path === '/search' || path.startsWith('/search/')) return { kind: 'search' };
  if (path === '/catchup' || path.startsWith('/catchup/')) return { kind: 'catchup' };
  return { kind: 'unknown' };
}

const clean = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

/** Text of a field without its "Title:" / "Authors:" descriptor span. */
function fieldText(el: Element | null): string {
  if (!el) return '';
  const descriptor = el.querySelector('.descriptor');
  const all = clean(el.textContent);
  const lead = descriptor ? clean(descriptor.textContent) : '';
  return lead && all.startsWith(lead) ? all.slice(lead.length).trim() : all;
}

/** The id an entry's abstract link names. Hrefs are relative (`/abs/0906.3421`) and may carry a space before `=` in the source, which the parser already absorbed. */
function idFromLink(a: Element): ArxivId | null {
  const href = a.getAttribute('href');
  // Fast path for arXiv's own rows: the link's id attribute is the bare id its href ends with.
  const own = a.getAttribute('id');
  if (own && href && href.trim().endsWith(`/abs/${own}`)) {
    const quick = parseBareId(own);
    if (quick) return quick;
  }
  if (href) {
    let resolved: string | null = null;
    try {
      resolved = new URL(href, 'https://arxiv.org/').href;
    } catch {
      resolved = null;
    }
    const fromHref = resolved ? parseArxivId(resolved) : null;
    if (fromHref) return fromHref;
  }
  const idAttr = a.getAttribute('id');
  if (idAttr) {
    const fromAttr = parseBareId(idAttr);
    if (fromAttr) return fromAttr;
  }
  return parseArxivId(clean(a.textContent));
}

/** "New submissions (showing 1 of 1 entries)" → 'new'; a day heading → "Thu, 3 Feb 2011". */
function sectionName(heading: string): Section {
  const h = heading.replace(/\s*\(showing[^)]*\)\s*$/i, '').trim();
  if (/^new submissions/i.test(h)) return 'new';
  if (/^cross(-lists| submissions)/i.test(h)) return 'cross';
  if (/^replacement/i.test(h)) return 'replace';
  return h;
}

function headingBefore(dl: Element): string | null {
  // Older arXiv listings put each section's <h3> just before its <dl>.
  for (let el = dl.previousElementSibling; el; el = el.previousElementSibling) {
    if (el.tagName === 'H3') return clean(el.textContent);
    if (el.tagName === 'DL') return null;
  }
  return null;
}

/** Title and authors of a listing row, from its <dd>. */
function rowText(dd: Element | undefined): { title: string; authors: string } {
  return { title: fieldText(dd?.querySelector('.list-title') ?? null), authors: fieldText(dd?.querySelector('.list-authors') ?? null) };
}

/** Title and authors of a row, read from its <dd> on first use; both kinds of listing row share it. */
abstract class LazyRowText {
  abstract readonly rows: Element[];
  private text?: { title: string; authors: string };

  get title(): string {
    return this.read().title;
  }

  get authors(): string {
    return this.read().authors;
  }

  private read(): { title: string; authors: string } {
    return (this.text ??= rowText(this.rows[1]));
  }
}

/**
 * A listing row. Title and authors are read from the <dd> only when asked (watchlist matching):
 * a 2000-row page is read in a few milliseconds when nobody needs the text.
 */
class ListingRow extends LazyRowText implements PageEntry {
  id: string;
  version?: number;
  rows: Element[];

  constructor(parsed: ArxivId, public section: Section, public sectionIndex: number, public anchor: Element) {
    super();
    this.id = parsed.id;
    if (parsed.version !== undefined) this.version = parsed.version;
    this.rows = [anchor];
  }
}

function listingRows(doc: Document): PageRows {
  const root = doc.getElementById('dlpage') ?? doc.body;
  if (!root) return eager([]);
  return quickListing(root) ?? eager(walkListing(root));
}

/**
 * Which section each row of a quickly-read listing is in, worked out on first use (sorting, tests)
 * by walking the children of each <dl> once: a section starts at each <h3> inside it (arXiv puts
 * one first in every <dl>; a page may have more) or, on older pages, at the <h3> just before it.
 */
class QuickSections {
  private byDt?: Map<Element, { name: Section; index: number }>;

  constructor(private readonly links: ArrayLike<Element>) {}

  of(row: QuickRow): { name: Section; index: number } {
    if (!this.byDt) {
      const byDt = new Map<Element, { name: Section; index: number }>();
      const lists = new Set<Element>();
      let index = -1;
      for (let i = 0; i < this.links.length; i++) {
        const dl = this.links[i]!.parentElement?.parentElement;
        if (!dl || lists.has(dl)) continue;
        lists.add(dl);
        let heading = headingBefore(dl);
        let section: { name: Section; index: number } | null = null;
        for (let el = dl.firstElementChild; el; el = el.nextElementSibling) {
          if (el.tagName === 'H3') {
            heading = clean(el.textContent);
            section = null;
          } else if (el.tagName === 'DT') {
            section ??= { name: heading ? sectionName(heading) : 'all', index: ++index };
            byDt.set(el, section);
          }
        }
      }
      this.byDt = byDt;
    }
    return this.byDt.get(row.anchor) ?? { name: 'all', index: 0 };
  }
}

/**
 * A row of arXiv's own listing markup, known by its abstract link. Everything but the id is read
 * from the DOM when first asked: a 2000-row page costs one query and one attribute pair per row,
 * and only the rows that get a badge (or are sorted, filtered, matched) are ever read further.
 * Built 2000 times, cold, on the page readers open every day: no class fields (each would be
 * defined on every instance) and no base class; the lazy parts live in one `lazy` slot.
 */
class QuickRow implements PageEntry {
  declare version?: number;
  private lazy: { dt?: Element; rows?: Element[]; text?: { title: string; authors: string } } | null;

  constructor(
    readonly id: string,
    private readonly link: Element,
    private readonly sections: QuickSections,
  ) {
    this.lazy = null;
  }

  get anchor(): Element {
    const l = (this.lazy ??= {});
    return (l.dt ??= this.link.parentElement!);
  }

  get rows(): Element[] {
    const l = (this.lazy ??= {});
    if (!l.rows) {
      const dd = this.anchor.nextElementSibling;
      l.rows = dd?.tagName === 'DD' ? [this.anchor, dd] : [this.anchor];
    }
    return l.rows;
  }

  get section(): Section {
    return this.sections.of(this).name;
  }

  get sectionIndex(): number {
    return this.sections.of(this).index;
  }

  get title(): string {
    return this.text().title;
  }

  get authors(): string {
    return this.text().authors;
  }

  private text(): { title: string; authors: string } {
    const l = (this.lazy ??= {});
    return (l.text ??= rowText(this.rows[1]));
  }

  confirmed(): boolean {
    // A listing row: the link is the first abstract link of a <dt> in a <dl> (the page was read with
    // a query for every abstract link, wherever it is) …
    const dt = this.link.parentElement;
    if (dt?.tagName !== 'DT' || dt.parentElement?.tagName !== 'DL' || dt.querySelector('a[title="Abstract"]') !== this.link) return false;
    // … and its href names the paper: arXiv writes `/abs/<id>`; anything else (a version, another
    // form) goes through the full parser.
    const href = this.link.getAttribute('href');
    return href !== null && (href.endsWith(`/abs/${this.id}`) || idFromLink(this.link)?.id === this.id);
  }
}

/**
 * The rows of a page: every row's id up front (the lookup asks for all of them), each row's entry
 * when first asked. On arXiv's own listings that is one query and one attribute per row; the rest of
 * a row is read only for the rows that get a badge, are sorted or matched (issue 17).
 */
export interface PageRows {
  /** Row i's paper id (normalized, no version), in page order; a paper listed twice is here twice. Not to be changed. */
  readonly ids: string[];
  /** Row i's entry, read from the page when first asked (and kept). */
  entry(i: number): PageEntry;
}

const eager = (entries: PageEntry[]): PageRows => ({ ids: entries.map((e) => e.id), entry: (i) => entries[i]! });

/**
 * arXiv's own rows: one query for every `a[title="Abstract"]` of the listing and the id attribute
 * of each; everything else is read when needed (QuickRow): whether the link really is a row's
 * (`confirmed`, asked before a badge goes in), its href, its section (on the first sort). The query
 * without the `dl > dt >` combinators costs about two thirds as much on a 2000-entry page. Null when
 * the page does not look like that (more abstract links than rows: a row with two), so the general
 * walk below reads it.
 */
// A modern id as arXiv's own rows carry it (yymm.nnnnn, month 01-12, no version); anything else
// goes through idFromLink's full checks.
const QUICK_ID = /^\d\d(?:0[1-9]|1[0-2])\.\d{5}$/;

function quickListing(root: Element): PageRows | null {
  const found = root.querySelectorAll('a[title="Abstract"]');
  const n = found.length;
  // A selector test for a row with two links walks the whole page with sibling combinators, several
  // times the cost of this count.
  if (!n || n > root.getElementsByTagName('dt').length) return null;
  // Row i's link and id, in two plain arrays: this loop runs 2000 times, cold, on the page readers
  // open every day, so it makes no object per row.
  let links: ArrayLike<Element> = found;
  let ids = new Array<string>(n);
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    const own = found[i]!.id;
    if (QUICK_ID.test(own)) ids[i] = own;
    else {
      // An older id, or a link whose id attribute is not its paper's: read the long way.
      const parsed = idFromLink(found[i]!);
      ids[i] = parsed ? parsed.id : '';
      if (!parsed) skipped++;
    }
  }
  if (skipped) {
    // Rows without a recognisable id are left out (rare: never on arXiv's own pages).
    links = Array.from(found).filter((_, i) => ids[i] !== '');
    ids = ids.filter((id) => id !== '');
  }
  const sections = new QuickSections(links);
  const rows = new Array<QuickRow | undefined>(ids.length);
  return {
    ids,
    entry(i) {
      let row = rows[i];
      if (!row) {
        const link = links[i]!;
        row = rows[i] = new QuickRow(ids[i]!, link, sections);
        // Versions come only from hrefs read the long way (arXiv's id attributes carry none).
        if (!QUICK_ID.test(ids[i]!)) {
          const v = idFromLink(link)?.version;
          if (v !== undefined) row.version = v;
        }
      }
      return row;
    },
  };
}

function walkListing(root: Element): PageEntry[] {
  const out: PageEntry[] = [];
  let sectionIndex = -1;
  for (const dl of Array.from(root.querySelectorAll('dl'))) {
    let heading = headingBefore(dl);
    let sectionOpen = false;
    let last: ListingRow | null = null;
    for (let el = dl.firstElementChild; el; el = el.nextElementSibling) {
      const tag = el.tagName;
      if (tag === 'H3') {
        heading = clean(el.textContent);
        sectionOpen = false;
        last = null;
      } else if (tag === 'DT') {
        last = null;
        const link = el.querySelector('a[title="Abstract"]') ?? el.querySelector('a[href*="/abs/"]');
        const parsed = link ? idFromLink(link) : null;
        if (!parsed) continue;
        if (!sectionOpen) {
          sectionIndex++;
          sectionOpen = true;
        }
        last = new ListingRow(parsed, heading ? sectionName(heading) : 'all', sectionIndex, el);
        out.push(last);
      } else if (tag === 'DD' && last) {
        last.rows.push(el);
        last = null;
      }
    }
  }
  return out;
}

function absEntry(doc: Document, page: PageInfo): PageEntry[] {
  const abs = doc.getElementById('abs');
  const title = abs?.querySelector('h1.title') ?? null;
  if (!abs || !title) return [];
  let parsed: ArxivId | null = page.id ? (page.version === undefined ? { id: page.id } : { id: page.id, version: page.version }) : null;
  if (!parsed) {
    const meta = doc.querySelector('meta[name="citation_arxiv_id"]')?.getAttribute('content');
    parsed = meta ? parseBareId(meta) : null;
  }
  if (!parsed) return [];
  return [{
    id: parsed.id,
    ...(parsed.version !== undefined ? { version: parsed.version } : {}),
    section: 'abs',
    sectionIndex: 0,
    anchor: title,
    rows: [abs],
    title: fieldText(title),
    authors: fieldText(abs.querySelector('.authors')),
  }];
}

/**
 * The papers a page lists, in page order. Unknown layouts give [] (the caller logs once); nothing
 * here throws on odd markup: rows without a recognisable id are skipped.
 */
export function readRows(doc: Document, page: PageInfo | PageKind): PageRows {
  const info: PageInfo = typeof page === 'string' ? { kind: page } : page;
  switch (info.kind) {
    case 'list-new':
    case 'list-recent':
    case 'list-pastweek':
    case 'list-month':
      return listingRows(doc);
    case 'abs':
      return eager(absEntry(doc, info));
    default:
      // 'search' and 'catchup' included: see the header.
      return eager([]);
  }
}

/** Every entry of readRows, read at once (tests, the demo's checks). */
export function findEntries(doc: Document, page: PageInfo | PageKind): PageEntry[] {
  const rows = readRows(doc, page);
  return rows.ids.map((_, i) => rows.entry(i));
}
