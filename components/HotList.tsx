import { useEffect, useRef } from 'preact/hooks';
import { t } from '../lib/i18n';
import type { PaperView } from '../lib/types';
import { PaperRow } from './PaperRow';

export interface HotListProps {
  items: PaperView[];
  focusIndex: number;
  expandedId: string | null;
  onFocusIndex(i: number): void;
  onToggle(id: string): void;
  onOpen(view: PaperView): void;
  onWatch?(id: string): void;
  onDismiss?(id: string): void;
  /** Ids picked for export, and how to pick one (a checkbox per row, or x on the focused row). */
  selected?: ReadonlySet<string>;
  onSelect?(id: string): void;
  /** Move keyboard focus into the list when focusIndex changes (not on first render). */
  moveFocus: boolean;
}

/** The ranked rows with roving focus: ↑/↓ or j/k move, Enter opens, Space or → expands, x selects for export. */
export function HotList({ items, focusIndex, expandedId, onFocusIndex, onToggle, onOpen, onWatch, onDismiss, selected, onSelect, moveFocus }: HotListProps) {
  const rows = useRef<(HTMLLIElement | null)[]>([]);
  useEffect(() => {
    if (moveFocus) rows.current[focusIndex]?.focus();
  }, [focusIndex, moveFocus]);

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).closest('button, a, input') && e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const last = items.length - 1;
    const cur = items[focusIndex];
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        onFocusIndex(Math.min(last, focusIndex + 1));
        break;
      case 'ArrowUp':
      case 'k':
        onFocusIndex(Math.max(0, focusIndex - 1));
        break;
      case 'Home':
        onFocusIndex(0);
        break;
      case 'End':
        onFocusIndex(last);
        break;
      case 'Enter':
        if (cur) onOpen(cur);
        break;
      case 'x':
        if (cur && onSelect) onSelect(cur.paper.id);
        break;
      case ' ':
      case 'ArrowRight':
      case 'ArrowLeft':
        if (cur && (e.key !== 'ArrowLeft' || expandedId === cur.paper.id) && (e.key !== 'ArrowRight' || expandedId !== cur.paper.id)) onToggle(cur.paper.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <ol class="hot-list" aria-label={t('listLabel')} onKeyDown={onKeyDown}>
      {items.map((v, i) => (
        <PaperRow
          key={v.paper.id}
          view={v}
          rank={i + 1}
          expanded={expandedId === v.paper.id}
          focused={i === focusIndex}
          selected={selected?.has(v.paper.id) ?? false}
          onSelect={onSelect}
          onToggle={onToggle}
          onFocus={() => i !== focusIndex && onFocusIndex(i)}
          onWatch={onWatch}
          onDismiss={onDismiss}
          rowRef={(el) => {
            rows.current[i] = el;
          }}
        />
      ))}
    </ol>
  );
}
