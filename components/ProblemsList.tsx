import { t } from '../lib/i18n';
import type { SettingsProblem } from '../lib/settings';

/** Settings that were invalid (stored or imported) and what was done about each. */
export function ProblemsList({ problems, title }: { problems: SettingsProblem[]; title: string }) {
  if (!problems.length) return null;
  return (
    <div class="problems" role="alert">
      <p>{title}</p>
      <ul>
        {problems.map((p) => (
          <li key={`${p.field}:${p.message}`}>
            {t('problemLine', p.field, p.message)}
          </li>
        ))}
      </ul>
    </div>
  );
}
