/**
 * Plain data shared by every module. Records here are what IndexedDB stores and what the
 * message protocol carries, so they stay JSON-serialisable (no Dates, Maps or class instances).
 */

export type AnnounceType = 'new' | 'cross' | 'replace' | 'replace-cross';

/** One arXiv paper as cached. `id` is normalized (no version, see lib/arxiv/ids.ts). */
export interface Paper {
  id: string;
  /** Latest version number seen (1 when unknown). */
  version: number;
  title: string;
  authors: string[];
  abstract: string;
  categories: string[];
  primaryCategory: string;
  /** How the paper appeared in its latest listing (absent when it came from the API only). */
  announceType?: AnnounceType;
  /** Announcement day as YYYY-MM-DD (arXiv's own calendar, US Eastern); absent if never listed. */
  announced?: string;
  /** Epoch ms when the extension first cached this paper. */
  firstSeen: number;
  /** Epoch ms of the last write of this record. */
  updatedAt: number;
  doi?: string;
  /** Where the record came from. */
  origin: 'rss' | 'api';
}

/** Per-day listing membership: paper `id` was announced on `day` in `category`. */
export interface ListingEntry {
  day: string;
  category: string;
  id: string;
  announceType: AnnounceType;
}

export type SourceId = 'hf' | 'alphaxiv' | 'hn' | 'bluesky' | 'x' | 's2';
export const SOURCE_IDS: readonly SourceId[] = ['hf', 'alphaxiv', 'hn', 'bluesky', 'x', 's2'];

/** A link to a discussion behind a signal (HF page, HN thread, Bluesky post …). */
export interface DiscussionLink {
  url: string;
  label: string;
}

/**
 * One post behind a source's counts (X: a post that links the paper), kept so the popup's breakdown
 * and the Markdown digest can show what people said. All text is third-party: shown as text only.
 */
export interface SourcePost {
  /** The service's post id (X: digits). */
  id: string;
  /** https link to the post on the service's own site. */
  url: string;
  /** Author's handle without "@" ('' when the reply did not say). */
  handle: string;
  /** Author's display name ('' when the reply did not say). */
  name: string;
  text: string;
  /** ISO 8601 time the post was made ('' when unknown). */
  createdAt: string;
  retweets: number;
  likes: number;
}

/**
 * The latest signals one source reported for one paper. `counts` keys are source-specific
 * metric names (hf: upvotes, comments, githubStars; alphaxiv: votes, visits, xLikes, githubStars; hn: points, comments; bluesky: likes,
 * reposts, replies, quotes; x: retweets, likes, posts; s2: citations, influentialCitations).
 */
export interface SignalRecord {
  paperId: string;
  source: SourceId;
  counts: Record<string, number>;
  links: DiscussionLink[];
  /** The posts behind the counts, top post first (X only, at most a few; absent in older records). */
  posts?: SourcePost[];
  fetchedAt: number;
}

/** A point in a paper's history for one source, written only when counts change. */
export interface Snapshot {
  paperId: string;
  source: SourceId;
  t: number;
  counts: Record<string, number>;
}

export type SourceState = 'ok' | 'rate-limited' | 'auth-needed' | 'error' | 'disabled' | 'never';

/** A billed source's use of its daily budget (X: posts read), per UTC day. */
export interface SourceUsage {
  /** UTC day (YYYY-MM-DD). */
  day: string;
  posts: number;
  requests: number;
  /** The daily post budget in force. */
  budget: number;
}

export interface SourceStatus {
  source: SourceId;
  state: SourceState;
  lastSuccess?: number;
  lastAttempt?: number;
  /** Plain words for the user; never contains credentials. */
  lastError?: string;
  /** Epoch ms before which the source must not be called again (429 / Retry-After). */
  retryAt?: number;
  /** Today's use of the source's daily budget (X), as of its last run. */
  usage?: SourceUsage;
  /** lib/worker/signals.ts accountMark of the credentials of the last run ('' or absent: none). */
  account?: string;
}

export type FeedStatus = 'ok' | 'not-modified' | 'empty' | 'error' | 'skipped';

export interface FeedReport {
  /** The feed URL that was requested. */
  feed: string;
  status: FeedStatus;
  /** Papers written for the first time. */
  added: number;
  /** Papers already cached (same id) that the feed carried again. */
  unchanged: number;
  /** Items skipped because they could not be parsed. */
  skipped: number;
  error?: string;
  /** The announcement day the feed carried, if any. */
  day?: string;
}

export interface SourceReport {
  source: SourceId;
  state: SourceState;
  papers: number;
  requests: number;
  error?: string;
}

export interface PollReport {
  startedAt: number;
  finishedAt: number;
  reason: PollReason;
  feeds: FeedReport[];
  sources: SourceReport[];
  /** Whole-poll problem (e.g. storage quota) in plain words. */
  error?: string;
  pruned?: number;
  /** Watchlisted papers fetched from the arXiv API this run (they were not cached). */
  watchlistFetched?: number;
}

export type PollReason = 'install' | 'startup' | 'alarm' | 'announce' | 'signals' | 'user' | 'page';

/** One source's part of a paper's heat: what the UI shows to explain a score. */
export interface HeatPart {
  source: SourceId;
  counts: Record<string, number>;
  weight: number;
  /** This source's contribution to heat (after saturation and weight). */
  score: number;
  /** Sources that split counts by account kind: how much bot and author posts count (settings). */
  botWeight?: number;
  authorWeight?: number;
  /** score / total heat, 0..1. */
  share: number;
  links: DiscussionLink[];
  /** The source's top posts, top first (X), when it keeps them. */
  posts?: SourcePost[];
}

/** A paper with everything a list row, badge or breakdown needs. */
export interface PaperView {
  paper: Paper;
  /** 0 when no source has a signal. */
  heat: number;
  /** Heat gained per hour over the recent window (0 without history). */
  velocity: number;
  parts: HeatPart[];
  /** Heat over time, oldest first, for sparklines. */
  history: { t: number; heat: number }[];
  watched: boolean;
  /** Not yet seen in the popup. */
  isNew: boolean;
  /** Why the paper is (or is not) for this reader, where a relevance model exists (issue 21). */
  forYou?: ForYouWhy;
  /** The reader marked it "not for me". */
  notForMe?: boolean;
}

/** What the For you model says of one paper. */
export interface ForYouWhy {
  /** The share of cached papers this one is closer to the reader's stars than, 0..1. */
  closeness: number;
  /** closeness ≥ settings.forYou.closeness: marked "for you". */
  close: boolean;
  /** Its words (word pairs, "a:" author names) that count most for it, strongest first. */
  terms: string[];
  /** The starred papers nearest to it. */
  near: { id: string; title: string }[];
}

/**
 * A paper as a page's badge needs it: its PaperView without the paper record (the page already
 * shows title, authors and abstract) and without the popup's "new" mark. A 2000-row listing gets
 * 2000 of these in one message, deserialized on the page's main thread, so only what a badge and
 * its breakdown show is sent.
 */
export type PageView = Pick<PaperView, 'heat' | 'velocity' | 'parts' | 'history' | 'watched'> & {
  id: string;
  /**
   * The paper matches a followed author or keyword (lib/rank/hotlist.ts watchReason, on arXiv's own
   * record of it). The rules themselves never reach the page (issue 20): only this mark does.
   */
  match?: true;
  /** Only for papers marked "for you" (issue 21): why, in one localized sentence. */
  fy?: string;
  /** The reader marked it "not for me". */
  nfm?: true;
  /**
   * A listing's view without what only an open breakdown shows: the discussion links of its parts
   * and its heat history are left out (lib/page-view.ts leanView); the page asks for the whole view
   * when the reader opens the breakdown.
   */
  lean?: true;
};

export type HotView = 'today' | 'week' | 'watchlist' | 'foryou';

/**
 * The user's own credentials for sources that need an account, kept apart from settings (never
 * synced or exported; lib/credentials.ts stores them). Sources receive them in their SourceEnv.
 */
export interface Credentials {
  bluesky?: { handle: string; appPassword: string };
  xBearer?: string;
  s2Key?: string;
}

/** "Signals for N of M papers today" as of the last poll (lib/rank/coverage.ts). */
export interface Coverage {
  /** The announcement day covered. */
  day: string | null;
  /** Papers of the day (the Today view). */
  papers: number;
  /** Of those, papers with a signal from at least one source. */
  withSignal: number;
  /** Papers with a signal, per source (sources switched on only, in registry order). */
  bySource: Partial<Record<SourceId, number>>;
}
