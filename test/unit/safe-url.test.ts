import { describe, expect, it } from 'vitest';
import { safeLinks, safeSourceUrl, SOURCE_PERMISSION_ORIGINS } from '../../lib/safe-url';
import { OPTIONAL_HOSTS } from '../../wxt.config';

describe('links from engagement sources', () => {
  it.each([
    ['hf', 'https://huggingface.co/papers/2310.08262', true],
    ['hn', 'https://news.ycombinator.com/item?id=38000000', true],
    ['bluesky', 'https://bsky.app/profile/someone.bsky.social/post/3k', true],
    ['x', 'https://x.com/someone/status/1', true],
    ['hf', 'http://huggingface.co/papers/1', false],
    ['hf', 'javascript:alert(1)', false],
    ['hf', 'https://huggingface.co.evil.example/papers/1', false],
    ['hn', 'https://huggingface.co/papers/1', false],
    ['bluesky', 'https://user:pw@bsky.app/x', false],
    ['x', 'not a url', false],
  ] as const)('%s %s → %s', (source, url, ok) => {
    expect(safeSourceUrl(source, url) !== null).toBe(ok);
  });

  it('drops malformed link records', () => {
    const links = [{ url: 'https://bsky.app/a', label: 'ok' }, { url: 42, label: 'bad' }, null, { url: 'https://bsky.app/b' }] as never;
    expect(safeLinks('bluesky', links)).toEqual([
      { url: 'https://bsky.app/a', label: 'ok' },
      { url: 'https://bsky.app/b', label: '' },
    ]);
  });

  it('asks only for optional host permissions the manifest declares', () => {
    const asked = Object.values(SOURCE_PERMISSION_ORIGINS).flat();
    expect(asked.length).toBeGreaterThan(0);
    for (const origin of asked) expect(OPTIONAL_HOSTS).toContain(origin);
  });
});
