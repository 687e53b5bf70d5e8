import type { AppError } from '../../../app/ipc/result';
import { wordAppError } from '../features/dataset/wording/form-errors';
import { useT } from '../i18n/i18n';

/**
 * Shows a failed Result: what we tried (translated) and why, in the user's language. An `invalid-payload` error
 * is worded from its zod issues (field + rule + limit); a caller that knows better passes `worded`. Main's own
 * English text then stays as a collapsed technical detail; without a worded reason it is shown as before.
 * Announced to screen readers.
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
  const reasons = worded ? [worded] : wordAppError(t, error);
  if (reasons.length === 0) {
    return (
      <div className="error-message" role="alert" id={id}>
        <strong>{context}</strong> <span className="error-detail">{error.message}</span>
        <span className="visually-hidden"> ({t.errors[error.code]})</span>
      </div>
    );
  }
  return (
    <div className="error-message worded" role="alert" id={id}>
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
