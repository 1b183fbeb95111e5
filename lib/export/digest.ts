/**
 * Markdown digest of a day's hot list, in the structure of the "Hot Papers" digests
 * (test/fixtures/hot-papers-2020-08-27.md): YAML front matter, then per paper `# N. Title`, the
 * authors, the engagement line, abs/pdf links, category links and the abstract. Tweet embeds of
 * the original are not reproduced: they are third-party HTML.
 */
import { absUrl, listUrl, pdfUrl } from '../arxiv/ids';
import { archiveName } from '../taxonomy';
import type { Settings } from '../settings';
import type { PaperView, SourceId } from '../types';

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

function entry(view: PaperView, rank: number, used: SourceId[], now: number): string {
  const p = view.paper;
  const cats = [p.primaryCategory, ...p.categories.filter((c) => c !== p.primaryCategory)].filter(Boolean);
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
