import type { ReactNode } from 'react';
import type { AppError } from '../../../../../app/ipc/result';
import { EmptyState } from '../../../components/empty-state';
import { ErrorMessage } from '../../../components/error-message';
import { ImagesIcon } from '../../../components/icons';
import { useT } from '../../../i18n/i18n';
import { ImportForm, ImportStatusPanel, type ImportState } from '../import-panel';

/** The running import's status and what failed to load or to change (each worded, with its context). */
export function DatasetMessages({
  imp,
  loadErrors,
  actionError,
}: {
  imp: ImportState;
  /** Failures of loading the dataset's data (null: none). */
  loadErrors: (AppError | null | undefined)[];
  actionError: { error: AppError; context: string } | null;
}) {
  const t = useT();
  return (
    <div className="dataset-messages">
      <ImportStatusPanel state={imp} />
      {loadErrors.map(
        (error, i) => error && <ErrorMessage key={i} error={error} context={t.dataset.loadFailed} />,
      )}
      {actionError && <ErrorMessage error={actionError.error} context={actionError.context} />}
    </div>
  );
}

/** A project without images or labels: how to import, and the drop overlay. */
export function DatasetEmpty({ imp, dropOverlay }: { imp: ImportState; dropOverlay: ReactNode }) {
  const t = useT();
  return (
    <div className="dataset dataset-empty">
      <ImportStatusPanel state={imp} />
      <EmptyState
        icon={<ImagesIcon width={28} height={28} />}
        title={t.empty.dataset.title}
        actions={<ImportForm state={imp} />}
      >
        {t.empty.dataset.body}
      </EmptyState>
      {dropOverlay}
    </div>
  );
}
