/**
 * The extension's words come from public/_locales/en/messages.json (browser.i18n), not from the
 * code: every key the code asks for exists there in a form Chrome loads, each call passes the
 * substitutions its message uses, and a pseudo-locale changes what the background writes for the
 * UI (source statuses, discussion links, errors, poll reports, settings problems).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ArxivApiError, parseApiFeed } from '../../lib/arxiv/api';
import { FeedError, parseFeed } from '../../lib/arxiv/feed';
import { openHotDb, storePapers } from '../../lib/store/db';
import { sourceStateText } from '../../lib/format';
import { HttpError, httpJson, httpText } from '../../lib/http';
import { setMessageSource, sourceFromMessages, t, type MessageEntry, type MessageSource } from '../../lib/i18n';
import { runPoll } from '../../lib/worker/poll';
import { DEFAULT_SETTINGS, validateSettings, type KeyValueStorage } from '../../lib/settings';
import { importSettings, SettingsImportError } from '../../lib/export/settings-io';
import { collectSignals, describeError } from '../../lib/worker/signals';
import { bluesky } from '../../lib/sources/bluesky';
import { hackerNews } from '../../lib/sources/hacker-news';
import { SOURCES } from '../../lib/sources/index';
import { SourceError } from '../../lib/sources/types';
import { SOURCE_IDS, type DiscussionLink } from '../../lib/types';
import { getSourceStatuses } from '../../lib/rank/views';
import { fakeFetch, fixture, hang, json, memState, NOW, paper, sourceEnv, type Handler } from './source-test-kit';

const ROOT = process.cwd();
const EN = JSON.parse(readFileSync(join(ROOT, 'public/_locales/en/messages.json'), 'utf8')) as Record<string, MessageEntry>;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return files(path);
    return /\.tsx?$/.test(d.name) ? [path] : [];
  });
}

/** Every `t(…)` call in the UI and background code: the key (when literal) and the arguments after it. */
function calls(): { file: string; key: string | null; template: string | null; args: string[] }[] {
  const out: { file: string; key: string | null; template: string | null; args: string[] }[] = [];
  for (const file of ['lib', 'components', 'entrypoints'].flatMap(files)) {
    const src = readFileSync(join(ROOT, file), 'utf8');
    for (const m of src.matchAll(/(?<![\w.$]|function )t\(/g)) {
      const args = splitArgs(src, m.index + m[0].length);
      const first = args[0] ?? '';
      const literal = /^'([A-Za-z0-9_@]+)'$/.exec(first);
      const template = /^`([A-Za-z0-9_@]+)\$\{[^}]*\}`$/.exec(first);
      if (!literal && !template && file === join('lib', 'content', 'i18n.ts')) continue; // msg()'s own lookup, tested by content-paint
      out.push({ file: relative(ROOT, join(ROOT, file)), key: literal?.[1] ?? null, template: template?.[1] ?? null, args: args.slice(1) });
    }
  }
  return out;
}

/** The top-level, comma-separated arguments of a call whose `(` ends just before `from`. */
function splitArgs(src: string, from: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < src.length; i++) {
    const c = src[i]!;
    if (c === "'" || c === '"' || c === '`') {
      // Skip the string (template literals here hold no nested backticks).
      for (i++; i < src.length && src[i] !== c; i++) if (src[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        const last = src.slice(start, i).trim();
        if (last) args.push(last);
        return args;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(src.slice(start, i).trim());
      start = i + 1;
    }
  }
  throw new Error('unclosed t( call');
}

/** How many substitutions a message uses ($1…$9, directly or through its named placeholders). */
function arity(entry: MessageEntry): number {
  const positions = [entry.message, ...Object.values(entry.placeholders ?? {}).map((p) => p.content)].flatMap((s) =>
    [...s.replace(/\$\$/g, '').matchAll(/\$([1-9])/g)].map((m) => Number(m[1])),
  );
  return Math.max(0, ...positions);
}

// Keys built from a prefix and a value, with every value the code can produce.
const TEMPLATED: Record<string, readonly string[]> = {
  source_: SOURCE_IDS,
  sourceShort_: SOURCE_IDS,
  tab_: ['today', 'week', 'watchlist'],
  empty_: ['fetching', 'empty', 'offline', 'no_matches', 'watchlist_empty', 'error'],
  emptyHint_: ['fetching', 'empty', 'offline', 'no_matches', 'watchlist_empty', 'error'],
  link_: ['hf', 'hn', 'bluesky', 'x'],
  linkLabel_: ['hf', 'hn', 'bluesky', 'x'],
  format_: ['markdown', 'bibtex', 'json', 'csv'],
};

describe('the en messages', () => {
  const found = calls();

  it('hold every key lib/, components/ and entrypoints/ ask t() for', () => {
    const literal = found.filter((c) => c.key !== null);
    // The background's words (sources, poll, settings, HTTP) are among them, not only the UI's.
    expect(literal.length).toBeGreaterThan(150);
    for (const key of ['sourceErrHttp', 'bskySignInNeeded', 'discussionHnThread', 'pollFailed', 'feedBroken', 'httpTimeout', 'settingsProblemRange', 'settingsImportNotJson', 'optTitle']) {
      expect(literal.map((c) => c.key), key).toContain(key);
    }
    const missing = literal.filter((c) => !(c.key! in EN)).map((c) => `${c.file}: ${c.key}`);
    expect(missing).toEqual([]);
  });

  it('hold every value of every key the code builds from a prefix', () => {
    const templates = found.filter((c) => c.template !== null);
    expect(templates.length).toBeGreaterThan(5);
    const unknown = templates.filter((c) => !(c.template! in TEMPLATED)).map((c) => `${c.file}: ${c.template}\${…}`);
    expect(unknown, 'add the prefix and its values to TEMPLATED').toEqual([]);
    for (const [prefix, values] of Object.entries(TEMPLATED)) for (const v of values) expect(EN[`${prefix}${v}`], `${prefix}${v}`).toBeDefined();
  });

  it('every other t() call is one whose key a test checks elsewhere', () => {
    // format.ts looks metric names up through a variable and falls back to the metric's own name.
    expect(found.filter((c) => c.key === null && c.template === null).map((c) => c.file)).toEqual(['lib/format.ts']);
  });

  it('each call passes exactly the substitutions its message uses', () => {
    const wrong = found
      .filter((c) => c.key !== null && c.key in EN && !c.args.some((a) => a.startsWith('...')))
      .filter((c) => c.args.length !== arity(EN[c.key!]!))
      .map((c) => `${c.file}: ${c.key} gets ${c.args.length}, uses ${arity(EN[c.key!]!)}`);
    expect(wrong).toEqual([]);
  });

  it('are in a form Chrome loads: valid names, placeholders defined where used, contents $1…$9', () => {
    for (const [key, entry] of Object.entries(EN)) {
      expect(key, key).toMatch(/^[A-Za-z0-9_@]+$/);
      expect(key.startsWith('@@'), key).toBe(false);
      expect(typeof entry.message, key).toBe('string');
      const used = [...entry.message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase());
      const defined = Object.keys(entry.placeholders ?? {}).map((k) => k.toLowerCase());
      // Chrome refuses to load an extension whose message uses an undefined placeholder.
      expect([...new Set(used)].sort(), key).toEqual([...new Set(defined)].sort());
      for (const p of Object.values(entry.placeholders ?? {})) expect(p.content, key).toMatch(/^\$[1-9]$/);
    }
  });

  it('new messages name their substitutions for translators (no bare $1 next to named placeholders)', () => {
    for (const [key, entry] of Object.entries(EN)) {
      if (entry.placeholders) expect(entry.message.replace(/\$\$/g, ''), key).not.toMatch(/\$[1-9]/);
    }
  });
});

describe('sourceFromMessages', () => {
  it('substitutes in one pass, as Chrome does: a $ in a value stays as it is', () => {
    const source = sourceFromMessages({ a: { message: '$REASON$ ($$)', placeholders: { reason: { content: '$1' } } } });
    expect(source('a', ['costs $$5 or $1'])).toBe('costs $$5 or $1 ($)');
  });
});

/** «key|sub|…»: every word of ours is inside a marker; anything outside one was not localized. */
const pseudo: MessageSource = (key, subs) => `«${[key, ...(subs ?? [])].join('|')}»`;
const strip = (s: string): string => {
  for (let prev = ''; prev !== s; ) [prev, s] = [s, s.replace(/«[^«»]*»/g, '')];
  return s;
};
const english = (texts: string[]) => texts.map(strip).filter((s) => /[A-Za-z]{2,}/.test(s));

const storage = (): KeyValueStorage => {
  const store = new Map<string, unknown>();
  return {
    get: async (k) => (store.has(k) ? { [k]: structuredClone(store.get(k)) } : {}),
    set: async (items) => void Object.entries(items).forEach(([k, v]) => store.set(k, structuredClone(v))),
  };
};

const PAPERS = [paper('2605.13301', '2026-05-15'), paper('2605.15141', '2026-05-15'), paper('2605.06554', '2026-05-15'), paper('2605.10912', '2026-05-15')];
let dbn = 0;

describe('in a pseudo-locale', () => {
  afterEach(() => setMessageSource(sourceFromMessages(EN)));

  it('a source status is the locale’s words, not the code’s', async () => {
    const db = await openHotDb(`i18n-${dbn++}`);
    await storePapers(db, PAPERS, []);
    const { fetch } = fakeFetch(() => new Response('oops', { status: 500 }));
    const env = { db, settings: structuredClone(DEFAULT_SETTINGS), storage: storage(), fetch, now: () => NOW, sleep: async () => {}, sources: [hackerNews, bluesky] };

    setMessageSource(pseudo);
    await collectSignals(env, PAPERS);
    const statuses = await getSourceStatuses(db);
    const hn = statuses.find((s) => s.source === 'hn')!;
    const bsky = statuses.find((s) => s.source === 'bluesky')!;
    expect(hn).toMatchObject({ state: 'error', lastError: '«sourceErrHttp|«source_hn»|500»' });
    // Without an account Bluesky reads the category bots' public feeds: the same 500.
    expect(bsky).toMatchObject({ state: 'error', lastError: '«sourceErrHttp|«source_bluesky»|500»' });
    expect(sourceStateText(hn)).toBe('«sourceErrorWith|«sourceErrHttp|«source_hn»|500»»');

    // The same failure in English, from the same code.
    setMessageSource(sourceFromMessages(EN));
    const again = await openHotDb(`i18n-${dbn++}`);
    await storePapers(again, PAPERS, []);
    await collectSignals({ ...env, db: again }, PAPERS);
    expect((await getSourceStatuses(again)).find((s) => s.source === 'hn')!.lastError).toBe('Hacker News answered with an error (HTTP 500)');
  });

  it('every status describeError can write, for every source', () => {
    setMessageSource(pseudo);
    const errors: unknown[] = [
      new HttpError('rate-limited', '', 429, NOW + 60_000),
      new HttpError('auth', '', 401),
      new HttpError('timeout', ''),
      new HttpError('offline', ''),
      new HttpError('bad-payload', '', 200),
      new HttpError('aborted', ''),
      new HttpError('http', '', 502),
      new TypeError('x is undefined'),
    ];
    const texts = SOURCES.flatMap((s) => errors.map((e) => describeError(e, s).message));
    expect(texts.every((m) => m.startsWith('«sourceErr'))).toBe(true);
    expect(english(texts)).toEqual([]);
    // A source's own error keeps its words (already localized where it was thrown) and its kind.
    expect(describeError(new SourceError('auth-needed', t('xTokenNeeded', t('source_x'))), SOURCES[3]!)).toEqual({ state: 'auth-needed', message: '«xTokenNeeded|«source_x»»' });
  });

  it('the discussion links every source writes', async () => {
    const handler: Handler = (url) => {
      if (url.startsWith('https://huggingface.co/')) return json(url.includes('date=2026-05-15') ? fixture('hf_daily_papers_2026-05-18.json') : '[]');
      if (url.startsWith('https://hn.algolia.com/')) return json(fixture('hn_algolia_search_by_date_arxiv_format.json'));
      // The recorded alphaXiv feed, its first card re-keyed to one of PAPERS.
      if (url.startsWith('https://api.alphaxiv.org/')) {
        const feed = JSON.parse(fixture('alphaxiv_feed_v3_2025-11-04.json')) as { papers: Record<string, unknown>[] };
        return json({ papers: [{ ...feed.papers[0], universal_paper_id: PAPERS[0]!.id }] });
      }
      if (url.includes('createSession')) return json(fixture('bluesky_create_session_format.json'));
      if (url.includes('searchPosts')) return json(new URL(url).searchParams.has('cursor') ? { posts: [] } : fixture('bluesky_search_posts_format.json'));
      if (url.startsWith('https://api.x.com/')) return json(fixture('x_v2_tweets_search_recent_public_metrics_format.json'));
      return json((JSON.parse(fixture('s2_paper_batch.json')) as unknown[]).slice(0, PAPERS.length));
    };
    const credentials = { bluesky: { handle: 'reader.example.com', appPassword: 'abcd-efgh-ijkl-mnop' }, xBearer: 'x-token' };
    setMessageSource(pseudo);
    const links: DiscussionLink[] = [];
    // The recorded X replies are about the papers of the 2020-08-27 digest.
    const xPapers = ['2008.11469', '2008.11687', '2008.11713', '2008.11479'].map((id) => paper(id, '2020-08-27'));
    for (const source of SOURCES) {
      const { fetch } = fakeFetch(handler);
      const result = await source.fetchSignals(source.id === 'x' ? xPapers : PAPERS, sourceEnv(fetch, { credentials, state: memState() }));
      const own = result.signals.flatMap((s) => s.links);
      expect(own.length, source.id).toBeGreaterThan(0);
      links.push(...own);
    }
    expect(links.every((l) => l.label.startsWith('«discussion'))).toBe(true);
    expect(english(links.map((l) => l.label))).toEqual([]);
  });

  it('HTTP, feed and arXiv API errors', async () => {
    setMessageSource(pseudo);
    const fail = async (reply: Handler | 'offline', how: { timeoutMs?: number; signal?: AbortSignal; json?: boolean } = {}) => {
      const fetch = reply === 'offline' ? async () => Promise.reject(new TypeError('Failed to fetch')) : fakeFetch(reply).fetch;
      const env = { fetch, now: () => NOW, sleep: async () => {}, signal: how.signal };
      const err = await (how.json ? httpJson : httpText)(env, 'https://hn.algolia.com/api/v1/search?query=secret', { attempts: 1, timeoutMs: how.timeoutMs }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HttpError);
      return (err as HttpError).message;
    };
    const aborted = new AbortController();
    aborted.abort();
    const messages = [
      await fail('offline'),
      await fail(hang, { timeoutMs: 5 }),
      await fail(() => json({}), { signal: aborted.signal }),
      await fail(() => json({}, 401)),
      await fail(() => json({}, 429, { 'Retry-After': '3600' })),
      await fail(() => new Response('oops', { status: 500 })),
      await fail(() => new Response('<html>', { status: 200 }), { json: true }),
    ];
    expect(messages).toEqual([
      '«httpOffline|hn.algolia.com»',
      '«httpTimeout|hn.algolia.com»',
      '«httpCancelled|hn.algolia.com»',
      '«httpAuth|hn.algolia.com|401»',
      `«httpRateLimited|hn.algolia.com|${new Date(NOW + 3_600_000).toISOString()}»`,
      '«httpStatus|hn.algolia.com|500»',
      '«httpNotJson|hn.algolia.com»',
    ]);
    const feedErrors = ['<!DOCTYPE html><html></html>', '<rss><channel><item>', '<?xml version="1.0"?><opml/>'].map((body) => {
      try {
        parseFeed(body, { now: NOW });
      } catch (e) {
        expect(e).toBeInstanceOf(FeedError);
        return (e as FeedError).message;
      }
      throw new Error(`parsed ${body}`);
    });
    expect(feedErrors).toEqual(['«feedNotAFeed»', '«feedBroken|1»', '«feedNotRssOrAtom»']);
    expect(() => parseApiFeed('<html>maintenance</html>', NOW)).toThrow(ArxivApiError);
    expect(() => parseApiFeed('<html>maintenance</html>', NOW)).toThrow('«apiNotResults»');
  });

  it('a poll report', async () => {
    setMessageSource(pseudo);
    const db = await openHotDb(`i18n-${dbn++}`);
    const report = await runPoll({
      db,
      settings: { ...structuredClone(DEFAULT_SETTINGS), categories: ['cs.LG'], watchlist: { papers: ['2101.00001'], authors: [], keywords: [] } },
      fetch: async () => Promise.reject(new TypeError('Failed to fetch')),
      now: () => NOW,
      sleep: async () => {},
      reason: 'user',
      feeds: true,
      owner: 'i18n-test',
      collectSignals: async () => {
        throw new Error('');
      },
    });
    expect(report.feeds[0]!.error).toBe('«httpOffline|rss.arxiv.org»');
    expect(report.error).toBe('«pollWatchlistFailed|«httpOffline|export.arxiv.org»»');
  });

  it('settings problems and import errors', () => {
    setMessageSource(pseudo);
    const problems = [
      { version: 1, hotThreshold: 'lots', includeCrossLists: 'yes', categories: 'cs.LG', sources: { hf: 3 }, notifications: { quietHours: 'night' }, watchlist: [] },
      { version: 1, sources: 1, notifications: 2 },
      'not an object',
      { version: 99 },
    ].flatMap((input) => validateSettings(input).problems.map((p) => p.message));
    expect(problems).toEqual([
      '«settingsProblemList»',
      '«settingsProblemGroupDefault»',
      '«settingsProblemQuietHours»',
      '«settingsProblemGroupEmpty»',
      '«settingsProblemBoolean|true»',
      '«settingsProblemRange|0|1000|10»',
      '«settingsProblemGroupDefaults»',
      '«settingsProblemGroupDefaults»',
      '«settingsProblemNotObjectAll»',
      '«settingsProblemNewer|99»',
    ]);
    const failures = ['not json', '{"format":"other"}', '{"format":"hot-papers-settings"}', '{"format":"hot-papers-settings","version":99}', '{"format":"hot-papers-settings","version":1}'].map((text) => {
      try {
        importSettings(text);
      } catch (e) {
        expect(e).toBeInstanceOf(SettingsImportError);
        return (e as Error).message;
      }
      throw new Error(`imported ${text}`);
    });
    expect(failures).toEqual(['«settingsImportNotJson»', '«settingsImportNotExport»', '«settingsImportNoVersion»', '«settingsImportNewer|99»', '«settingsImportNoSettings»']);
    const withCreds = importSettings(JSON.stringify({ format: 'hot-papers-settings', version: 1, settings: {}, credentials: { xBearer: 'x' } }));
    expect(withCreds.problems).toEqual([{ field: 'credentials', message: '«settingsProblemCredentials»' }]);
  });
});
