import { useState } from 'react';
import type { ProjectSummary, TrashedProject } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { EmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { RestoreIcon, TrashIcon } from '../../components/icons';
import { useFormatDate, useT } from '../../i18n/i18n';

/** Deleted projects, newest first, each with a Restore button. */
export function TrashView({
  trash,
  onRestored,
}: {
  trash: TrashedProject[];
  onRestored(project: ProjectSummary): void;
}) {
  const t = useT();
  const formatDate = useFormatDate();
  const [error, setError] = useState<AppError | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const restore = async (item: TrashedProject) => {
    setBusyId(item.id);
    const result = await call((api) => api.projects.restore({ id: item.id }));
    setBusyId(null);
    if (!result.ok) return setError(result.error);
    setError(null);
    onRestored(result.value);
  };
  return (
    <section className="page" aria-labelledby="trash-heading">
      <header className="page-header">
        <h1 id="trash-heading" className="page-title">
          {t.trash.heading}
        </h1>
        <p className="page-subtitle">{t.trash.count(trash.length)}</p>
      </header>
      <ErrorMessage error={error} context={t.trash.restoreFailed} />
      {trash.length === 0 ? (
        <EmptyState icon={<TrashIcon width={28} height={28} />} title={t.trash.empty}>
          {t.trash.emptyHint}
        </EmptyState>
      ) : (
        <ul className="card-list" aria-label={t.trash.heading}>
          {trash.map((item) => (
            <li key={item.id} className="card-row">
              <div className="card-row-text">
                <span className="card-row-title">{item.name}</span>
                <span className="card-row-meta">{t.trash.deletedAt(formatDate(item.deletedAt))}</span>
              </div>
              <button
                type="button"
                className="button"
                aria-label={t.trash.restoreLabel(item.name)}
                disabled={busyId === item.id}
                onClick={() => restore(item)}
              >
                <RestoreIcon />
                {t.trash.restore}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
