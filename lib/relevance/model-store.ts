/**
 * Where the relevance model lives: one meta record of the paper cache (IndexedDB), with its version
 * (MODEL_VERSION), so no schema change. It is trained by the worker from the cache — after each
 * poll, and when the examples change (a star, a "not for me", an undo) — and never leaves the
 * browser. A record this version cannot read is ignored and replaced by the next training; it never
 * stops the popup or the badges.
 */
import { deleteMeta, getMeta, getPapers, recentPapers, setMeta, type HotDb } from '../store/db';
import type { Settings } from '../settings';
import { examplesKey, MIN_STARS, MODEL_VERSION, trainModel, type RelevanceModel, type TextPaper } from './model';

export const MODEL_KEY = 'relevance:model';
/** Cached papers a training learns over (the most recently written), besides the examples. */
export const CORPUS_LIMIT = 10_000;

export interface Examples {
  positives: Set<string>;
  negatives: Set<string>;
}

/** Stars are positives; "not for me" negatives (a paper both starred and dismissed counts as a star). */
export function examplesOf(settings: Settings): Examples {
  const positives = new Set(settings.watchlist.papers);
  return { positives, negatives: new Set(settings.forYou.notForMe.filter((id) => !positives.has(id))) };
}

export const examplesKeyOf = (settings: Settings): string => {
  const { positives, negatives } = examplesOf(settings);
  return examplesKey(positives, negatives);
};

const isF32 = (x: unknown, n?: number): x is Float32Array => x instanceof Float32Array && (n === undefined || x.length === n);

/** The stored model, or null when there is none or it cannot be read (another version, damage). */
export function readableModel(stored: unknown): RelevanceModel | null {
  const m = stored as Partial<RelevanceModel> | null | undefined;
  if (!m || m.version !== MODEL_VERSION || !Array.isArray(m.terms) || !(m.buckets instanceof Int32Array)) return null;
  const n = m.buckets.length;
  const ok =
    m.terms.length === n &&
    isF32(m.idf, n) &&
    isF32(m.weights, n) &&
    isF32(m.quantiles) &&
    m.quantiles.length > 1 &&
    typeof m.bias === 'number' &&
    typeof m.examples === 'string' &&
    Array.isArray(m.stars) &&
    m.stars.every((s) => typeof s?.id === 'string' && typeof s.title === 'string' && s.idx instanceof Int32Array && isF32(s.val, s.idx.length));
  return ok ? (m as RelevanceModel) : null;
}

export async function loadModel(db: HotDb): Promise<RelevanceModel | null> {
  return readableModel(await getMeta(db, MODEL_KEY));
}

export async function dropModel(db: HotDb): Promise<void> {
  await deleteMeta(db, MODEL_KEY);
}

/**
 * Trains from the cache and stores the result (or removes the stored model when there are fewer
 * than MIN_STARS cached stars: nothing to learn from). Returns the model or null.
 */
export async function trainFromCache(db: HotDb, settings: Settings, now: number): Promise<RelevanceModel | null> {
  const { positives, negatives } = examplesOf(settings);
  if (positives.size < MIN_STARS) {
    await dropModel(db);
    return null;
  }
  const recent = await recentPapers(db, CORPUS_LIMIT);
  const have = new Set(recent.map((p) => p.id));
  const missing = [...positives, ...negatives].filter((id) => !have.has(id));
  const examples = missing.length ? [...(await getPapers(db, missing)).values()] : [];
  const papers: TextPaper[] = [...recent, ...examples];
  const model = trainModel({ papers, positives, negatives, now });
  // Too few of the stars are cached: remember that for these examples, so asking again does not
  // read 10,000 papers again for nothing.
  await setMeta(db, MODEL_KEY, model ?? { version: MODEL_VERSION, examples: examplesKey(positives, negatives), empty: true });
  return model;
}

/** The model for the current examples: the stored one while they are unchanged, else a new training. */
export async function currentModel(db: HotDb, settings: Settings, now: number): Promise<RelevanceModel | null> {
  if (settings.watchlist.papers.length < MIN_STARS) return null;
  const raw = (await getMeta(db, MODEL_KEY)) as { examples?: unknown; empty?: unknown } | undefined;
  const key = examplesKeyOf(settings);
  if (raw?.examples === key) {
    if (raw.empty === true) return null;
    const stored = readableModel(raw);
    if (stored) return stored;
  }
  return trainFromCache(db, settings, now);
}
