/**
 * Sort by heat within each section, and back to arXiv's exact order. The original order is
 * recorded once (from the page read) and restored from that record, never recomputed.
 */
import type { PageEntry } from '../arxiv/listing-page';

export interface OrderSection {
  parent: Node;
  /** The node right after the section's last row when the page was read (stays put). */
  after: Node | null;
  entries: PageEntry[];
}

/** Groups entries by section; only sections whose rows share one parent can be reordered. */
export function recordSections(entries: readonly PageEntry[]): OrderSection[] {
  const bySection = new Map<number, PageEntry[]>();
  for (const e of entries) {
    const list = bySection.get(e.sectionIndex);
    if (list) list.push(e);
    else bySection.set(e.sectionIndex, [e]);
  }
  const out: OrderSection[] = [];
  for (const list of bySection.values()) {
    const parent = list[0]!.rows[0]?.parentNode;
    if (!parent || !list.every((e) => e.rows.every((r) => r.parentNode === parent))) continue;
    const lastRows = list[list.length - 1]!.rows;
    out.push({ parent, after: lastRows[lastRows.length - 1]!.nextSibling, entries: list });
  }
  return out;
}

/**
 * Puts each section's rows in heat order (highest first; ties keep arXiv's order) or, with
 * `heatOf` null, back in arXiv's order. One fragment insert per section.
 */
export function applyOrder(sections: readonly OrderSection[], heatOf: ((e: PageEntry) => number) | null): void {
  for (const s of sections) {
    const list = heatOf
      ? s.entries
          .map((e, i) => ({ e, i, h: heatOf(e) }))
          .sort((a, b) => b.h - a.h || a.i - b.i)
          .map((x) => x.e)
      : s.entries;
    const doc = s.parent.ownerDocument ?? (s.parent as Document);
    const frag = doc.createDocumentFragment();
    for (const e of list) for (const r of e.rows) frag.appendChild(r);
    s.parent.insertBefore(frag, s.after && s.after.parentNode === s.parent ? s.after : null);
  }
}
