/**
 * The shared interface every engagement source implements (one module per source in this folder,
 * listed in ./index.ts).
 */
import type { HttpEnv } from '../http';
import type { Credentials, DiscussionLink, Paper, SourceId, SourcePost, SourceUsage } from '../types';

export type CredentialKind = 'none' | 'token' | 'app-password';

export type { Credentials };

export interface SourceEnv extends HttpEnv {
  credentials: Credentials;
  /** The user's followed arXiv categories (settings.categories), for sources that filter by them. */
  categories?: readonly string[];
  /** Small persistent key-value area for a source's own state (e.g. a Bluesky session). */
  state: {
    get<T>(key: string): Promise<T | undefined>;
    set(key: string, value: unknown): Promise<void>;
  };
  /** The latest announcement day (YYYY-MM-DD) the run is about: where discovery starts looking. */
  day?: string;
  /** X: posts that may be read per UTC day (settings.xDailyPosts). */
  postBudget?: number;
}

export interface PaperSignal {
  paperId: string;
  counts: Record<string, number>;
  links: DiscussionLink[];
  /** The posts behind the counts, top first (sources that keep them). */
  posts?: SourcePost[];
}

export interface SourceResult {
  signals: PaperSignal[];
  /** Requests actually sent (budget accounting and benchmarks). */
  requests: number;
  /** Today's billed use (X), shown in the status line. */
  usage?: SourceUsage;
}

export interface EngagementSource {
  id: SourceId;
  /**
   * The source's name in status and error sentences, localized (a getter over the `source_<id>`
   * message, `sourceLong_x` for X), so it is read in the language of the moment.
   */
  readonly label: string;
  /** Every host this source sends requests to; credentials go to these hosts only. */
  hosts: string[];
  credentials: CredentialKind;
  /** Minimum ms between two runs of this source (its own rate budget). */
  minIntervalMs: number;
  /**
   * The most requests one run plans to send, whatever the number of papers (sign-in and session
   * refreshes included). A retry after a 5xx, 429 or network error is not planned (lib/http.ts bounds
   * those). The poll's total is kept within POLL_REQUEST_BUDGET (./index.ts, tested).
   */
  maxRequests: number;
  /**
   * For a source with an account (credentials ≠ 'none'): the most requests one run plans when the
   * user has not signed in (Bluesky's public bot feeds). Absent: maxRequests.
   */
  maxRequestsSignedOut?: number;
  /**
   * Discovery sources (X) report signals for every paper their posts link, not only those asked
   * about: the signals phase keeps the cached ones and fetches the others from the arXiv API.
   */
  discovers?: boolean;
  /**
   * Fetches signals for a batch of papers. Requests grow with days covered, not with papers.
   * Throws HttpError (lib/http.ts) or SourceError on failure; never returns partial garbage.
   */
  fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult>;
}

export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    readonly kind: 'auth-needed' | 'bad-payload',
    message: string,
  ) {
    super(message);
  }
}
