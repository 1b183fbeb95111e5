import { useState } from 'preact/hooks';
import { t } from '../lib/i18n';

interface ConfirmActionProps {
  /** The first button's label; a second click on `confirmLabel` (styled as danger) acts. */
  label: string;
  confirmLabel: string;
  /** A sentence shown beside the confirm button, when the label alone does not say what goes. */
  prompt?: string;
  /** What to say once the action succeeded. */
  done: string;
  onConfirm: () => Promise<void>;
  /** Receives `done`, or the error's words when the action failed. */
  onMessage: (message: string) => void;
}

/** A destructive action behind a confirmation: click, then confirm or cancel. */
export function ConfirmAction({ label, confirmLabel, prompt, done, onConfirm, onMessage }: ConfirmActionProps) {
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)}>
        {label}
      </button>
    );
  }
  return (
    <>
      {prompt && <span>{prompt}</span>}
      {prompt && ' '}
      <button
        type="button"
        class="danger"
        onClick={async () => {
          setConfirming(false);
          try {
            await onConfirm();
            onMessage(done);
          } catch (err) {
            onMessage(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setConfirming(false)}>
        {t('cancel')}
      </button>
    </>
  );
}
