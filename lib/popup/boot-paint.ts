/**
 * The popup's first rows painted by its boot script (entrypoints/popup-boot.ts), before the Preact
 * bundle has loaded: when the worker's preview of Today's first screenful (lib/popup/preview.ts)
 * comes in and is usable, the popup's own first render of it — the App component, called once with
 * the preview as its first list (lib/popup/static-dom.ts) — goes into #app. The bundle's Preact
 * render then adopts those nodes (entrypoints/popup/main.tsx) once they are on screen, and the
 * worker's answer replaces the preview as before. docs/decisions.md (Popup) has the reasoning.
 */
import type { HotList } from '../messages';
import { PAINT_BOOT_KEY, type BootPaint } from './boot';
import { previewList } from './preview';
import { renderStatic } from './static-dom';

/** Keys that keep their own meaning while the page is not live yet: focus moves, closing, modifiers. */
const PASSED_KEYS = new Set(['Tab', 'Escape', 'Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'AltGraph']);
/** Keys the search box answers itself (the rest is typing, which goes into the box as usual). */
const SEARCH_KEYS = new Set(['ArrowDown', 'ArrowUp', 'Enter']);

type Held = { kind: 'click'; target: Element } | { kind: 'key'; target: Element; init: KeyboardEventInit };

/**
 * Holds the clicks and keys that reach the painted page (`app`) before Preact has attached its
 * handlers, and returns the take-over: it runs the app's render, and once the app's first effects
 * have run, hands over what was typed into the search box meanwhile (Preact sets the box to the
 * app's empty query when it adopts it) as an input event, then replays the held events in order on
 * the same nodes (Preact adopts them): a click as a click, Enter or Space on a button, link, summary
 * or checkbox as a click, any other key as a keydown for the app's handlers. Tab, Escape and typing
 * are left to the browser. Nothing a reader does in the popup's first moments is lost or done twice.
 */
export function holdInput(doc: Document, app: Element): (render: () => void) => void {
  const held: Held[] = [];
  const onClick = (e: Event): void => {
    const target = e.target as Element | null;
    if (target?.nodeType !== 1) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    held.push({ kind: 'click', target });
  };
  const onKey = (e: Event): void => {
    const k = e as KeyboardEvent;
    const target = k.target as Element | null;
    if (!target || PASSED_KEYS.has(k.key) || k.isComposing) return;
    if (target.localName === 'input' && (target as HTMLInputElement).type === 'search' && !SEARCH_KEYS.has(k.key)) return;
    k.preventDefault();
    k.stopImmediatePropagation();
    const { key, code, shiftKey, ctrlKey, altKey, metaKey, repeat } = k;
    held.push({ kind: 'key', target, init: { key, code, shiftKey, ctrlKey, altKey, metaKey, repeat, bubbles: true, cancelable: true } });
  };
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('keydown', onKey, true);
  return (render) => {
    const search = app.querySelector<HTMLInputElement>('input[type=search]');
    const typed = search?.value ?? '';
    render();
    // After the app's first effects (Preact runs them after the next frame, and they set the list's
    // focus), so that what the reader did comes after them, as it would have on a live page.
    const win = (doc.defaultView ?? globalThis) as unknown as Window;
    win.requestAnimationFrame(() =>
      win.setTimeout(() => {
        doc.removeEventListener('click', onClick, true);
        doc.removeEventListener('keydown', onKey, true);
        if (search?.isConnected && typed) {
          search.value = typed;
          search.dispatchEvent(new Event('input', { bubbles: true }));
        }
        // One event a task, as they came: the app re-renders in between (a key acts on the row the
        // previous key focused).
        const next = (): void => {
          const h = held.shift();
          if (!h) return;
          if (h.target.isConnected) {
            const activates = h.kind === 'key' && (h.init.key === 'Enter' || h.init.key === ' ') && h.target.matches('button, summary, a[href], input[type=checkbox]');
            if (h.kind === 'click' || activates) (h.target as HTMLElement).click();
            else h.target.dispatchEvent(new KeyboardEvent('keydown', h.init));
          }
          win.setTimeout(next, 0);
        };
        next();
      }, 0),
    );
  };
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
 * rows. Resolves, once the painted frame is on screen, with what was painted — or at once with
 * undefined when nothing was.
 */
export function paintPreview(env: PaintEnv, list: HotList, tree: () => unknown): Promise<BootPaint | undefined> {
  const doc = env.document;
  return new Promise<BootPaint | undefined>((settle) => {
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
      const takeOver = holdInput(doc, app);
      const ids = list.items.map((v) => v.paper.id);
      void env.shown().then(() => {
        // The popup's "first rows painted" mark (the app sets it itself when it paints first).
        performance.mark('hp:rows', { detail: { ids, by: 'boot' } });
        settle({ list, takeOver });
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
  });
}

/** The longest the boot script waits for the preview read before it goes on without a preview. */
export const READ_CAP_MS = 150;

/**
 * The boot script's course (entrypoints/popup-boot.ts): when the stored preview comes in (`stored`,
 * the storage read) and is usable (previewList: the app's own check), `paint` it; once its frame is
 * on screen — or at once when there is nothing to paint — `ask` the worker for Today's first
 * screenful. Leaves on `global[PAINT_BOOT_KEY]`, at once, the promise of that outcome for the app
 * (takeBootPaint), which the popup's entry module waits for before it loads the app: neither the
 * app's bundle nor the worker's answer (reading the cache, ranking) competes with the painted frame
 * for the machine, and without a preview both start as soon as the read has said so (or has not
 * come back within `readCapMs`).
 */
export function bootPaint(global: Record<string, unknown>, stored: Promise<unknown> | undefined, paint: (list: HotList) => Promise<BootPaint | undefined>, ask: () => void, readCapMs = READ_CAP_MS): void {
  // A read that does not come back (a browser that never answers it) must not keep the app away.
  const read = stored ? Promise.race([stored, new Promise<undefined>((resolve) => setTimeout(resolve, readCapMs))]) : Promise.resolve(undefined);
  const painted = read
    .then(previewList)
    .then((list) => (list ? paint(list) : undefined))
    .catch(() => undefined);
  global[PAINT_BOOT_KEY] = painted.then((result) => {
    try {
      ask();
    } catch {
      // The app asks itself when nothing was asked.
    }
    return result;
  });
}
