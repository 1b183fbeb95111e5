import { useState } from 'preact/hooks';
import { t } from '../lib/i18n';
import type { ExportFormat } from '../lib/messages';

const FORMATS: ExportFormat[] = ['markdown', 'bibtex', 'json', 'csv'];

/** Export the current view (or `scope`: what will be exported, in words): each format can be copied to the clipboard or downloaded. */
export function ExportMenu({ onExport, scope }: { onExport(format: ExportFormat, action: 'copy' | 'download'): Promise<void>; scope?: string }) {
  const [message, setMessage] = useState('');
  const run = async (format: ExportFormat, action: 'copy' | 'download') => {
    setMessage('');
    try {
      await onExport(format, action);
      setMessage(action === 'copy' ? t('exportCopied') : t('exportDownloaded'));
    } catch (err) {
      setMessage(t('exportFailed', err instanceof Error ? err.message : String(err)));
    }
  };
  return (
    <details class="export">
      <summary>{t('exportMenu')}</summary>
      {scope && <p class="muted export-scope">{scope}</p>}
      <table class="export-table">
        <tbody>
          {FORMATS.map((f) => (
            <tr key={f}>
              <th scope="row">{t(`format_${f}`)}</th>
              <td>
                <button type="button" onClick={() => run(f, 'copy')} aria-label={t('exportCopyLabel', t(`format_${f}`))}>
                  {t('exportCopy')}
                </button>
              </td>
              <td>
                <button type="button" onClick={() => run(f, 'download')} aria-label={t('exportDownloadLabel', t(`format_${f}`))}>
                  {t('exportDownload')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status" class="muted">
        {message}
      </p>
    </details>
  );
}
