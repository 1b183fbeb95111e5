/**
 * Shared helpers for the hot list, notification and export tests: English messages, an isolated
 * database, papers parsed from the recorded arXiv feeds, signals, and a fake BackgroundEnv.
 */
import { readFileSync } from 'node:fs';
import { render } from 'preact';
import { join } from 'node:path';
import { parseApiFeed } from '../../lib/arxiv/api';
import { parseFeed } from '../../lib/arxiv/feed';
import type { BackgroundEnv, NotificationRequest } from '../../lib/worker/background-env';
import { openHotDb, storePapers, storeSignals, type HotDb } from '../../lib/store/db';
import { setMessageSource, sourceFromMessages } from '../../lib/i18n';
import { DEFAULT_SETTINGS, SETTINGS_KEY, type KeyValueStorage, type Settings } from '../../lib/settings';
import type { AnnounceType, ListingEntry, Paper, SignalRecord, SourceId } from '../../lib/types';

/** A fresh container in the document for a component test (DOM tests; see dropRoot). */
export function newRoot(): HTMLElement {
  const el = document.createElement('div');
  document.body.append(el);
  return el;
}

/** Unmounts what Preact rendered into a newRoot() container and takes it out of the document. */
export function dropRoot(el: HTMLElement): void {
  render(null, el);
  el.remove();
}

export function fixture(name: string): string {
  // Paths from the project root (vitest's cwd): under happy-dom, import.meta.url is not a file URL.
  return readFileSync(join(process.cwd(), 'test/fixtures', name), 'utf8');
}

export function useEnglish(): void {
  const messages = JSON.parse(readFileSync(join(process.cwd(), 'public/_locales/en/messages.json'), 'utf8'));
  setMessageSource(sourceFromMessages(messages));
}

let dbCounter = 0;
export function freshDb(): Promise<HotDb> {
  return openHotDb(`hp-test-${process.pid}-${++dbCounter}-${Math.random()}`);
}

export const NOW = Date.parse('2023-10-27T12:00:00Z');

/**
 * Real papers: every item of the recorded feeds rss_cs_2023-10-26.xml and rss_math_2023-10-26.xml.
 * arXiv's test data uses ids with an impossible month (1234.56xx); they are replaced by valid ids
 * (2310.166xx / 2310.167xx) so that id validation accepts them — the only change. Plus the ten
 * papers of the recorded arXiv API search reply arxiv_api_search_2026-04.xml.
 */
export function realPapers(): Paper[] {
  const cs = parseFeed(fixture('rss_cs_2023-10-26.xml').replace(/1234\.56(\d\d)/g, '2310.166$1'), { now: NOW, categories: ['cs'] });
  const math = parseFeed(fixture('rss_math_2023-10-26.xml').replace(/1234\.56(\d\d)/g, '2310.167$1'), { now: NOW, categories: ['math'] });
  const api = parseApiFeed(fixture('arxiv_api_search_2026-04.xml'), NOW);
  const byId = new Map<string, Paper>();
  for (const p of [...cs.papers, ...math.papers, ...api.papers]) byId.set(p.id, p);
  return [...byId.values()];
}

/** Stores `paper` (a copy under `id`) as listed on `day` in its categories with `type`. */
export async function list(db: HotDb, base: Paper, id: string, day: string, type: AnnounceType = 'new', categories = base.categories): Promise<Paper> {
  const paper: Paper = { ...base, id, announced: day, announceType: type };
  const rows: ListingEntry[] = categories.map((category) => ({ day, category, id, announceType: type }));
  await storePapers(db, [paper], rows);
  return paper;
}

export async function signal(db: HotDb, paperId: string, source: SourceId, counts: Record<string, number>, fetchedAt = NOW): Promise<void> {
  const rec: SignalRecord = { paperId, source, counts, links: [], fetchedAt };
  await storeSignals(db, [rec]);
}

export function memStorage(settings?: Partial<Settings>): KeyValueStorage & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = settings ? { [SETTINGS_KEY]: { ...structuredClone(DEFAULT_SETTINGS), ...settings } } : {};
  return {
    data,
    async get(key) {
      return key in data ? { [key]: structuredClone(data[key]) } : {};
    },
    async set(items) {
      Object.assign(data, structuredClone(items));
    },
  };
}

export interface FakeEnv extends BackgroundEnv {
  badges: { text: string; title: string }[];
  shown: NotificationRequest[];
  clock: { t: number };
}

export function fakeEnv(db: HotDb, storage: KeyValueStorage, t = NOW): FakeEnv {
  const clock = { t };
  const badges: FakeEnv['badges'] = [];
  const shown: NotificationRequest[] = [];
  return {
    db,
    storage,
    clock,
    badges,
    shown,
    now: () => clock.t,
    fetch: () => Promise.reject(new Error('no network in tests')),
    async setBadge(text, title) {
      badges.push({ text, title });
    },
    async showNotification(n) {
      shown.push(n);
    },
    async pushToTab() {},
  };
}

export function settingsWith(patch: Partial<Settings>): Settings {
  return { ...structuredClone(DEFAULT_SETTINGS), ...patch };
}
