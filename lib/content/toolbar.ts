/**
 * The small toolbar above a listing: sort by heat, only hot, watchlist highlight, and a live status
 * line for screen readers. Buttons are toggle buttons (aria-pressed); the page logic lives in page.ts.
 */
import { msg } from './i18n';
import type { Theme } from './theme';

export interface ToolbarState {
  sorted: boolean;
  onlyHot: boolean;
  highlight: boolean;
}

export interface Toolbar {
  root: HTMLElement;
  sort: HTMLButtonElement;
  hot: HTMLButtonElement;
  watch: HTMLButtonElement;
  status: HTMLElement;
  render(state: ToolbarState, threshold: number, status: { hot: number; total: number; loading: number }): void;
}

function toggle(doc: Document, action: string, text: string): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.setAttribute('data-hp-action', action);
  b.setAttribute('aria-pressed', 'false');
  b.textContent = text;
  return b;
}

export function createToolbar(doc: Document, theme: Theme = 'light'): Toolbar {
  const root = doc.createElement('div');
  root.className = 'hp-tb';
  root.setAttribute('data-hp-theme', theme);
  root.setAttribute('role', 'toolbar');
  root.setAttribute('lang', msg('htmlLang'));
  root.setAttribute('aria-label', msg('pageToolbarLabel'));
  const sort = toggle(doc, 'sort', msg('pageSort'));
  const hot = toggle(doc, 'hot', '');
  const watch = toggle(doc, 'watch', msg('pageHighlight'));
  const status = doc.createElement('span');
  status.className = 'hp-st';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  root.append(sort, hot, watch, status);
  return {
    root,
    sort,
    hot,
    watch,
    status,
    render(state, threshold, counts) {
      sort.setAttribute('aria-pressed', String(state.sorted));
      sort.title = msg(state.sorted ? 'pageSortOnTitle' : 'pageSortOffTitle');
      hot.setAttribute('aria-pressed', String(state.onlyHot));
      const hotText = msg('pageOnlyHot', threshold);
      if (hot.textContent !== hotText) hot.textContent = hotText;
      watch.setAttribute('aria-pressed', String(state.highlight));
      const text = counts.loading ? msg('pageStatusLoading', counts.hot, counts.total, counts.loading) : msg('pageStatus', counts.hot, counts.total);
      if (status.textContent !== text) status.textContent = text;
    },
  };
}
