/**
 * Semantic Scholar Graph API batch lookup: `POST /graph/v1/paper/batch` with `ARXIV:<id>` ids,
 * at most 500 per call, citations and influential citations. An optional API key (storage.local
 * only) goes in `x-api-key`, to api.semanticscholar.org only. Without a key all anonymous users
 * share one rate pool, so one run sends one call for at most S2_BATCH papers (the caller orders
 * them: watchlist first, then papers discussed elsewhere, then the most recent).
 */
import { httpJson } from '../http';
import { t } from '../i18n';
import type { Paper } from '../types';
import { count, isObject, PaperMatcher } from './paper-match';
import { SourceError, type EngagementSource, type PaperSignal, type SourceEnv, type SourceResult } from './types';

const API = 'https://api.semanticscholar.org/graph/v1/paper/batch?fields=externalIds,citationCount,influentialCitationCount';
export const S2_BATCH = 500;

/**
 * Parses one batch reply. Entries line up with the requested ids; `null` means "not found". An
 * entry whose externalIds.ArXiv names another paper is ignored rather than trusted.
 */
export function parseBatch(data: unknown, ids: readonly string[], matcher: PaperMatcher): PaperSignal[] {
  if (!Array.isArray(data)) throw new SourceError('bad-payload', t('s2NotAList', t('source_s2')));
  if (data.length !== ids.length) throw new SourceError('bad-payload', t('s2WrongCount', t('source_s2')));
  const out: PaperSignal[] = [];
  data.forEach((entry, i) => {
    if (!isObject(entry)) return;
    const asked = ids[i]!;
    const ext = isObject(entry.externalIds) ? entry.externalIds.ArXiv : undefined;
    if (typeof ext === 'string' && matcher.fromId(ext) !== asked) return;
    const links = typeof entry.paperId === 'string' && /^[0-9a-f]{40}$/.test(entry.paperId)
      ? [{ url: `https://www.semanticscholar.org/paper/${entry.paperId}`, label: t('discussionS2Page', t('source_s2')) }]
      : [];
    out.push({ paperId: asked, counts: { citations: count(entry.citationCount), influentialCitations: count(entry.influentialCitationCount) }, links });
  });
  return out;
}

export const semanticScholar: EngagementSource = {
  id: 's2',
  get label() {
    return t('source_s2');
  },
  hosts: ['api.semanticscholar.org'],
  credentials: 'none',
  // Citations move slowly; three hours keeps the shared anonymous pool happy.
  minIntervalMs: 3 * 60 * 60_000,
  maxRequests: 1,
  async fetchSignals(papers: Paper[], env: SourceEnv): Promise<SourceResult> {
    const matcher = new PaperMatcher(papers);
    const ids = [...new Set(papers.map((p) => p.id))].slice(0, S2_BATCH);
    if (!ids.length) return { signals: [], requests: 0 };
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (env.credentials.s2Key) headers['x-api-key'] = env.credentials.s2Key;
    const { data } = await httpJson(env, API, { method: 'POST', headers, body: JSON.stringify({ ids: ids.map((id) => `ARXIV:${id}`) }) });
    return { signals: parseBatch(data, ids, matcher), requests: 1 };
  },
};
