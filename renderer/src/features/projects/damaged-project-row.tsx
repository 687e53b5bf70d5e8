import { useState } from 'react';
import type { ProjectSummary } from '../../../../app/domain/project';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import { WarningIcon } from '../../components/icons';
import { useFormatDate, useT } from '../../i18n/i18n';
import { wordError } from '../dataset/wording/app-errors';
import './damaged-project-row.css';

/**
 * A project that cannot be opened (its database is damaged, empty or missing), as a card in the list: what is
 * wrong in the user's words, and what can be done: restore its newest automatic backup (the damaged file is kept
 * beside it) or move it to the trash. Both stay visible, not only on hover: this row needs the user's attention.
 */
export function DamagedProjectRow({ project, onDelete }: { project: ProjectSummary; onDelete(): void }) {
  const t = useT();
  const formatDate = useFormatDate();
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const newest = project.damage?.backups[0] ?? null;
  // Main names a project whose database tells no name by its id (its folder): shown short, in full on hover.
  const name = project.name === project.id ? t.projects.unnamed(project.id.slice(0, 8)) : project.name;
  const reason = wordError(t, {
    code: 'storage',
    message: project.problem ?? '',
    details: { code: project.damage?.code ?? 'project-unreadable' },
  });
  const restore = async () => {
    if (!newest || busy) return;
    setBusy(true);
    // On success main announces projects:changed and the list shows the project as it was at the backup.
    const result = await call((api) => api.projects.restoreBackup({ id: project.id, backup: newest.file }));
    setBusy(false);
    setError(result.ok ? null : result.error);
  };
  return (
    <li className="project-row damaged damaged-card" aria-label={t.projects.damagedLabel(name)}>
      <div className="damaged-body">
        <span className="project-name" title={`${project.id}\n${project.problem ?? ''}`}>
          <WarningIcon className="warning" />
          {name}
        </span>
        <span className="damaged-reason">{reason}</span>
        {!newest && <span className="damaged-reason muted">{t.projects.noBackups}</span>}
        <div className="damaged-actions">
          {newest && (
            <button type="button" className="button small primary" onClick={restore} disabled={busy}>
              {t.projects.restoreBackup(formatDate(newest.createdAt))}
            </button>
          )}
          <button type="button" className="button small" onClick={onDelete}>
            {t.projects.moveToTrash}
          </button>
        </div>
        <ErrorMessage error={error} context={t.projects.restoreFailed} />
      </div>
    </li>
  );
}
