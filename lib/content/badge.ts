/**
 * The badge host: exactly one per entry, `<span class="hp-h" data-arxiv-id data-heat>` holding the
 * watchlist star, the badge button (opens the breakdown) and, once opened, the breakdown panel.
 * Built by cloning one template and updated with attribute and textContent writes only (no layout
 * reads), so 2000 of them paint in one cheap pass. Untrusted text never goes through HTML parsing.
 */
import type { PageView } from '../types';
import { badgeLabel, badgeText, heatLevel, NONE_TEXT, noneLabel, PENDING_TEXT, pendingLabel } from './format';
import { msg } from './i18n';
import type { Theme } from './theme';

export type BadgeState = 'pending' | 'none' | 'ok';

export interface BadgeData {
  state: BadgeState;
  view?: PageView;
  threshold: number;
  watched: boolean;
}

const templates = new WeakMap<Document, HTMLElement>();

function template(doc: Document): HTMLElement {
  let t = templates.get(doc);
  if (t) return t;
  t = doc.createElement('span');
  t.className = 'hp-h';
  // Our words are in the browser's language, not the page's (arXiv says lang="en"): screen readers
  // read them by this.
  t.setAttribute('lang', msg('htmlLang'));
  t.setAttribute('data-heat', '0');
  t.setAttribute('data-state', 'pending');
  t.setAttribute('data-level', '0');
  const b = doc.createElement('button');
  b.type = 'button';
  b.className = 'hp-b';
  b.setAttribute('aria-expanded', 'false');
  b.setAttribute('aria-label', pendingLabel());
  b.textContent = PENDING_TEXT;
  const s = doc.createElement('button');
  s.type = 'button';
  s.className = 'hp-s';
  s.setAttribute('aria-pressed', 'false');
  s.textContent = '☆';
  // The star first: a badge's text grows when its numbers arrive, and nothing after it may move.
  t.append(s, b);
  templates.set(doc, t);
  return t;
}

export function createHost(doc: Document, id: string, big = false, theme: Theme = 'light'): HTMLElement {
  const host = template(doc).cloneNode(true) as HTMLElement;
  host.setAttribute('data-arxiv-id', id);
  host.setAttribute('data-hp-theme', theme);
  if (big) host.classList.add('hp-big');
  starButton(host).setAttribute('aria-label', msg('pageWatchAdd', id));
  return host;
}

export const badgeButton = (host: Element): HTMLElement => host.children[1] as HTMLElement;
export const starButton = (host: Element): HTMLElement => host.firstElementChild as HTMLElement;

/** Writes one badge's state. Only attributes and text; skips writes that change nothing. */
export function renderHost(host: HTMLElement, data: BadgeData): void {
  const id = host.getAttribute('data-arxiv-id') ?? '';
  const view = data.state === 'ok' ? data.view : undefined;
  const heat = view && view.heat > 0 ? view.heat : 0;
  const state = data.state === 'ok' && heat === 0 ? 'none' : data.state;
  set(host, 'data-heat', String(Math.round(heat * 10) / 10));
  set(host, 'data-state', state);
  set(host, 'data-level', String(heatLevel(heat, data.threshold)));
  const b = badgeButton(host);
  const text = state === 'pending' ? PENDING_TEXT : view && heat > 0 ? badgeText(view) : NONE_TEXT;
  if (b.textContent !== text) b.textContent = text;
  // For you (issue 21): a dot on the badge (styles.css), and the words in its name.
  const fy = !!view?.fy && !view.nfm;
  if (fy !== host.hasAttribute('data-fy')) host.toggleAttribute('data-fy', fy);
  const label = state === 'pending' ? pendingLabel() : view ? badgeLabel(view, data.threshold) : noneLabel();
  set(b, 'aria-label', fy ? msg('pageForYouLabel', label) : label);
  const s = starButton(host);
  set(s, 'aria-pressed', String(data.watched));
  const star = data.watched ? '★' : '☆';
  if (s.textContent !== star) s.textContent = star;
  set(s, 'aria-label', msg(data.watched ? 'pageWatchRemove' : 'pageWatchAdd', id));
}

function set(el: Element, name: string, value: string): void {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
