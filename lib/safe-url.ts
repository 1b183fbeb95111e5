/**
 * Links shown in the popup come from third-party payloads (discussion links of engagement
 * sources). Only https URLs on each source's known hosts are shown; anything else is dropped.
 */
import type { DiscussionLink, SourceId } from './types';

export const LINK_HOSTS: Record<SourceId, readonly string[]> = {
  hf: ['huggingface.co'],
  alphaxiv: ['www.alphaxiv.org', 'alphaxiv.org'],
  hn: ['news.ycombinator.com'],
  bluesky: ['bsky.app'],
  x: ['x.com', 'twitter.com'],
  s2: ['www.semanticscholar.org', 'semanticscholar.org'],
};

export function safeSourceUrl(source: SourceId, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return null;
  return LINK_HOSTS[source].includes(u.hostname.toLowerCase()) ? u.href : null;
}

export function safeLinks(source: SourceId, links: readonly DiscussionLink[]): DiscussionLink[] {
  const out: DiscussionLink[] = [];
  for (const l of links) {
    const url = typeof l?.url === 'string' ? safeSourceUrl(source, l.url) : null;
    if (url) out.push({ url, label: typeof l.label === 'string' ? l.label : '' });
  }
  return out;
}

/** Origins of the optional host permissions each account source needs (mirrors OPTIONAL_HOSTS in wxt.config.ts). */
export const SOURCE_PERMISSION_ORIGINS: Partial<Record<SourceId, string[]>> = {
  bluesky: ['https://bsky.social/*', 'https://api.bsky.app/*'],
  x: ['https://api.x.com/*'],
};
