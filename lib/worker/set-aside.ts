/**
 * Records an upgrade of the database set aside because no reader could use them (lib/store/db.ts:
 * UNREADABLE_SIGNALS_KEY, kept as they were in meta, never deleted). The options page tells the
 * user about them once ('upgrade:setAside'): how many there were and where they are kept.
 */
import { getMetaMany, setMeta, UNREADABLE_SIGNALS_KEY, type HotDb } from '../store/db';

/** Meta keys where an upgrade keeps records it set aside, and what they are; a later upgrade adds its own here. */
export const SET_ASIDE_KEYS: ReadonlyArray<{ key: string; what: SetAside['what'] }> = [{ key: UNREADABLE_SIGNALS_KEY, what: 'signals' }];
/** Meta key of the set-aside keys the user has been told about. */
export const SET_ASIDE_TOLD_KEY = 'upgrade:told';

export interface SetAside {
  /** The meta key the records are kept under. */
  key: string;
  /** What kind of records they are (the options page's words for them). */
  what: 'signals' | 'records';
  count: number;
}

/** The set-aside records the user has not been told about yet; from now on they count as told. */
export async function takeSetAside(db: HotDb): Promise<SetAside[]> {
  const meta = await getMetaMany(db, [...SET_ASIDE_KEYS.map((s) => s.key), SET_ASIDE_TOLD_KEY]);
  const stored = meta.get(SET_ASIDE_TOLD_KEY);
  const told = new Set(Array.isArray(stored) ? stored.filter((k): k is string => typeof k === 'string') : []);
  const fresh = SET_ASIDE_KEYS.flatMap(({ key, what }) => {
    const value = meta.get(key);
    if (value === undefined || told.has(key)) return [];
    return [{ key, what, count: Array.isArray(value) ? value.length : 1 }];
  });
  if (fresh.length) await setMeta(db, SET_ASIDE_TOLD_KEY, [...told, ...fresh.map((s) => s.key)]);
  return fresh;
}
