import type { AppError } from '../../../app/ipc/result';
import { useT } from '../i18n/i18n';

/** Shows a failed Result: what we tried (translated) and main's own explanation. Announced to screen readers. */
export function ErrorMessage({
  error,
  context,
  id,
}: {
  error: AppError | null;
  context: string;
  id?: string;
}) {
  const t = useT();
  if (!error) return null;
  return (
    <div className="error-message" role="alert" id={id}>
      <strong>{context}</strong> <span className="error-detail">{error.message}</span>
      <span className="visually-hidden"> ({t.errors[error.code]})</span>
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
