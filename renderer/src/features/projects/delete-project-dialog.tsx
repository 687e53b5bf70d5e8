import { useId, useState } from 'react';
import type { ProjectSummary, TrashedProject } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useT } from '../../i18n/i18n';

/** Asks before moving a project to the Trash; Cancel is focused first so Enter never deletes by accident. */
export function DeleteProjectDialog({
  project,
  onClose,
  onDeleted,
}: {
  project: ProjectSummary | null;
  onClose(): void;
  onDeleted(trashed: TrashedProject): void;
}) {
  const t = useT();
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const bodyId = useId();
  const close = () => {
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!project || busy) return;
    setBusy(true);
    const result = await call((api) => api.projects.delete({ id: project.id }));
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    onDeleted(result.value);
  };
  return (
    <Dialog
      open={project !== null}
      title={t.remove.title}
      onClose={close}
      role="alertdialog"
      describedBy={bodyId}
    >
      <p id={bodyId} className="dialog-text">
        {project ? t.remove.body(project.name) : ''}
      </p>
      <ErrorMessage error={error} context={t.remove.failed} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={close} autoFocus>
          {t.remove.cancel}
        </button>
        <button type="button" className="button danger" onClick={confirm} disabled={busy}>
          {t.remove.confirm}
        </button>
      </div>
    </Dialog>
  );
}
