/**
 * Records read back from IndexedDB, made safe to use. An older version's bug, a damaged profile or
 * a hand-edited database can leave a paper without a title or a signal whose counts are null or
 * not numbers; one such record must not break the popup, the badges or a poll for every other
 * paper. Readers in lib/store/db.ts pass what they read through these: a record already well formed
 * comes back as the same object (the hot path allocates nothing); a damaged one comes back
 * repaired (missing text → '', non-number counts dropped), or null when it has no usable id.
 */
import type { Paper, SignalRecord, Snapshot } from '../types';

const isText = (v: unknown): v is string => typeof v === 'string';
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.filter(isText) : []);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Counts as numbers only: anything else (null, 'many', NaN) is left out. */
export function readableCounts(counts: unknown): Record<string, number> {
  if (typeof counts !== 'object' || counts === null || Array.isArray(counts)) return {};
  const c = counts as Record<string, unknown>;
  for (const k in c) {
    if (!isCount(c[k])) {
      const out: Record<string, number> = {};
      for (const [key, v] of Object.entries(c)) if (isCount(v)) out[key] = v;
      return out;
    }
  }
  return c as Record<string, number>;
}

export function readablePaper(p: unknown): Paper | null {
  const r = p as Partial<Paper> | null | undefined;
  if (!r || !isText(r.id) || !r.id) return null;
  if (isText(r.title) && isText(r.abstract) && isText(r.primaryCategory) && Array.isArray(r.authors) && r.authors.every(isText) && Array.isArray(r.categories) && r.categories.every(isText)) return r as Paper;
  const categories = texts(r.categories);
  return {
    ...(r as Paper),
    title: isText(r.title) ? r.title : '',
    abstract: isText(r.abstract) ? r.abstract : '',
    authors: texts(r.authors),
    categories,
    primaryCategory: isText(r.primaryCategory) ? r.primaryCategory : (categories[0] ?? ''),
  };
}

export function readableSignal(s: SignalRecord): SignalRecord {
  const counts = readableCounts(s.counts);
  const links = Array.isArray(s.links) ? s.links : [];
  const postsOk = s.posts === undefined || (Array.isArray(s.posts) && s.posts.every(readablePost));
  if (counts === s.counts && links === s.links && postsOk) return s;
  const out: SignalRecord = { ...s, counts, links };
  if (!postsOk) delete out.posts;
  return out;
}

/** A kept post is shown as text: every field it shows must be there with its type, else the posts are left out. */
function readablePost(p: unknown): boolean {
  const r = p as Record<string, unknown> | null;
  return (
    typeof r === 'object' && r !== null &&
    ['id', 'url', 'handle', 'name', 'text', 'createdAt'].every((k) => typeof r[k] === 'string') &&
    typeof r.retweets === 'number' && typeof r.likes === 'number'
  );
}

export function readableSnapshot(s: Snapshot): Snapshot {
  const counts = readableCounts(s.counts);
  return counts === s.counts ? s : { ...s, counts };
}
