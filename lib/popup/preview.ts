/**
 * The popup's preview: Today's first screenful exactly as the worker last answered it, kept in
 * `storage.session` (in the browser's memory, readable by extension pages, gone with the browser
 * session) so that the popup paints its first rows from one storage read, without waiting for the
 * worker to read settings, meta and papers. The popup still asks the worker at once and shows its
 * answer when it comes (the same rows when nothing changed), so the preview can only be early,
 * never the last word.
 *
 * It is written whenever the worker answers a plain Today request, dropped when a poll starts
 * (the data changes under it) and written afresh when a poll ends, when the popup marks rows seen
 * (their "new" marks) and when the settings change (categories, weights, watchlist stars).
 * docs/decisions.md has the reasoning.
 */
import type { HotList } from '../messages';
import { FIRST_PAGE, PREVIEW_KEY } from './boot';

export { PREVIEW_KEY };
/** Bumped when HotList changes shape: a preview of another version is not shown. (2: kept as JSON text.) */
export const PREVIEW_VERSION = 2;

/** storage.session, or what stands for it in tests. */
export interface SessionStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}

interface StoredPreview {
  v: number;
  list: HotList;
}

/**
 * Keeps the first screenful of a Today answer. Best effort: the popup then simply waits for the worker.
 * Kept as JSON text, not as an object: the browser gives stored objects back with their keys sorted
 * (a source's counts, the coverage per source), and the preview must paint what the answer will.
 */
export async function savePreview(session: SessionStore | undefined, list: HotList): Promise<void> {
  if (!session || list.view !== 'today') return;
  const stored: StoredPreview = { v: PREVIEW_VERSION, list: { ...list, items: list.items.slice(0, FIRST_PAGE) } };
  await session.set({ [PREVIEW_KEY]: JSON.stringify(stored) }).catch(() => undefined);
}

/** The stored preview as the worker kept it (JSON text), parsed; undefined when it is not that. */
function parsePreview(stored: unknown): unknown {
  if (typeof stored !== 'string') return undefined;
  try {
    return JSON.parse(stored);
  } catch {
    return undefined;
  }
}

export async function dropPreview(session: SessionStore | undefined): Promise<void> {
  await session?.remove(PREVIEW_KEY).catch(() => undefined);
}

/**
 * The stored preview's list when it has this version and the shape the popup renders, else
 * undefined (the popup then waits for the worker's answer). Runs in the popup.
 */
export function previewList(stored: unknown): HotList | undefined {
  const s = parsePreview(stored) as Partial<StoredPreview> | undefined;
  if (!s || s.v !== PREVIEW_VERSION || typeof s.list !== 'object' || s.list === null) return undefined;
  const l = s.list as Partial<HotList>;
  const ok =
    l.view === 'today' &&
    (l.day === null || typeof l.day === 'string') &&
    typeof l.total === 'number' &&
    Array.isArray(l.categoryCounts) &&
    Array.isArray(l.sources) &&
    Array.isArray(l.items) &&
    l.items.every(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof v.paper?.id === 'string' &&
        typeof v.paper.title === 'string' &&
        Array.isArray(v.paper.authors) &&
        Array.isArray(v.paper.categories) &&
        typeof v.heat === 'number' &&
        Array.isArray(v.parts) &&
        Array.isArray(v.history),
    );
  return ok ? (l as HotList) : undefined;
}
