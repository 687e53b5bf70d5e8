import type { AppError } from '../../../app/ipc/result';
import { chooseErrorWording } from '../features/dataset/wording/app-errors';
import { useT } from '../i18n/i18n';

/**
 * Shows a failed Result: what we tried (translated) and why, always in the user's language
 * (chooseErrorWording: the caller's `worded` reason, an invalid payload's zod issues, the error's
 * `details.code` with its parameters, or a worded generic of its top-level code). Main's own English text
 * only appears as the collapsed technical detail. Announced to screen readers.
 */
export function ErrorMessage({
  error,
  context,
  id,
  worded,
}: {
  error: AppError | null;
  context: string;
  id?: string;
  /** The reason in the user's language, when the caller can word it (e.g. a name rule). */
  worded?: string | null;
}) {
  const t = useT();
  if (!error) return null;
  const { reasons, source } = chooseErrorWording(t, error, worded);
  return (
    <div className="error-message worded" role="alert" id={id} data-error-source={source}>
      <strong>{context}</strong> <span className="error-reason">{reasons.join(' ')}</span>
      <details className="error-technical">
        <summary>{t.wording.technicalDetail}</summary>
        <span className="error-detail">{error.message}</span>
      </details>
    </div>
  );
}

/** A failed load (as ErrorMessage shows it) with a button to try it again. */
export function RetryableError({
  error,
  context,
  retryLabel,
  onRetry,
}: {
  error: AppError | null;
  context: string;
  retryLabel: string;
  onRetry(): void;
}) {
  return (
    <div className="retryable-error">
      <ErrorMessage error={error} context={context} />
      <button type="button" className="button small" onClick={onRetry}>
        {retryLabel}
      </button>
    </div>
  );
}
