/**
 * Markdown digest of a day's hot list, in the structure of the "Hot Papers" digests
 * (test/fixtures/hot-papers-2020-08-27.md): YAML front matter, then per paper `# N. Title`, the
 * authors, the engagement line, abs/pdf links, category links and the abstract, then the paper's top
 * X post where the digests embedded it. The original embedded third-party HTML and X's widget script;
 * here the post is a Markdown blockquote of plain text (every character that Markdown or HTML would
 * read as markup is escaped), signed with the author, the date and the post's x.com link.
 */
import { absUrl, listUrl, pdfUrl } from '../arxiv/ids';
import { archiveName } from '../taxonomy';
import type { Settings } from '../settings';
import type { PaperView, SourceId, SourcePost } from '../types';

export interface DigestOptions {
  /** Announcement day (YYYY-MM-DD) the list belongs to. */
  day: string;
  /** Generation time, epoch ms (front matter date and the engagement line's time stamp). */
  now: number;
  settings: Pick<Settings, 'sources'>;
  socialImage?: string;
  tags?: string[];
}

const SOURCE_TAG: Record<SourceId, string> = { x: 'Twitter', hf: 'Hugging Face', alphaxiv: 'alphaXiv', hn: 'Hacker News', bluesky: 'Bluesky', s2: 'Semantic Scholar' };
const SOURCE_ORDER: SourceId[] = ['x', 'hf', 'alphaxiv', 'hn', 'bluesky', 's2'];
const ML = new Set(['cs.LG', 'stat.ML']);

const pad = (n: number): string => String(n).padStart(2, '0');

/** `08/28/2020 10:08:57` (UTC), as in the reference. */
export function stampTime(t: number): string {
  const d = new Date(t);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

const oneLine = (s: string): string => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();
const quoteYaml = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Sources that are on and contributed to at least one listed paper; X is listed whenever it is on. */
export function sourcesUsed(views: PaperView[], settings: Pick<Settings, 'sources'>): SourceId[] {
  const present = new Set(views.flatMap((v) => v.parts.map((p) => p.source)));
  return SOURCE_ORDER.filter((s) => settings.sources[s]?.enabled && (s === 'x' || present.has(s)));
}

export function engagementLine(view: PaperView, used: SourceId[], now: number): string {
  const fields: string[] = [];
  for (const s of used) {
    const counts = view.parts.find((p) => p.source === s)?.counts ?? {};
    if (s === 'x') {
      fields.push(`retweets: ${counts.retweets ?? 0}, favorites: ${counts.likes ?? counts.favorites ?? 0}`);
    } else {
      for (const [metric, n] of Object.entries(counts)) fields.push(`${s} ${metric}: ${n}`);
    }
  }
  return `- ${fields.length ? fields.join(', ') : 'no engagement yet'} (${stampTime(now)})`;
}

function defaultTags(views: PaperView[], used: SourceId[]): string[] {
  const tags = ['arXiv', ...used.map((s) => SOURCE_TAG[s])];
  if (views.some((v) => v.paper.categories.some((c) => ML.has(c)))) tags.push('Machine Learning');
  for (const v of views) {
    const name = archiveName(v.paper.primaryCategory);
    if (name && !tags.includes(name)) tags.push(name);
  }
  return tags;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`\\]+/g;
const HANDLE = /^[A-Za-z0-9_]{1,15}$/;

/** Escapes what Markdown (and the HTML it allows) would read as markup, so the text stays text. */
export function markdownText(s: string): string {
  return s
    .replace(/[\\`*_[\]<>#|~&]/g, (c) => `\\${c}`)
    .replace(/^(\s*)([-+=]|\d+[.)])/, (_m, sp: string, mark: string) => `${sp}${mark.replace(/([-+=.)])$/, '\\$1')}`);
}

/** A post's text as Markdown text: links kept as they are (so they stay links), the rest escaped. */
function quoteLine(line: string): string {
  let out = '';
  let at = 0;
  for (const m of line.matchAll(URL_IN_TEXT)) {
    out += markdownText(line.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  return out + markdownText(line.slice(at));
}

/** "August 27, 2020" (UTC), as the digests' embeds dated a post. */
function postDate(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/**
 * The top post as a Markdown blockquote: its text line by line (hard breaks), then
 * `— Name (@handle) [date](https://x.com/<handle>/status/<id>)`. The link is rebuilt from the post's
 * id and handle, never taken from stored text. Empty when there is no usable post.
 */
export function postQuote(post: SourcePost | undefined): string[] {
  if (!post || typeof post.id !== 'string' || !/^\d{1,25}$/.test(post.id)) return [];
  const handle = typeof post.handle === 'string' && HANDLE.test(post.handle) ? post.handle : '';
  const url = handle ? `https://x.com/${handle}/status/${post.id}` : `https://x.com/i/web/status/${post.id}`;
  const lines = String(post.text ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map(quoteLine);
  const name = typeof post.name === 'string' ? oneLine(post.name) : '';
  const who = [name && markdownText(name), handle && `(@${markdownText(handle)})`].filter(Boolean).join(' ');
  const sign = `— ${who ? `${who} ` : ''}[${postDate(post.createdAt) || 'post'}](${url})`;
  return [...lines.map((l, i) => `> ${l}${i < lines.length - 1 ? '\\' : ''}`), ...(lines.length ? ['>'] : []), `> ${sign}`];
}

function entry(view: PaperView, rank: number, used: SourceId[], now: number): string {
  const p = view.paper;
  const cats = [p.primaryCategory, ...p.categories.filter((c) => c !== p.primaryCategory)].filter(Boolean);
  const quote = used.includes('x') ? postQuote(view.parts.find((x) => x.source === 'x')?.posts?.[0]) : [];
  return [
    `# ${rank}. ${oneLine(p.title)}`,
    '',
    p.authors.map(oneLine).join(', '),
    '',
    engagementLine(view, used, now),
    '',
    `- links: [abs](${absUrl(p.id)}) | [pdf](${pdfUrl(p.id)})`,
    `- ${cats.map((c) => `[${c}](${listUrl(c)})`).join(' | ')}`,
    '',
    oneLine(p.abstract),
    '',
    ...(quote.length ? [...quote, ''] : []),
  ].join('\n');
}

/** The digest text; `views` in the order to print (already ranked). */
export function buildDigest(views: PaperView[], opts: DigestOptions): string {
  const used = sourcesUsed(views, opts.settings);
  const tags = opts.tags ?? defaultTags(views, used);
  const front = [
    '---',
    `title: Hot Papers ${opts.day}`,
    `date: ${new Date(opts.now).toISOString().replace(/\.\d{3}Z$/, '.Z')}`,
    'template: "post"',
    'draft: false',
    `slug: "hot-papers-${opts.day}"`,
    'category: "arXiv"',
    'tags:',
    ...tags.map((tag) => `  - ${quoteYaml(tag)}`),
    `description: "Hot papers ${opts.day}"`,
    ...(opts.socialImage ? [`socialImage: ${quoteYaml(opts.socialImage)}`] : []),
    '',
    '---',
    '',
  ].join('\n');
  const body = views.map((v, i) => entry(v, i + 1, used, opts.now)).join('\n\n\n\n');
  return `${front}\n${body}${views.length ? '\n\n\n' : ''}`;
}
