import { t } from '../lib/i18n';

/** Search over titles and authors; ↓ moves into the list. */
export function SearchBox({ value, onInput, onArrowDown }: { value: string; onInput(v: string): void; onArrowDown?(): void }) {
  return (
    <input
      class="search"
      type="search"
      placeholder={t('searchPlaceholder')}
      aria-label={t('searchLabel')}
      value={value}
      onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowDown' && onArrowDown) {
          e.preventDefault();
          onArrowDown();
        }
      }}
    />
  );
}
