import { pdfUrl } from '../lib/arxiv/ids';
import { t } from '../lib/i18n';
import { safeLinks } from '../lib/safe-url';
import type { PaperView, SourceId } from '../lib/types';

const LINKED: SourceId[] = ['hf', 'alphaxiv', 'hn', 'bluesky', 'x'];

/** PDF and discussion links: built from the validated id, or third-party URLs on known hosts only. */
export function PaperLinks({ view }: { view: PaperView }) {
  const id = view.paper.id;
  const discussions = LINKED.flatMap((s) => {
    const part = view.parts.find((p) => p.source === s);
    const link = part ? safeLinks(s, part.links)[0] : undefined;
    return link ? [{ source: s, url: link.url }] : [];
  });
  return (
    <span class="links">
      <a href={pdfUrl(id)} target="_blank" rel="noopener noreferrer" aria-label={t('linkPdfLabel', view.paper.title)}>
        {t('linkPdf')}
      </a>
      {discussions.map((d) => (
        <a key={d.source} href={d.url} target="_blank" rel="noopener noreferrer" aria-label={t(`linkLabel_${d.source}`, view.paper.title)}>
          {t(`link_${d.source}`)}
        </a>
      ))}
    </span>
  );
}
