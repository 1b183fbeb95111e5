/**
 * The one typed protocol for every runtime message between content script, popup, options and
 * background. Add a member to Protocol (request and response) — never send an ad-hoc object.
 */
import type { HotView, PageView, PaperView, PollReason, PollReport, SourceStatus, Coverage } from './types';

export interface HotList {
  view: HotView;
  /** The announcement day shown ("today" = latest in cache), null when the cache is empty. */
  day: string | null;
  items: PaperView[];
  /** Papers of the view that match the request's query and categories (all of them without a filter), before the limit. */
  total: number;
  /**
   * Primary categories of the whole view, unfiltered, with their paper counts, most first: the
   * category chips. Every paper counts once, cross-lists from categories not followed included
   * (in a view longer than the limit, from the day lists and those cross-lists' papers).
   */
  categoryCounts: [string, number][];
  lastPoll: PollReport | null;
  sources: SourceStatus[];
  /** "Signals for N of M papers today" as of the last poll (lib/rank/coverage.ts). */
  coverage?: Coverage | null;
  polling: boolean;
  /** The For you tab only: whether the model is ready, and what it learned from. */
  forYou?: ForYouState;
}

/** The For you model's state, for the tab's notice and the options page (issue 21). */
export interface ForYouState {
  ready: boolean;
  /** Starred papers (positives) in the settings, and how many are needed first. */
  stars: number;
  needed: number;
  /** Papers marked "not for me". */
  notForMe: number;
  trainedAt?: number;
  /** What the stored model learned from: cached stars, "not for me" papers, papers in all. */
  positives?: number;
  negatives?: number;
  corpus?: number;
}

export interface PollState {
  running: boolean;
  lastPoll: PollReport | null;
  sources: SourceStatus[];
}

export type ExportFormat = 'markdown' | 'bibtex' | 'json' | 'csv';

export interface Protocol {
  /** Start a poll now (popup Refresh). Resolves when the poll has finished or was already running. */
  'poll:run': { req: { reason: PollReason }; res: { started: boolean; report: PollReport | null } };
  'poll:state': { req: Record<string, never>; res: PollState };
  /** `query` (titles and authors, case and accents ignored) and `categories` (any of them) filter the whole view before `limit`. */
  'hotlist:get': { req: { view: HotView; limit?: number; query?: string; categories?: string[] }; res: HotList };
  /** Which of `ids` are in the view now: the popup drops selected rows that left it (after a refresh, an unwatch). */
  'hotlist:has': { req: { view: HotView; ids: string[] }; res: { ids: string[] } };
  /**
   * Content script: one batched lookup for every row on the page, in page order (an id may repeat).
   * The reply is by position (lib/page-view.ts pageReply): `states` has one character per asked id
   * (ROW_STATE: a view, quiet, pending, no data), `views` the views of the 'v' rows in order, lean
   * unless `full` (abs pages, an opened breakdown). Pending papers are fetched in the background and
   * pushed back with 'papers:updated'. With `words`, the reply carries the templates of the page's
   * words (lib/content/words.ts), so the page needs no i18n.getMessage call to paint.
   */
  'papers:lookup': { req: { ids: string[]; full?: boolean; words?: boolean }; res: { views: PageView[]; states: string; hotThreshold: number; words?: Record<string, string> } };
  'watchlist:toggle': { req: { id: string }; res: { watched: boolean } };
  /** "Not for me" on a paper (a badge, a popup row), or its undo (the same message again, or the options page). */
  'relevance:dismiss': { req: { id: string; on?: boolean }; res: { notForMe: boolean } };
  /** The options page: the model's state and the papers marked "not for me" (titles where cached). */
  'relevance:status': { req: Record<string, never>; res: ForYouState & { dismissed: { id: string; title: string }[] } };
  /** Forget what was learned: the stored model and every "not for me" (stars stay: they are the watchlist). */
  'relevance:reset': { req: Record<string, never>; res: { ok: true } };
  /** The popup was opened: mark the ids it shows and every paper the toolbar badge counted seen, and clear the badge. */
  'popup:seen': { req: { ids: string[] }; res: { ok: true } };
  'cache:clear': { req: Record<string, never>; res: { ok: true } };
  /** Options page: records an upgrade set aside (unreadable) that the user was not told about yet; told once, they are not returned again. */
  'upgrade:setAside': { req: Record<string, never>; res: { records: { key: string; what: 'signals' | 'records'; count: number }[] } };
  /** The view's papers: only `ids` when given (selected rows), else those matching `query` / `categories` (as in 'hotlist:get'), else all. */
  'export:build': { req: { format: ExportFormat; view: HotView; ids?: string[]; query?: string; categories?: string[] }; res: { text: string; filename: string; mime: string } };
}

/** Background → content script push (tabs.sendMessage), not a request. */
export interface PushProtocol {
  'papers:updated': { views: PageView[]; quiet: string[] };
}

export type MessageType = keyof Protocol;
export type Req<K extends MessageType> = Protocol[K]['req'];
export type Res<K extends MessageType> = Protocol[K]['res'];

export interface Envelope<K extends MessageType = MessageType> {
  type: K;
  payload: Req<K>;
}

export interface PushEnvelope<K extends keyof PushProtocol = keyof PushProtocol> {
  push: K;
  payload: PushProtocol[K];
}

/** Errors cross the message boundary as data, so callers get words instead of a rejected port. */
export type Reply<K extends MessageType> = { ok: true; value: Res<K> } | { ok: false; error: string };

export type Handlers = { [K in MessageType]: (payload: Req<K>, sender: { tabId?: number; url?: string }) => Promise<Res<K>> };

export function isEnvelope(msg: unknown): msg is Envelope {
  return typeof msg === 'object' && msg !== null && typeof (msg as Envelope).type === 'string';
}

export function isPush(msg: unknown): msg is PushEnvelope {
  return typeof msg === 'object' && msg !== null && typeof (msg as PushEnvelope).push === 'string';
}

/** Sends a typed request through `send` (browser.runtime.sendMessage) and unwraps the reply. */
export async function request<K extends MessageType>(
  send: (msg: unknown) => Promise<unknown>,
  type: K,
  payload: Req<K>,
): Promise<Res<K>> {
  const reply = (await send({ type, payload } satisfies Envelope<K>)) as Reply<K> | undefined;
  if (!reply) throw new Error(`No answer from the extension for ${type}`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.value;
}

/** Dispatches one envelope to its handler; always resolves to a Reply. */
export async function dispatch(handlers: Handlers, msg: unknown, sender: { tabId?: number; url?: string }): Promise<Reply<MessageType> | undefined> {
  if (!isEnvelope(msg)) return undefined;
  const handler = handlers[msg.type] as ((p: unknown, s: typeof sender) => Promise<unknown>) | undefined;
  if (!handler) return { ok: false, error: `Unknown message ${String(msg.type)}` };
  try {
    return { ok: true, value: (await handler(msg.payload, sender)) as Res<MessageType> };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
