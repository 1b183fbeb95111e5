import type { Ref } from 'preact';
import { absUrl } from '../lib/arxiv/ids';
import { shortAuthors } from '../lib/format';
import { t } from '../lib/i18n';
import type { PaperView } from '../lib/types';
import { ForYouWhy } from './ForYouWhy';
import { HeatBadge } from './HeatBadge';
import { PaperLinks } from './PaperLinks';
import { ScoreBreakdown } from './ScoreBreakdown';
import { Sparkline } from './Sparkline';

export interface PaperRowProps {
  view: PaperView;
  rank: number;
  expanded: boolean;
  focused: boolean;
  /** Picked for export (the checkbox); no checkbox without onSelect. */
  selected?: boolean;
  onSelect?(id: string): void;
  onToggle(id: string): void;
  onFocus(): void;
  onWatch?(id: string): void;
  /** "Not for me" and its undo (the For you tab). */
  onDismiss?(id: string): void;
  rowRef?: Ref<HTMLLIElement>;
}

export function PaperRow({ view, rank, expanded, focused, selected = false, onSelect, onToggle, onFocus, onWatch, onDismiss, rowRef }: PaperRowProps) {
  const p = view.paper;
  const detailsId = `details-${p.id.replace(/[^\w-]/g, '_')}`;
  return (
    <li
      ref={rowRef}
      class={`row${view.isNew ? ' is-new' : ''}${focused ? ' focused' : ''}`}
      data-arxiv-id={p.id}
      tabIndex={focused ? 0 : -1}
      aria-label={t('rowLabel', rank, p.title)}
      onFocus={onFocus}
    >
      <div class="pick">
        <span class="rank" aria-hidden="true">
          {rank}
        </span>
        {onSelect && (
          // Out of the tab order like the row's other controls: the row is the tab stop, x toggles it.
          <input type="checkbox" class="select" checked={selected} tabIndex={-1} aria-label={t('selectForExport', p.title)} onChange={() => onSelect(p.id)} />
        )}
      </div>
      <div class="main">
        <div class="title-line">
          {view.isNew && <span class="new-mark">{t('newMark')}</span>}
          {view.forYou?.close && !view.notForMe && <span class="for-you-mark">{t('forYouMark')}</span>}
          <a class="title" href={absUrl(p.id)} target="_blank" rel="noopener noreferrer" tabIndex={-1}>
            {p.title}
          </a>
        </div>
        <div class="meta">
          <span class="authors">{shortAuthors(p.authors)}</span>
          <span class="cats">{p.categories.join(' · ')}</span>
        </div>
        <div class="signals">
          <HeatBadge view={view} />
          <Sparkline history={view.history} />
          <PaperLinks view={view} />
          <button type="button" class="expand" aria-expanded={expanded} aria-controls={detailsId} tabIndex={-1} onClick={() => onToggle(p.id)}>
            {expanded ? t('collapse') : t('expand')}
          </button>
        </div>
        {expanded && (
          <div class="details" id={detailsId}>
            <p class="abstract">{p.abstract}</p>
            {view.forYou && <ForYouWhy why={view.forYou} />}
            <ScoreBreakdown view={view} />
            {onWatch && (
              <button type="button" class="watch" aria-pressed={view.watched} onClick={() => onWatch(p.id)}>
                {view.watched ? t('unwatch') : t('watch')}
              </button>
            )}
            {onDismiss && (
              <button type="button" class="not-for-me" aria-pressed={view.notForMe ?? false} onClick={() => onDismiss(p.id)}>
                {view.notForMe ? t('notForMeUndo') : t('notForMe')}
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
}
