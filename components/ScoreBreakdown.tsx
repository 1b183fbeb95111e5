import { countsText, formatHeat, kindLines, sourceName } from '../lib/format';
import { t } from '../lib/i18n';
import { safeLinks, safeSourceUrl } from '../lib/safe-url';
import type { PaperView, SourceId, SourcePost } from '../lib/types';

/** Links per source listed at most (the sources keep up to 10: HN threads, Bluesky and X posts). */
const MAX_LINKS = 10;

/** Post text shown at most (the whole post is one click away). */
const MAX_POST_TEXT = 140;

/** The top posts a source kept (X), with author, an excerpt and their counts; only those with a safe link. */
function topPosts(source: SourceId, posts: readonly SourcePost[] | undefined): (SourcePost & { href: string })[] {
  const out: (SourcePost & { href: string })[] = [];
  for (const p of posts ?? []) {
    const href = typeof p?.url === 'string' ? safeSourceUrl(source, p.url) : null;
    if (href) out.push({ ...p, href });
  }
  return out.slice(0, MAX_LINKS);
}

function excerpt(text: string): string {
  const one = String(text ?? '').replace(/\s+/g, ' ').trim();
  return one.length > MAX_POST_TEXT ? `${one.slice(0, MAX_POST_TEXT - 1)}…` : one;
}

/**
 * Why a paper has its heat: each source's counts, weight, contribution and share; then every
 * discussion behind them, per source. Links are third-party URLs: only those safeLinks accepts
 * (https on the source's own hosts) are shown, their labels as text.
 */
export function ScoreBreakdown({ view }: { view: PaperView }) {
  if (!view.parts.length) return <p class="muted">{t('breakdownNone')}</p>;
  const discussions = view.parts.flatMap((p) => {
    const posts = topPosts(p.source, p.posts);
    const links = posts.length ? [] : safeLinks(p.source, p.links).slice(0, MAX_LINKS);
    return links.length || posts.length ? [{ source: p.source, links, posts }] : [];
  });
  return (
    <>
      <table class="breakdown">
        <caption class="sr-only">{t('breakdownCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('breakdownSource')}</th>
            <th scope="col">{t('breakdownCounts')}</th>
            <th scope="col">{t('breakdownWeight')}</th>
            <th scope="col">{t('breakdownScore')}</th>
          </tr>
        </thead>
        <tbody>
          {view.parts.map((p) => (
            <tr key={p.source}>
              <th scope="row">{sourceName(p.source)}</th>
              <td>
                {countsText(p.source, p.counts)}
                {kindLines(p.counts, { bot: p.botWeight, author: p.authorWeight }).map((k) => (
                  <div key={k.kind} class={`kind kind-${k.kind}`}>
                    {k.text}
                  </div>
                ))}
              </td>
              <td>×{p.weight}</td>
              <td>
                {formatHeat(p.score)} ({Math.round(p.share * 100)}%)
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {discussions.length > 0 && (
        <dl class="discussions" aria-label={t('discussionsLabel', view.paper.title)}>
          {discussions.map((d) => (
            <div key={d.source} class={`discussion src-${d.source}`}>
              <dt>{sourceName(d.source)}</dt>
              <dd>
                <ul>
                  {d.posts.map((p) => (
                    <li key={p.id} class="top-post">
                      <a href={p.href} target="_blank" rel="noopener noreferrer">
                        {p.handle ? `@${p.handle}` : p.name || t('discussionLinkN', sourceName(d.source), 1)}
                      </a>{' '}
                      <span class="post-counts">{t('postCounts', p.retweets, p.likes)}</span>
                      {p.text && <q class="post-text">{excerpt(p.text)}</q>}
                    </li>
                  ))}
                  {d.links.map((l, i) => (
                    <li key={`${i} ${l.url}`}>
                      <a href={l.url} target="_blank" rel="noopener noreferrer">
                        {l.label || t('discussionLinkN', sourceName(d.source), i + 1)}
                      </a>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
