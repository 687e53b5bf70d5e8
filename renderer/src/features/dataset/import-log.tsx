import { Fragment, useCallback, useEffect, useState } from 'react';
import type { ImportIssue, ImportSummary } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useFormatDate, useT } from '../../i18n/i18n';
import { IssueList } from './import-panel';
import './import-outcome.css';

/** A failure as the dismissal store knows it: the same path failing again for the same reason stays dismissed. */
function failureKey(issue: Pick<ImportIssue, 'path' | 'code' | 'reason'>): string {
  return `${issue.path}\u0000${issue.code ?? ''}\u0000${issue.reason}`;
}

const storageKey = (projectId: string) => `cnn-studio.dismissed-import-failures.${projectId}`;

/**
 * Dismissed import failures of a project. Main has no "dismiss" operation (yet), so this is the renderer's own
 * record, per project in localStorage: the seam is `dismiss`/`isDismissed`; a backend operation would replace the
 * storage here and nothing else. The failures themselves stay in main's import log (`dataset:importStatus`).
 */
export function useDismissedFailures(projectId: string): {
  isDismissed(issue: ImportIssue): boolean;
  dismiss(issues: ImportIssue[]): void;
  count: number;
} {
  // Keyed by project: another project's record is loaded while rendering (no effect needed).
  const [state, setState] = useState(() => ({ projectId, keys: load(projectId) }));
  const keys = state.projectId === projectId ? state.keys : load(projectId);
  const dismiss = useCallback(
    (issues: ImportIssue[]) => {
      setState((previous) => {
        const next = new Set(previous.projectId === projectId ? previous.keys : load(projectId));
        for (const issue of issues) next.add(failureKey(issue));
        try {
          window.localStorage.setItem(storageKey(projectId), JSON.stringify([...next]));
        } catch {
          // not persisted; dismissed for this session
        }
        return { projectId, keys: next };
      });
    },
    [projectId],
  );
  const isDismissed = useCallback((issue: ImportIssue) => keys.has(failureKey(issue)), [keys]);
  return { isDismissed, dismiss, count: keys.size };
}

function load(projectId: string): Set<string> {
  try {
    const raw = window.localStorage.getItem(storageKey(projectId));
    const list: unknown = raw ? JSON.parse(raw) : [];
    return new Set(Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

interface LoggedImport {
  importId: string;
  startedAt: string;
  status: string;
  imported: number;
  summary: ImportSummary | null;
}

/** The import log: every past import of the project with its counts and the files that failed. */
export function ImportLogDialog({
  projectId,
  open,
  onClose,
}: {
  projectId: string;
  open: boolean;
  onClose(): void;
}) {
  const t = useT();
  const w = t.wording.importLog;
  const formatDate = useFormatDate();
  const [imports, setImports] = useState<LoggedImport[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    void (async () => {
      const list = await call((api) => api.dataset.listImports({ projectId }));
      if (!live) return;
      if (!list.ok) return setError(list.error);
      const newest = [...list.value].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 50);
      const rows = await Promise.all(
        newest.map(async (i): Promise<LoggedImport> => {
          const status = await call((api) => api.dataset.importStatus({ projectId, importId: i.importId }));
          const summary = status.ok && status.value.state === 'finished' ? status.value.summary : null;
          return { ...i, summary };
        }),
      );
      if (live) {
        setImports(rows);
        setError(null);
      }
    })();
    return () => {
      live = false;
    };
  }, [projectId, open]);
  return (
    <Dialog open={open} title={w.title} onClose={onClose}>
      <div className="import-log">
        <ErrorMessage error={error} context={w.loadFailed} />
        {imports === null ? (
          !error && <p className="muted">{t.app.loading}</p>
        ) : imports.length === 0 ? (
          <p className="muted">{w.empty}</p>
        ) : (
          <table className="import-log-table" aria-label={w.title}>
            <thead>
              <tr>
                <th scope="col">{w.when}</th>
                <th scope="col">{w.status}</th>
                <th scope="col">{w.imported}</th>
                <th scope="col">{w.failed}</th>
              </tr>
            </thead>
            <tbody>
              {imports.map((i) => {
                const failed = i.summary?.failed ?? [];
                return (
                  <Fragment key={i.importId}>
                    <tr className={failed.length > 0 ? 'has-failures' : undefined}>
                      <td>{formatDate(i.startedAt)}</td>
                      <td>{w.statuses[i.status] ?? i.status}</td>
                      <td className="num">{t.wording.number(i.summary?.imported ?? i.imported)}</td>
                      <td className="num failed">{t.wording.number(failed.length)}</td>
                    </tr>
                    {failed.length > 0 && (
                      <tr className="import-log-failures">
                        <td colSpan={4}>
                          <IssueList
                            title={t.dataset.failedFiles(failed.length)}
                            issues={failed}
                            kind="failed"
                            open={false}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        )}
        <div className="dialog-actions">
          <button type="button" className="button primary" onClick={onClose}>
            {w.close}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
