import { t } from '../lib/i18n';

export function SearchBox({ value, onInput }: { value: string; onInput(v: string): void }) {
  return (
    <input
      class="search"
      type="search"
      placeholder={t('searchPlaceholder')}
      aria-label={t('searchLabel')}
      value={value}
      onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
    />
  );
}
