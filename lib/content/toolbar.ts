/**
 * The small toolbar above a listing: sort by heat, only hot, watchlist highlight, and a live status
 * line for screen readers. Buttons are toggle buttons (aria-pressed); the page logic lives in page.ts.
 */

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
  render(state: ToolbarState, threshold: number, status: string): void;
}

function toggle(doc: Document, action: string, text: string): HTMLButtonElement {
  const b = doc.createElement('button');
  b.type = 'button';
  b.setAttribute('data-hp-action', action);
  b.setAttribute('aria-pressed', 'false');
  b.textContent = text;
  return b;
}

export function createToolbar(doc: Document): Toolbar {
  const root = doc.createElement('div');
  root.className = 'hp-tb';
  root.setAttribute('role', 'toolbar');
  root.setAttribute('aria-label', 'Hot Papers: sort and filter by engagement');
  const sort = toggle(doc, 'sort', 'Sort by heat');
  const hot = toggle(doc, 'hot', 'Only hot');
  const watch = toggle(doc, 'watch', 'Highlight watchlist');
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
    render(state, threshold, text) {
      sort.setAttribute('aria-pressed', String(state.sorted));
      sort.title = state.sorted ? 'Back to arXiv’s order' : 'Hottest first within each section';
      hot.setAttribute('aria-pressed', String(state.onlyHot));
      hot.textContent = `Only hot (heat ≥ ${threshold})`;
      watch.setAttribute('aria-pressed', String(state.highlight));
      if (status.textContent !== text) status.textContent = text;
    },
  };
}
