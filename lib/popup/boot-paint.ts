/**
 * The popup's first rows painted by its boot script (entrypoints/popup-boot.ts), before the Preact
 * bundle has loaded: when the worker's preview of Today's first screenful (lib/popup/preview.ts)
 * comes in and is usable, the popup's own first render of it — the App component, called once with
 * the preview as its first list (lib/popup/static-dom.ts) — goes into #app. The bundle's Preact
 * render then adopts those nodes (entrypoints/popup/main.tsx) once they are on screen, and the
 * worker's answer replaces the preview as before. docs/decisions.md (Popup) has the reasoning.
 */
import type { HotList } from '../messages';
import { renderStatic } from './static-dom';

/** Where the boot script leaves the promise of its painted frame for the app (see takeBootPaint). */
export const PAINT_BOOT_KEY = '__hotPapersPainted';

/** What the boot script painted, once it is on screen. */
export interface BootPaint {
  list: HotList;
}

export interface PaintEnv {
  document: Document;
  /** Resolves once the painted frame is on screen (firstPaintShown). */
  shown(): Promise<void>;
}

/**
 * Resolves once the page's first contentful paint has been presented (its paint-timing entry), or
 * after `capMs` when none comes (no paint timing, a hidden page). Asks for a frame on every frame
 * meanwhile: without that, Chromium presented the painted frame only once the app's own render
 * made the next one (issue 17's A/B runs, docs/performance.md).
 */
export function firstPaintShown(win: Pick<Window, 'setTimeout' | 'requestAnimationFrame'> & { PerformanceObserver?: typeof PerformanceObserver; performance: Performance }, capMs: number): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    let observer: PerformanceObserver | undefined;
    const finish = (): void => {
      if (done) return;
      done = true;
      observer?.disconnect();
      resolve();
    };
    const shown = (): boolean => win.performance.getEntriesByName('first-contentful-paint').length > 0;
    if (shown()) return finish();
    try {
      observer = win.PerformanceObserver ? new win.PerformanceObserver(() => shown() && finish()) : undefined;
      observer?.observe({ type: 'paint', buffered: true });
    } catch {
      observer = undefined;
    }
    const pump = (): void => {
      if (done) return;
      if (shown()) return finish();
      win.requestAnimationFrame(pump);
    };
    win.requestAnimationFrame(pump);
    win.setTimeout(finish, capMs);
  });
}

/**
 * Paints `tree` (what the App renders first for `list`) into the page's #app: at once when the
 * parser has made #app, else when parsing ends (readyState "interactive", before module scripts
 * run). Not when #app already holds something (the app rendered first), nor for a list without
 * rows. Leaves on `global[PAINT_BOOT_KEY]` a promise that resolves, once the painted frame is on
 * screen, with what was painted — or with undefined when nothing was. The app renders after it:
 * its render (~10 ms on a slow machine) would otherwise compete with presenting that frame.
 */
export function paintPreview(global: Record<string, unknown>, env: PaintEnv, list: HotList, tree: () => unknown): void {
  const doc = env.document;
  let settle!: (painted: BootPaint | undefined) => void;
  global[PAINT_BOOT_KEY] = new Promise<BootPaint | undefined>((resolve) => (settle = resolve));
  const paint = (): void => {
    const app = doc.getElementById('app');
    if (!app || app.firstChild || !list.items.length) return settle(undefined);
    const built = doc.createDocumentFragment();
    try {
      renderStatic(tree(), built);
    } catch {
      // Rows that cannot be rendered are not shown early: the app renders the list itself.
      return settle(undefined);
    }
    app.appendChild(built);
    const ids = list.items.map((v) => v.paper.id);
    void env.shown().then(() => {
      // The popup's "first rows painted" mark (the app sets it itself when it paints first).
      performance.mark('hp:rows', { detail: { ids, by: 'boot' } });
      settle({ list });
    });
  };
  if (doc.getElementById('app') || doc.readyState !== 'loading') paint();
  else {
    const onState = (): void => {
      if (doc.readyState === 'loading') return;
      doc.removeEventListener('readystatechange', onState);
      paint();
    };
    doc.addEventListener('readystatechange', onState);
  }
}

/** The boot script's painted frame, once (undefined when it painted nothing or did not try). */
export function takeBootPaint(global: Record<string, unknown>): Promise<BootPaint | undefined> | undefined {
  const pending = global[PAINT_BOOT_KEY] as Promise<BootPaint | undefined> | undefined;
  delete global[PAINT_BOOT_KEY];
  return pending && typeof pending.then === 'function' ? pending : undefined;
}
