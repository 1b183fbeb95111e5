/**
 * The per-source breakdown a badge opens on hover or focus (and that the abs page shows in full):
 * counts per source, a small heat-history sparkline, links to the discussions. Links come only from
 * validated ids and the sources' known https hosts (lib/safe-url.ts); all text goes in as text.
 */
import { safeLinks } from '../safe-url';
import type { PageView } from '../types';
import { countsText, formatCount, heatLevel, isRising, isSource, levelWord, sourceName } from './format';
import { msg } from './i18n';
import type { BadgeState } from './badge';

const SVG = 'http://www.w3.org/2000/svg';

/** Heat history as an inline SVG polyline (built with createElementNS; no markup strings). */
export function sparkline(doc: Document, history: PageView['history'], width = 120, height = 24): SVGSVGElement | null {
  const pts = history.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.heat));
  if (pts.length < 2) return null;
  const t0 = pts[0]!.t;
  const span = Math.max(1, pts[pts.length - 1]!.t - t0);
  const max = Math.max(1e-9, ...pts.map((p) => p.heat));
  const svg = doc.createElementNS(SVG, 'svg');
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', msg('pageSparkline', formatCount(pts[0]!.heat), formatCount(pts[pts.length - 1]!.heat)));
  const line = doc.createElementNS(SVG, 'polyline');
  line.setAttribute(
    'points',
    pts.map((p) => `${(((p.t - t0) / span) * (width - 2) + 1).toFixed(1)},${(height - 1 - (p.heat / max) * (height - 2)).toFixed(1)}`).join(' '),
  );
  svg.appendChild(line);
  return svg;
}

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Fills `panel` (emptied first) with the breakdown of one paper. */
export function fillBreakdown(panel: HTMLElement, state: BadgeState, view: PageView | undefined, threshold: number): void {
  const doc = panel.ownerDocument;
  panel.replaceChildren();
  if (state === 'pending') {
    panel.appendChild(el(doc, 'p', msg('pageBreakdownLoading')));
    return;
  }
  if (!view) {
    panel.appendChild(el(doc, 'p', msg('pageBreakdownNoData')));
    return;
  }
  const level = levelWord(heatLevel(view.heat, threshold));
  const head = !(view.heat > 0)
    ? msg('pageBreakdownNoSignal')
    : isRising(view)
      ? msg('pageBreakdownHeatRising', formatCount(view.heat), level, view.velocity.toFixed(1))
      : msg('pageBreakdownHeat', formatCount(view.heat), level);
  panel.appendChild(el(doc, 'h4', head));
  if (view.fy && !view.nfm) panel.appendChild(el(doc, 'p', view.fy)).className = 'hp-fy';
  const parts = view.parts.filter((p) => isSource(p.source));
  if (parts.length) {
    const table = el(doc, 'table');
    for (const p of [...parts].sort((a, b) => b.score - a.score)) {
      const tr = el(doc, 'tr');
      tr.append(el(doc, 'td', sourceName(p.source)), el(doc, 'td', countsText(p.source, p.counts) || '—'), el(doc, 'td', msg('pageShare', Math.round(p.share * 100))));
      table.appendChild(tr);
    }
    panel.appendChild(table);
  }
  const spark = sparkline(doc, view.history);
  if (spark) panel.appendChild(spark);
  const links = parts.flatMap((p) => safeLinks(p.source, p.links).map((l) => ({ ...l, source: p.source })));
  if (links.length) {
    const ul = el(doc, 'ul');
    for (const l of links.slice(0, 8)) {
      const a = el(doc, 'a', l.label || msg('pageDiscussion', sourceName(l.source)));
      a.href = l.url;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      const li = el(doc, 'li');
      li.appendChild(a);
      ul.appendChild(li);
    }
    panel.appendChild(ul);
  }
  // "Not for me" (issue 21): a negative example for the For you model, and its undo.
  const nfm = el(doc, 'button', msg(view.nfm ? 'notForMeUndo' : 'notForMe'));
  nfm.type = 'button';
  nfm.className = 'hp-nfm';
  nfm.setAttribute('aria-pressed', String(!!view.nfm));
  panel.appendChild(nfm);
}
