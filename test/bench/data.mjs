/**
 * Benchmark data, scaled up from the recordings in test/fixtures/ (see test/bench/README.md).
 *
 * Feeds: the item XML of arXiv's own RSS feed (rss_cs.CV+cs.IT_2023-10-26.xml, item 2310.16106 —
 * the one item of those captures with a real, full-length abstract) is copied n times. Each copy
 * gets a fresh id, and the title, abstract, authors and categories of one of the 10 real papers in
 * arxiv_api_search_2026-04.xml (abstracts 800–1900 characters, like arXiv's), in turn, so sizes
 * are those of real papers. Announce types follow a fixed mix (55 % new, 30 % cross, 10 % replace,
 * 5 % replace-cross). The channel header is the recorded one with the date and categories changed.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '..', '..');
const FIX = join(ROOT, 'test', 'fixtures');
const read = (name) => readFileSync(join(FIX, name), 'utf8');

/** The five categories of DEFAULT_SETTINGS (one joined feed request). */
export const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML'];
const FEED_FILE = 'rss_cs.CV+cs.IT_2023-10-26.xml';
const TEMPLATE_ID = '2310.16106';
const MIX = ['new', 'new', 'new', 'new', 'new', 'new', 'new', 'new', 'new', 'new', 'new', 'cross', 'cross', 'cross', 'cross', 'cross', 'cross', 'replace', 'replace', 'replace-cross'];

let cache;
function sources() {
  if (cache) return cache;
  const feed = read(FEED_FILE);
  const first = feed.indexOf('<item>');
  const header = feed.slice(0, first);
  const items = [...feed.matchAll(/<item>[\s\S]*?<\/item>/g)].map((m) => m[0]);
  const template = items.find((it) => it.includes(`oai:arXiv.org:${TEMPLATE_ID}v`));
  if (!template) throw new Error(`${FEED_FILE}: item ${TEMPLATE_ID} not found`);
  const api = read('arxiv_api_search_2026-04.xml');
  // Raw inner XML (entities stay escaped, as they must in the RSS item).
  const records = [...api.matchAll(/<entry>([\s\S]*?)<\/entry>/g)].map(([, e]) => ({
    title: /<title>([\s\S]*?)<\/title>/.exec(e)[1].replace(/\s+/g, ' '),
    abstract: /<summary>([\s\S]*?)<\/summary>/.exec(e)[1].trim(),
    authors: [...e.matchAll(/<name>([\s\S]*?)<\/name>/g)].map((m) => m[1]),
    categories: [...e.matchAll(/<category term="([^"]+)"/g)].map((m) => m[1]),
  }));
  cache = { header, template, records };
  return cache;
}

const DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 822 "arXiv midnight" of a YYYY-MM-DD day, as the feed writes it (-0400 in summer time). */
export function feedDate(day) {
  const d = new Date(`${day}T12:00:00Z`);
  const m = d.getUTCMonth();
  const summer = m >= 2 && m <= 10;
  return `${DOW[d.getUTCDay()]}, ${String(d.getUTCDate()).padStart(2, '0')} ${MON[m]} ${d.getUTCFullYear()} 00:00:00 ${summer ? '-0400' : '-0500'}`;
}

/** A paper id for item i of a scaled feed (`offset` keeps days apart). */
export function benchId(i, offset = 0) {
  return `2605.${String(offset + i).padStart(5, '0')}`;
}

/** A joined-category feed of `n` items for listing day `day` (n = 0: arXiv's empty weekend feed). */
export function scaledFeed({ n, day, categories = CATEGORIES, offset = 0 }) {
  const { header, template, records } = sources();
  const joined = categories.join('+');
  const date = feedDate(day);
  const head = header
    .replace(/<title>[^<]*<\/title>/, `<title>${categories.join(', ')} updates on arXiv.org</title>`)
    .replace(/<link>[^<]*<\/link>/, `<link>https://rss.arxiv.org/rss/${joined}</link>`)
    .replace(/href="https:\/\/rss\.arxiv\.org\/rss\/[^"]*"/, `href="https://rss.arxiv.org/rss/${joined}"`)
    .replace(/<pubDate>[^<]*<\/pubDate>/, `<pubDate>${date}</pubDate>`)
    .replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${date}</lastBuildDate>`);
  const out = [head];
  for (let i = 0; i < n; i++) {
    const rec = records[i % records.length];
    const type = MIX[i % MIX.length];
    const cat = categories[i % categories.length];
    const cats = type === 'new' || type === 'replace' ? [cat, ...rec.categories.filter((c) => c !== cat)] : [rec.categories[0], cat];
    const id = benchId(i, offset);
    const v = type.startsWith('replace') ? 2 : 1;
    let item = template
      .replace(/<title>[\s\S]*?<\/title>/, `<title>${rec.title}</title>`)
      .replace(/<description>[\s\S]*?<\/description>/, `<description>arXiv:${id}v${v} Announce Type: ${type} \nAbstract: ${rec.abstract}</description>`)
      .replace(/<category>[\s\S]*?<\/category>/, cats.map((c) => `<category>${c}</category>`).join('\n      '))
      .replace(/<pubDate>[^<]*<\/pubDate>/, `<pubDate>${date}</pubDate>`)
      .replace(/<arxiv:announce_type>[^<]*</, `<arxiv:announce_type>${type}<`)
      .replace(/<dc:creator>[\s\S]*?<\/dc:creator>/, `<dc:creator>${rec.authors.join(', ')}</dc:creator>`);
    item = item.split(`${TEMPLATE_ID}v1`).join(`${id}v${v}`).split(TEMPLATE_ID).join(id);
    out.push(`    ${item}\n`);
  }
  out.push('  </channel>\n</rss>\n');
  return out.join('');
}

/** Recorded replies for the counting fetch (see test/fixtures/README.md for each file's origin). */
export function recordedReplies(feedXml) {
  return {
    feedXml,
    hf: read('hf_daily_papers_2026-05-18.json'),
    hn: read('hn_algolia_search_by_date_arxiv_format.json'),
    bskySession: read('bluesky_create_session_format.json'),
    bskySearch: read('bluesky_search_posts_format.json'),
    x: read('x_v2_tweets_search_recent_public_metrics_format.json'),
    s2: JSON.parse(read('s2_paper_batch.json')),
  };
}

/** Engagement counts as recorded, per source, for the ranking benchmark's signals. */
export function countPools() {
  const hf = JSON.parse(read('hf_daily_papers_2026-05-18.json')).map((e) => ({
    upvotes: e.paper?.upvotes ?? 0, comments: e.numComments ?? 0, githubStars: e.paper?.githubStars ?? 0,
  }));
  const hn = JSON.parse(read('hn_algolia_search_by_date_arxiv_format.json')).hits.map((h) => ({ points: h.points ?? 0, comments: h.num_comments ?? 0 }));
  const bluesky = JSON.parse(read('bluesky_search_posts_format.json')).posts.map((p) => ({
    likes: p.likeCount ?? 0, reposts: p.repostCount ?? 0, replies: p.replyCount ?? 0, quotes: p.quoteCount ?? 0,
  }));
  const x = (JSON.parse(read('x_v2_tweets_search_recent_public_metrics_format.json')).data ?? []).map((t) => ({
    retweets: t.public_metrics?.retweet_count ?? 0, likes: t.public_metrics?.like_count ?? 0, posts: 1,
  }));
  const s2 = JSON.parse(read('s2_paper_batch.json')).filter(Boolean).map((e) => ({ citations: e.citationCount ?? 0, influentialCitations: e.influentialCitationCount ?? 0 }));
  return { hf, hn, bluesky, x, s2 };
}
