import { Fragment, useCallback, useEffect, useState } from 'react';
import type { ImportIssue, ImportSummary } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useFormatDate, useT } from '../../i18n/i18n';
import { IssueList } from './import-panel';
import './import-outcome.css';

/** A failure as this hook knows it until main's next health report leaves it out. */
function failureKey(issue: Pick<ImportIssue, 'path' | 'code' | 'reason'>): string {
  return `${issue.path}\u0000${issue.code ?? ''}\u0000${issue.reason}`;
}

/**
 * Dismissed import failures of a project, kept by main (`dataset:dismissImportFailures` dismisses every current
 * failure; Health's report then leaves them out, the import log keeps them, a new failure shows again). The
 * failures passed to `dismiss` are hidden at once, until main's report (refreshed on `dataset:changed`) drops
 * them; shown again if main refuses. `count`: failures dismissed on this page.
 */
export function useDismissedFailures(projectId: string): {
  isDismissed(issue: ImportIssue): boolean;
  dismiss(issues: ImportIssue[]): void;
  count: number;
} {
  const [state, setState] = useState(() => ({ projectId, keys: new Set<string>(), count: 0 }));
  const current = state.projectId === projectId ? state : { projectId, keys: new Set<string>(), count: 0 };
  const dismiss = useCallback(
    (issues: ImportIssue[]) => {
      const added = issues.map(failureKey);
      const update = (
        change: (s: { keys: Set<string>; count: number }) => { keys: Set<string>; count: number },
      ) =>
        setState((previous) =>
          previous.projectId === projectId ? { projectId, ...change(previous) } : previous,
        );
      setState((previous) => {
        const base =
          previous.projectId === projectId ? previous : { projectId, keys: new Set<string>(), count: 0 };
        return { ...base, keys: new Set([...base.keys, ...added]) };
      });
      void call((api) => api.dataset.dismissImportFailures({ projectId })).then((result) => {
        update((s) => {
          // Main's report no longer lists them (or main refused and they show again).
          const keys = new Set(s.keys);
          for (const key of added) keys.delete(key);
          return { keys, count: s.count + (result.ok ? result.value.dismissed : 0) };
        });
      });
    },
    [projectId],
  );
  const { keys } = current;
  const isDismissed = useCallback((issue: ImportIssue) => keys.has(failureKey(issue)), [keys]);
  return { isDismissed, dismiss, count: current.count };
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
