/* global clearTimeout */
/**
 * One local HTTPS server that replays recorded real responses under the real host names, for the
 * end-to-end suite and the offline demo. Chromium reaches it through --host-resolver-rules (every
 * host below → 127.0.0.1:<port>) and --ignore-certificate-errors; the certificate is self-signed and
 * committed (test/e2e/certs/, see readCert), with a SAN for every host.
 *
 * What is served (all bodies come from test/fixtures/, see its README for provenance):
 *   arxiv.org, www.arxiv.org   /list/… and /abs/… pages rendered by arXiv's own arxiv-browse app
 *                              (exact recorded paths; anything else is a 404 "not recorded"), and
 *                              /static/… — arXiv's own CSS, JS and images from arxiv-browse and
 *                              arxiv-base at the commits that rendered the pages (arxiv-static/).
 *   rss.arxiv.org              /rss/<cats> feeds rendered by arXiv's arxiv-feed app, with the
 *                              recorded ETag. Recorded paths are served as recorded. Mapping, because
 *                              arXiv's test database only has cs.CV/cs.IT/math/astro-ph papers:
 *                              ANY OTHER JOINED request (cat1+cat2…, e.g. the extension's default
 *                              /rss/cs.LG+cs.CL+cs.CV+cs.AI+stat.ML) gets the recorded joined feed
 *                              /rss/cs.CV+cs.IT (2023-10-26, 3 items), DERIVED in one way: its test
 *                              ids 1234.56NN (month 34, which no arXiv id can have, so the parser
 *                              rightly skips them) become 2310.166NN — the substitution the feed unit
 *                              tests use. Served ids: 2310.16106 (cs.IT, new), 2310.16646 (cs.CV
 *                              cross), 2310.16645 (cs.CV replace-cross). Option rawFeed serves the
 *                              bytes as recorded. Any other single category gets the recorded empty
 *                              feed /rss/cs.LG. Option `feed` swaps the joined feed for another
 *                              recorded one (e.g. the 3-day feed) to simulate the next announcement.
 *   export.arxiv.org           /api/query → the recorded id_list Atom response (ids 0808.05394 —
 *                              not found — and 1707.08567), whatever ids were asked for.
 *   huggingface.co             /api/daily_papers → engineer B's derived file (the real 2026-05-18
 *                              capture with three entries re-keyed to the feed ids, see
 *                              test/fixtures/derived/README.md); /api/papers/2605.06554 (recorded).
 *   api.alphaxiv.org           /papers/v3/feed → DERIVED: the real feed recording (abstracts cut)
 *                              with its three most-voted cards re-keyed to the feed ids, whatever
 *                              the query.
 *   hn.algolia.com             /api/v1/search_by_date → B's derived reply (a hand-made format
 *                              recording pointed at the feed ids); other /api/v1/… paths: the real
 *                              2014 replies matched by exact path+query, else the first recorded
 *                              search reply with its hits removed.
 *   api.semanticscholar.org    /graph/v1/paper/batch → DERIVED from the real batch reply: its three
 *                              found entries, keyed to the feed ids by externalIds.ArXiv, answered
 *                              in the order of the ids asked, `null` for any other id (the
 *                              recording's own answer for an id S2 does not know).
 *   api.x.com, api.twitter.com /2/tweets/search/recent → DERIVED: the hand-made public_metrics format
 *                              recording with its arXiv URLs pointed at the feed ids, whatever the
 *                              query.
 *   bsky.social                /xrpc/com.atproto.server.createSession → DERIVED: the hand-made
 *                              session recording with JWTs valid until 2100 (no refreshSession is
 *                              served); app.bsky.feed.searchPosts → DERIVED: the hand-made search
 *                              recording with its post links pointed at the feed ids, whatever the
 *                              cursor (the source counts a post once).
 *   api.bsky.app               /xrpc/app.bsky.feed.searchPosts → the same derived search reply (the
 *                              signed-in search goes to the AppView since issue 16).
 *   public.api.bsky.app        /xrpc/app.bsky.feed.getAuthorFeed → DERIVED: the hand-made cs.LG bot
 *                              feed recording with its links pointed at the feed ids, whatever the
 *                              actor (the source counts a post once).
 *   Derived bodies (test/fixtures/derived/, see its README) get the same 1234.56NN → 2310.166NN
 *   substitution as the feed.
 * A test/fixtures/derived/routes.json, if present, adds or overrides routes: see loadDerivedRoutes().
 * Option demoDay ('2026-05-15' or '2026-05-18', what `npm run demo` uses) serves a real announcement
 * day instead for arXiv, Hugging Face, HN and Semantic Scholar: see demoRoute().
 *
 * Scenario switches, per host (or '*' for every host): normal, 304 (to conditional requests; with
 * option unconditional, to every request — what a broken proxy or cache does), 429 (option
 * retryAfter, seconds), 500, slow (option delayMs), reset, html, truncated, garbage, empty, offline. Set them in-process (setScenario) or over the admin endpoint
 * on the same server: POST https://replay.test/__admin/scenario {"host","scenario","options"},
 * GET /__admin/log, POST /__admin/reset.
 *
 * Every request is logged (host, method, path+query, conditional headers, whether credentials were
 * sent and which registered secrets appeared anywhere in it) so tests can assert what was asked.
 */
import https from 'node:https';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAbs, buildFeed, buildListing, CATEGORY_NAMES, DEMO_DAYS, feedEtag } from '../fixtures/demo-day/make-demo-day.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures');
export const DERIVED = join(FIXTURES, 'derived');

export const HOSTS = [
  'arxiv.org',
  'www.arxiv.org',
  'rss.arxiv.org',
  'export.arxiv.org',
  'huggingface.co',
  'api.alphaxiv.org',
  'hn.algolia.com',
  'bsky.social',
  'api.bsky.app',
  'public.api.bsky.app',
  'api.x.com',
  'api.twitter.com',
  'api.semanticscholar.org',
  'replay.test',
  // Where the 'redirect' scenario points: a host no request of the extension may ever reach.
  'evil.example',
];

export const SCENARIOS = ['normal', '304', '429', '500', 'slow', 'reset', 'html', 'truncated', 'garbage', 'empty', 'offline', 'redirect'];

// Recorded ETags of the arxiv-feed responses (test/fixtures meta: feed_d1.json / feed_d3.json).
const FEEDS = {
  '/rss/cs.CV': { file: 'rss_cs.CV_2023-10-26.xml', etag: '59c35ca137a59b486f7629e517ee3fc16fb592e828247192ea23dac79b1947ec' },
  '/rss/cs.CV+cs.IT': { file: 'rss_cs.CV+cs.IT_2023-10-26.xml', etag: '5a394619748bbcf7e1889101e062ed3da2732d9f2dec4fec41e00eeae195a4dc' },
  '/rss/cs.CV+math.NT+astro-ph': {
    file: 'rss_cs.CV+math.NT+astro-ph_3days_2023-10-25_to_27.xml',
    etag: 'ade425fbad143e43c5519b6105c0a8b67ef44a28ec817815e3260e562b2f85ef',
  },
  '/rss/math': { file: 'rss_math_2023-10-26.xml', etag: 'b3fcad78f6037b2de2397a8439417972a22c81e2051d9f7197a6a7f801a08f1b' },
  '/rss/cs': { file: 'rss_cs_2023-10-26.xml' },
  '/rss/cs.LG': { file: 'rss_cs.LG_empty_2023-10-26.xml' },
};
const JOINED_DEFAULT = '/rss/cs.CV+cs.IT';
const EMPTY_FEED = '/rss/cs.LG';
/** The ids a test can expect after a poll of any joined request in the normal scenario. */
export const FEED_IDS = ['2310.16106', '2310.16646', '2310.16645'];
/** Of those, the ones in the default categories (cs.CV), which the popup lists. */
export const FEED_IDS_IN_DEFAULT_CATEGORIES = ['2310.16646', '2310.16645'];
/** arxiv-feed's test ids are impossible (month 34); the feed unit tests map them the same way. */
export const validIds = (buf) => Buffer.from(buf.toString('utf8').replace(/1234\.56(\d\d)/g, '2310.166$1'));

// arxiv-browse pages by recorded request path (test/fixtures meta: browse_*.json).
const PAGES = {
  '/list/math/new': 'db_list_math_new.html',
  '/list/math.RT/new': 'db_list_math.RT_new.html',
  '/list/eess/new': 'db_list_eess_new.html',
  '/list/math/recent': 'db_list_math_recent.html',
  '/list/math/recent?skip=0&show=25': 'db_list_math_recent_skip0_show25.html',
  '/list/math.MP/recent': 'db_list_math.MP_recent.html',
  '/list/math/pastweek': 'db_list_math_pastweek.html',
  '/list/math/2009-06': 'db_list_math_2009-06.html',
  '/list/math.CO/2009-06': 'db_list_math.CO_2009-06.html',
  '/list/chao-dyn/1995-10': 'db_list_chao-dyn_1995-10.html',
  '/list/math/2009': 'db_list_math_2009.html',
  '/list/cs.LG/new': 'db_list_cs.LG_new_empty.html',
  '/list/math.AG/new': 'fs_list_math.AG_new.html',
  '/list/math.OA/new': 'fs_list_math.OA_new.html',
  '/list/math.AG/pastweek': 'fs_list_math.AG_pastweek.html',
  '/list/hep-ph/2009-01': 'fake_list_hep-ph_2009-01.html',
  '/list/hep-ph/2009-01?skip=25&show=25': 'fake_list_hep-ph_2009-01_skip25_show25.html',
  '/list/hep-ph/2009-01?skip=975&show=25': 'fake_list_hep-ph_2009-01_skip975_show25.html',
  '/abs/2103.17249': 'abs_2103.17249.html',
  '/abs/2310.08262': 'abs_2310.08262.html',
};

// Hand-written (an edge case, not a recording): what a proxy, captive portal or CDN error looks like
// when a client expected XML or JSON.
const HTML_ERROR_PAGE =
  '<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable</title></head>' +
  '<body><h1>Service Temporarily Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>';

const fileCache = new Map();
function fixture(name) {
  let buf = fileCache.get(name);
  if (!buf) {
    buf = readFileSync(join(FIXTURES, name));
    fileCache.set(name, buf);
  }
  return buf;
}

/** Real HN replies keyed by path+query; the first search reply, emptied, answers unknown searches. */
let hnCache;
function hnReplies() {
  if (!hnCache) {
    const rows = JSON.parse(fixture('hn_algolia_fixtures_2014.json').toString('utf8'));
    const byUrl = new Map(rows.map((r) => [r.url, JSON.stringify(r.reply)]));
    const firstSearch = rows.find((r) => r.url.startsWith('/api/v1/search?'));
    const empty = { ...firstSearch.reply, hits: [], nbHits: 0, nbPages: 0 };
    hnCache = { byUrl, empty: JSON.stringify(empty) };
  }
  return hnCache;
}

/**
 * Derived routes (engineer B's test/fixtures/derived/): a `routes.json` there, if present, is a list
 * of { host, path (exact, with query) | pathPrefix, method?, file, status?, contentType? }.
 * Without a routes.json, `hf_daily_papers*.json` and `hn_*.json` files there replace the
 * corresponding recorded defaults.
 */
function loadDerivedRoutes() {
  const routes = [];
  if (!existsSync(DERIVED)) return routes;
  const manifest = join(DERIVED, 'routes.json');
  if (existsSync(manifest)) {
    for (const r of JSON.parse(readFileSync(manifest, 'utf8'))) routes.push({ ...r, file: join('derived', r.file) });
  }
  return routes;
}

function assetType(file) {
  const ext = file.slice(file.lastIndexOf('.') + 1);
  return { css: 'text/css', js: 'text/javascript', svg: 'image/svg+xml', png: 'image/png', webmanifest: 'application/manifest+json' }[ext] ?? 'application/octet-stream';
}

function contentTypeFor(file) {
  if (file.endsWith('.json')) return 'application/json; charset=utf-8';
  if (file.endsWith('.html')) return 'text/html; charset=utf-8';
  if (file.startsWith('rss_')) return 'application/rss+xml';
  if (file.endsWith('.xml')) return 'application/atom+xml; charset=UTF-8';
  return 'application/octet-stream';
}

/** Resolves a request to a recorded response in the normal scenario. */
function route(host, method, pathQuery, derived, opts, reqBody) {
  const [path] = pathQuery.split('?');
  if (opts.demoDay) {
    const demo = demoRoute(opts.demoDay, host, method, path, reqBody);
    if (demo) return demo;
  }
  for (const r of derived) {
    if (r.host !== host || (r.method && r.method !== method)) continue;
    if (r.path ? r.path === pathQuery || r.path === path : pathQuery.startsWith(r.pathPrefix)) {
      return { status: r.status ?? 200, type: r.contentType ?? contentTypeFor(r.file), body: fixture(r.file), file: r.file };
    }
  }
  const file = (f, extra = {}) => ({ status: 200, type: contentTypeFor(f), body: fixture(f), file: f, ...extra });
  const derivedFile = (f) => {
    const r = file(join('derived', f));
    r.body = validIds(r.body);
    return r;
  };
  const notRecorded = () => ({ status: 404, type: 'text/plain', body: Buffer.from(`Not recorded: ${host}${pathQuery}\n`), unmatched: true });

  switch (host) {
    case 'arxiv.org':
    case 'www.arxiv.org': {
      const name = PAGES[pathQuery] ?? PAGES[path];
      if (name) return file(name);
      const asset = path.startsWith('/static/') && !path.includes('..') ? join('arxiv-static', path.slice('/static/'.length)) : null;
      if (asset && existsSync(join(FIXTURES, asset))) return { ...file(asset), type: assetType(asset) };
      return notRecorded();
    }
    case 'rss.arxiv.org': {
      if (!path.startsWith('/rss/')) return notRecorded();
      let key = FEEDS[path] ? path : path.includes('+') ? JOINED_DEFAULT : EMPTY_FEED;
      if (opts.feed && path.includes('+')) key = opts.feed;
      const feed = FEEDS[key];
      const served = file(feed.file, { etag: feed.etag ? `"${feed.etag}"` : undefined, mappedFrom: key === path ? undefined : key });
      if (!opts.rawFeed) served.body = validIds(served.body);
      if (opts.hostile) served.body = hostileFeed(served.body);
      return served;
    }
    case 'export.arxiv.org':
      return path === '/api/query' ? file('arxiv_api_idlist_2026-04.xml') : notRecorded();
    case 'huggingface.co': {
      if (path === '/api/daily_papers') return derivedFile('hf_daily_papers_derived.json');
      if (path === '/api/papers/2605.06554') return file('hf_paper_2605.06554.json');
      return notRecorded();
    }
    case 'api.alphaxiv.org':
      return path === '/papers/v3/feed' ? derivedFile('alphaxiv_feed_derived.json') : notRecorded();
    case 'hn.algolia.com': {
      if (path === '/api/v1/search_by_date') return derivedFile('hn_algolia_derived.json');
      const hn = hnReplies();
      const exact = hn.byUrl.get(pathQuery);
      if (exact) return { status: 200, type: 'application/json; charset=utf-8', body: Buffer.from(exact) };
      if (path === '/api/v1/search' || path === '/api/v1/search_by_date') {
        return { status: 200, type: 'application/json; charset=utf-8', body: Buffer.from(hn.empty) };
      }
      return notRecorded();
    }
    case 'api.semanticscholar.org':
      if (path !== '/graph/v1/paper/batch' || method !== 'POST') return notRecorded();
      return s2Batch(derivedFile('s2_paper_batch_derived.json'), reqBody) ?? notRecorded();
    case 'api.x.com':
    case 'api.twitter.com':
      if (path === '/2/tweets/search/recent') return derivedFile('x_search_recent_derived.json');
      return notRecorded();
    case 'public.api.bsky.app':
      return path === '/xrpc/app.bsky.feed.getAuthorFeed' ? derivedFile('bluesky_author_feed_derived.json') : notRecorded();
    case 'api.bsky.app':
      return path === '/xrpc/app.bsky.feed.searchPosts' ? derivedFile('bluesky_search_posts_derived.json') : notRecorded();
    case 'bsky.social':
      if (path === '/xrpc/com.atproto.server.createSession' && method === 'POST') return derivedFile('bluesky_create_session_derived.json');
      if (path === '/xrpc/app.bsky.feed.searchPosts') return derivedFile('bluesky_search_posts_derived.json');
      return notRecorded();
    default:
      return notRecorded();
  }
}

const DEMO_DIR = join(FIXTURES, 'demo-day');
const demoCache = new Map();
/** A demo-day body: the committed file when there is one (what `npm run demo` serves), else made by the same generator. */
function demoBody(name, make) {
  let body = demoCache.get(name);
  if (body === undefined) {
    const file = join(DEMO_DIR, name);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : make();
    body = text === null ? null : Buffer.from(text);
    demoCache.set(name, body);
  }
  return body;
}

/**
 * The demo day (option demoDay, `npm run demo`): a real announcement day, see
 * test/fixtures/demo-day/make-demo-day.mjs and test/fixtures/README.md.
 *   rss.arxiv.org   /rss/<cats>: the day's feed for those categories (DERIVED from the recorded metadata).
 *   arxiv.org       /list/<cat>/new and /abs/<id> of the day's papers (DERIVED: recorded markup, recorded metadata).
 *   huggingface.co  /api/daily_papers: the REAL reply recorded on 2026-05-18 (whatever date is asked:
 *                   it is the one recording, holding the entries of 2026-05-15 and 2026-05-18);
 *                   /api/papers/<id>: the recorded single-paper replies, 404 for any other id.
 *   hn.algolia.com  the first recorded search reply with its hits removed (no HN recording of the day).
 *   api.semanticscholar.org  `null` for every id asked (the recording's own answer for an unknown id).
 * Anything else falls through to the ordinary routes.
 */
function demoRoute(day, host, method, path, reqBody) {
  if (!DEMO_DAYS.includes(day)) throw new Error(`no demo day ${day} (have ${DEMO_DAYS.join(', ')})`);
  const ok = (name, type, body, extra = {}) => (body ? { status: 200, type, body, file: join('demo-day', name), ...extra } : null);
  switch (host) {
    case 'rss.arxiv.org': {
      if (!path.startsWith('/rss/')) return null;
      const cats = path.slice('/rss/'.length).split('+').filter(Boolean);
      if (!cats.length) return null;
      const name = `rss_${cats.join('+')}_${day}.xml`;
      const body = demoBody(name, () => buildFeed(day, cats));
      return ok(name, 'application/rss+xml', body, { etag: `"${feedEtag(body)}"` });
    }
    case 'arxiv.org':
    case 'www.arxiv.org': {
      const list = /^\/list\/([^/]+)\/new$/.exec(path);
      if (list && CATEGORY_NAMES[list[1]]) {
        const name = `list_${list[1]}_new_${day}.html`;
        return ok(name, 'text/html; charset=utf-8', demoBody(name, () => buildListing(day, list[1])));
      }
      const abs = /^\/abs\/(\d{4}\.\d{4,5})(v\d+)?$/.exec(path);
      if (abs) {
        const name = `abs_${abs[1]}_${day}.html`;
        return ok(name, 'text/html; charset=utf-8', demoBody(name, () => buildAbs(day, abs[1])));
      }
      return null;
    }
    case 'huggingface.co': {
      if (path === '/api/daily_papers') return { status: 200, type: 'application/json; charset=utf-8', body: fixture('hf_daily_papers_2026-05-18.json'), file: 'hf_daily_papers_2026-05-18.json' };
      const paper = /^\/api\/papers\/(\d{4}\.\d{4,5})$/.exec(path);
      if (paper && existsSync(join(FIXTURES, `hf_paper_${paper[1]}.json`))) return { status: 200, type: 'application/json; charset=utf-8', body: fixture(`hf_paper_${paper[1]}.json`), file: `hf_paper_${paper[1]}.json` };
      if (paper) return { status: 404, type: 'application/json; charset=utf-8', body: Buffer.from('{"error":"Not found"}'), file: null };
      return null;
    }
    case 'hn.algolia.com':
      if (path === '/api/v1/search_by_date' || path === '/api/v1/search') return { status: 200, type: 'application/json; charset=utf-8', body: Buffer.from(hnReplies().empty) };
      return null;
    case 'api.semanticscholar.org': {
      if (path !== '/graph/v1/paper/batch' || method !== 'POST') return null;
      let ids;
      try {
        ids = JSON.parse(reqBody).ids;
      } catch {
        return null;
      }
      return Array.isArray(ids) ? { status: 200, type: 'application/json; charset=utf-8', body: Buffer.from(JSON.stringify(ids.map(() => null))) } : null;
    }
    default:
      return null;
  }
}

/**
 * HAND-MADE edge case (option `hostile` on rss.arxiv.org): the joined feed with every item's title,
 * authors and abstract replaced by hostile text — markup, an event handler, a javascript: URL, an
 * RTL override and a 10 KB title — XML-escaped, so a correct parser hands the raw strings on.
 */
export const HOSTILE = {
  // Items in feed order: 2310.16106 (cs.IT), 2310.16646 and 2310.16645 (cs.CV, listed in the popup).
  titles: [
    '<iframe src="https://evil.example/"></iframe>Frame title',
    `<img src=x onerror="window.__pwned=1">Image title ${'very long '.repeat(1000)}end`,
    '<script>window.__pwned=2</script>Script title \u202Egnp.exe',
  ],
  creator: '<b onmouseover="window.__pwned=3">Mallory</b>, javascript:alert(1), \u202EevilRTL',
  abstract: '<a href="javascript:window.__pwned=4">click</a> <iframe src="https://evil.example/"></iframe>',
};
const xmlEscape = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
function hostileFeed(buf) {
  let i = 0;
  const text = buf.toString('utf8').replace(/<item>([\s\S]*?)<\/item>/g, (_m, inner) => {
    const title = HOSTILE.titles[i++ % HOSTILE.titles.length];
    const out = inner
      .replace(/<title>[\s\S]*?<\/title>/, `<title>${xmlEscape(title)}</title>`)
      .replace(/<dc:creator>[\s\S]*?<\/dc:creator>/, `<dc:creator>${xmlEscape(HOSTILE.creator)}</dc:creator>`)
      .replace(/(Abstract: )[\s\S]*?(<\/description>)/, (_x, a, b) => `${a}${xmlEscape(HOSTILE.abstract)}${b}`);
    return `<item>${out}</item>`;
  });
  return Buffer.from(text);
}

/**
 * S2 answers a batch positionally: one element per id asked (`ARXIV:<id>`), here the derived entry
 * whose externalIds.ArXiv is that id, `null` for ids it does not know. Null (→ "not recorded")
 * for a body without an ids list.
 */
function s2Batch(derived, reqBody) {
  let ids;
  try {
    ids = JSON.parse(reqBody).ids;
  } catch {
    ids = null;
  }
  if (!Array.isArray(ids)) return null;
  const entries = JSON.parse(derived.body.toString('utf8'));
  const byId = new Map(entries.map((e) => [`ARXIV:${e.externalIds.ArXiv}`, e]));
  const reply = ids.map((id) => byId.get(id) ?? null);
  return { ...derived, body: Buffer.from(JSON.stringify(reply)) };
}

/** What an "empty" answer is for each host: a recorded empty feed for arXiv RSS, otherwise an empty body. */
function emptyFor(host) {
  if (host === 'rss.arxiv.org') return { status: 200, type: 'application/rss+xml', body: fixture(FEEDS[EMPTY_FEED].file) };
  return { status: 200, type: contentTypeFor(host.includes('arxiv') ? 'x.xml' : 'x.json'), body: Buffer.alloc(0) };
}

/**
 * The replay server's self-signed certificate, committed so that no tool (openssl) is needed on a
 * fresh machine; Chromium runs with --ignore-certificate-errors anyway. Valid until 2126, for every
 * name in HOSTS. To make a new one (after adding a host):
 *   openssl req -x509 -newkey rsa:2048 -nodes -keyout test/e2e/certs/key.pem -out test/e2e/certs/cert.pem \
 *     -days 36500 -subj /CN=hot-papers-replay -addext "subjectAltName=DNS:arxiv.org,…,DNS:localhost,IP:127.0.0.1"
 */
const CERT_DIR = join(here, 'certs');

function readCert() {
  return { key: readFileSync(join(CERT_DIR, 'key.pem')), cert: readFileSync(join(CERT_DIR, 'cert.pem')) };
}

function headerSummary(req) {
  const h = req.headers;
  return {
    ifNoneMatch: h['if-none-match'] ?? null,
    ifModifiedSince: h['if-modified-since'] ?? null,
    authorization: 'authorization' in h,
    xApiKey: 'x-api-key' in h,
    userAgent: h['user-agent'] ?? null,
    // Who asked: a page's own fetch carries its origin (https://arxiv.org); the worker's carries
    // chrome-extension://… (or none for simple GETs) — so a test can tell page requests apart.
    origin: h.origin ?? null,
    fetchSite: h['sec-fetch-site'] ?? null,
    fetchDest: h['sec-fetch-dest'] ?? null,
  };
}

/**
 * Starts the server. Returns { port, origin, log, setScenario, scenarioOf, reset, watchSecrets,
 * requests(filter), setOffline, close }.
 */
export async function startReplayServer({ port = 0, quiet = true, demoDay = null } = {}) {
  const { key, cert } = readCert();
  const derived = loadDerivedRoutes();

  /** host → { name, options } ; '*' applies to hosts without their own. */
  const scenarios = new Map();
  const log = [];
  let secrets = [];
  const sockets = new Set();
  let listening = false;
  let boundPort = port;

  /** Responses a test generates (e.g. a 2000-entry page built from a real one), by host+path. */
  const extraRoutes = new Map();
  /** Requests a test answers itself by host and path prefix (e.g. X's pages by next_token). */
  const handlerRoutes = [];
  const scenarioOf = (host) => scenarios.get(host) ?? scenarios.get('*') ?? { name: 'normal', options: {} };

  const server = https.createServer(
    {
      key,
      cert,
      // Per-host "offline": refuse the TLS handshake for that name, as close to a refused connection
      // as one shared port allows (the browser sees a network error, not an HTTP answer).
      SNICallback(servername, cb) {
        if (scenarioOf(servername).name === 'offline') {
          // Logged too: the attempt never becomes an HTTP request, but a test wants to see it.
          log.push({ t: Date.now(), host: servername, method: 'CONNECT', path: '', scenario: 'offline', status: 'refused', secrets: [] });
          cb(new Error(`offline: ${servername}`));
        } else cb(null, null);
      },
    },
    (req, res) => handle(req, res).catch((err) => {
      if (!quiet) console.error('[replay]', err);
      res.destroy();
    }),
  );
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => {});
  server.keepAliveTimeout = 2000;

  async function readBody(req) {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    return Buffer.concat(chunks).toString('utf8');
  }

  async function handle(req, res) {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const pathQuery = req.url ?? '/';
    const body = await readBody(req);

    if (pathQuery.startsWith('/__admin')) return admin(req, res, pathQuery, body);

    const scenario = scenarioOf(host);
    const entry = {
      t: Date.now(),
      host,
      method: req.method,
      path: pathQuery,
      ...headerSummary(req),
      secrets: secretsIn(req, pathQuery, body),
      scenario: scenario.name,
      status: null,
    };
    log.push(entry);
    if (!quiet) console.log(`[replay] ${req.method} ${host}${pathQuery} (${scenario.name})`);

    const handler = handlerRoutes.find((r) => r.host === host && pathQuery.startsWith(r.pathPrefix));
    const answered = handler ? handler.fn(pathQuery, req.method, body) : null;
    const custom = answered ? { status: answered.status ?? 200, type: answered.type ?? 'application/json; charset=utf-8', body: Buffer.from(answered.body), file: answered.file ?? 'test-handler' } : null;
    const normal = custom ?? extraRoutes.get(`${host}${pathQuery}`) ?? route(host, req.method, pathQuery, derived, demoDay ? { ...scenario.options, demoDay } : scenario.options, body);
    entry.file = normal.file ?? null;
    entry.unmatched = Boolean(normal.unmatched);
    const send = (status, type, payload, extra = {}) => {
      entry.status = status;
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra };
      if (payload !== null) headers['Content-Length'] = String(payload.length);
      res.writeHead(status, headers);
      res.end(payload ?? undefined);
    };
    const serveNormal = (r) => {
      const extra = {};
      if (r.etag) extra.ETag = r.etag;
      if (r.etag && req.headers['if-none-match'] === r.etag) return send(304, r.type, null, extra);
      send(r.status, r.type, r.body, extra);
    };
    const opts = scenario.options ?? {};

    switch (scenario.name) {
      case 'normal':
        return serveNormal(normal);
      case '304':
        if (opts.unconditional || req.headers['if-none-match'] || req.headers['if-modified-since']) {
          return send(304, normal.type, null, normal.etag ? { ETag: normal.etag } : {});
        }
        return serveNormal(normal);
      case '429':
        return send(429, 'text/plain', Buffer.from('Rate exceeded.\n'), { 'Retry-After': String(opts.retryAfter ?? 120) });
      case '500':
        return send(500, 'text/plain', Buffer.from('Internal Server Error\n'));
      case 'slow': {
        const delay = opts.delayMs ?? 45_000;
        await new Promise((r) => {
          const timer = setTimeout(r, delay);
          res.on('close', () => {
            clearTimeout(timer);
            r();
          });
        });
        if (res.destroyed || res.writableEnded) {
          entry.status = 'client-gave-up';
          return;
        }
        return serveNormal(normal);
      }
      case 'reset':
        entry.status = 'reset';
        req.socket.destroy();
        return;
      case 'html':
        return send(200, 'text/html; charset=utf-8', Buffer.from(HTML_ERROR_PAGE));
      case 'truncated': {
        // Half the real body, then a clean end: the client receives a complete HTTP response whose
        // payload stops mid-document (a parser problem, not a network one).
        entry.status = normal.status;
        res.writeHead(normal.status, { 'Content-Type': normal.type, 'Cache-Control': 'no-store' });
        res.end(normal.body.subarray(0, Math.floor(normal.body.length / 2)));
        return;
      }
      case 'garbage': {
        const junk = Buffer.alloc(2048);
        for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919 + 13) % 256;
        return send(200, normal.type, junk);
      }
      case 'empty': {
        const e = emptyFor(host);
        return send(e.status, e.type, e.body);
      }
      case 'offline':
        entry.status = 'refused';
        req.socket.destroy();
        return;
      case 'redirect': {
        // options: { status (default 307), location (default https://evil.example/collect), paths:
        // path prefixes to redirect (default all); other paths are answered normally }.
        if (opts.paths && !opts.paths.some((p) => pathQuery.startsWith(p))) return serveNormal(normal);
        return send(opts.status ?? 307, 'text/plain', Buffer.from('Moved\n'), { Location: opts.location ?? 'https://evil.example/collect' });
      }
      default:
        return send(500, 'text/plain', Buffer.from(`unknown scenario ${scenario.name}\n`));
    }
  }

  function secretsIn(req, pathQuery, body) {
    if (!secrets.length) return [];
    const hay = [pathQuery, body, ...Object.values(req.headers).flat()].join('\n');
    return secrets.filter((s) => hay.includes(s));
  }

  function admin(req, res, pathQuery, body) {
    const reply = (status, value) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    try {
      if (pathQuery.startsWith('/__admin/log')) return reply(200, log);
      if (pathQuery.startsWith('/__admin/reset') && req.method === 'POST') {
        api.reset();
        return reply(200, { ok: true });
      }
      if (pathQuery.startsWith('/__admin/scenario') && req.method === 'POST') {
        const { host, scenario, options } = JSON.parse(body);
        api.setScenario(host, scenario, options);
        return reply(200, { ok: true });
      }
      if (pathQuery.startsWith('/__admin/secrets') && req.method === 'POST') {
        api.watchSecrets(JSON.parse(body));
        return reply(200, { ok: true });
      }
      return reply(404, { error: 'unknown admin call' });
    } catch (err) {
      return reply(400, { error: String(err) });
    }
  }

  const listen = () =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(boundPort, '127.0.0.1', () => {
        server.off('error', reject);
        boundPort = server.address().port;
        listening = true;
        resolve();
      });
    });
  await listen();

  const api = {
    get port() {
      return boundPort;
    },
    get origin() {
      return `https://127.0.0.1:${boundPort}`;
    },
    hosts: HOSTS,
    log,
    /** host: one of HOSTS or '*'; name: one of SCENARIOS; options: { retryAfter, delayMs, unconditional, feed, rawFeed, hostile, status, location, paths }. */
    setScenario(host, name, options = {}) {
      if (!SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}`);
      if (host !== '*' && !HOSTS.includes(host)) throw new Error(`unknown host ${host}`);
      if (options.feed && !FEEDS[options.feed]) throw new Error(`unknown recorded feed ${options.feed}`);
      if (name === 'normal' && !Object.keys(options).length) scenarios.delete(host);
      else scenarios.set(host, { name, options });
      // Kept-alive connections were set up before the switch; drop them so "offline" applies now.
      if (name === 'offline') for (const s of sockets) s.destroy();
    },
    scenarioOf: (host) => scenarioOf(host).name,
    /** Serves `body` for exactly host+pathQuery (tests that build a large page from a recorded one). */
    addRoute(host, pathQuery, { body, type = 'text/html; charset=utf-8', status = 200 }) {
      extraRoutes.set(`${host}${pathQuery}`, { status, type, body: Buffer.from(body), file: 'test-generated' });
    },
    /**
     * Answers requests to host whose path+query starts with pathPrefix with fn(pathQuery, method, body)
     * → { body, status?, type?, file? } (null: the ordinary route). Scenarios still apply on top.
     */
    addHandler(host, pathPrefix, fn) {
      handlerRoutes.push({ host, pathPrefix, fn });
    },
    /** Clears scenarios and the log (not the secrets). */
    reset() {
      scenarios.clear();
      log.length = 0;
    },
    /** Registers strings (fake tokens) whose appearance in any request is recorded in log[i].secrets. */
    watchSecrets(list) {
      secrets = [...list];
    },
    requests(filter = {}) {
      return log.filter((e) => (!filter.host || e.host === filter.host) && (!filter.pathPrefix || e.path.startsWith(filter.pathPrefix)));
    },
    /** Whole-server offline: stop listening (connections are refused) and come back on the same port. */
    async setOffline(offline) {
      if (offline && listening) {
        listening = false;
        await new Promise((r) => {
          server.close(() => r());
          for (const s of sockets) s.destroy();
        });
      } else if (!offline && !listening) {
        await listen();
      }
    },
    async close() {
      if (listening) {
        listening = false;
        await new Promise((r) => {
          server.close(() => r());
          for (const s of sockets) s.destroy();
        });
      }
    },
  };
  return api;
}

/** Files the server can serve (for the fixtures README check and the demo's printout). */
export function recordedFiles() {
  return readdirSync(FIXTURES).filter((f) => /\.(xml|html|json)$/.test(f));
}

// `node test/e2e/replay-server.mjs [port]` runs it alone (handy with a browser started by hand).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const srv = await startReplayServer({ port: Number(process.argv[2] ?? 8443), quiet: false });
  console.log(`replay server on ${srv.origin}; map ${HOSTS.join(', ')} to 127.0.0.1:${srv.port}`);
  process.on('SIGINT', async () => {
    await srv.close();
    process.exit(0);
  });
}
