import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ImportIssue, ImportProgress, ImportSummary } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';
import { ErrorMessage } from '../../components/error-message';
import type { Messages } from '../../i18n/en';
import { useT } from '../../i18n/i18n';
import './import-outcome.css';
import './import-panel.css';
import { isFullyWorded, wordImportIssue } from './wording/import-issues';

/** The running or last import of a project. */
export interface ImportState {
  importId: string | null;
  progress: ImportProgress | null;
  summary: ImportSummary | null;
  error: AppError | null;
  running: boolean;
  start(paths: string[]): Promise<void>;
  cancel(): void;
  dismiss(): void;
}

/** Starts imports, follows their progress events and keeps the final summary until dismissed. */
export function useImport(projectId: string, onFinished: () => void): ImportState {
  const [importId, setImportId] = useState<string | null>(null);
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [summary, setSummary] = useState<ImportSummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  /** Imports whose summary arrived, so a late `dataset:import` answer does not bring back the progress bar. */
  const finished = useRef(new Set<string>());

  useEffect(() => {
    const api = desktop();
    const offProgress = api.on('dataset:importProgress', (p) => {
      if (p.projectId !== projectId) return;
      setImportId(p.importId);
      setProgress(p);
    });
    const offFinished = api.on('dataset:importFinished', (s) => {
      if (s.projectId !== projectId) return;
      finished.current.add(s.importId);
      setImportId(null);
      setProgress(null);
      setSummary(s);
      onFinished();
    });
    // An import may already be running (started before this tab was opened): follow it.
    void call((a) => a.dataset.listImports({ projectId })).then(async (r) => {
      const running = r.ok ? r.value.find((i) => i.status === 'running') : undefined;
      if (!running) return;
      const status = await call((a) => a.dataset.importStatus({ projectId, importId: running.importId }));
      if (status.ok && status.value.state === 'running') {
        const known = status.value.progress;
        setImportId(running.importId);
        setProgress((p) => p ?? known ?? null);
      }
    });
    return () => {
      offProgress();
      offFinished();
    };
    // onFinished is a stable callback of the section.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [projectId]);

  const start = useCallback(
    async (paths: string[]) => {
      setError(null);
      setSummary(null);
      const result = await call((api) => api.dataset.import({ projectId, paths }));
      if (!result.ok) {
        setError(result.error);
        return;
      }
      // The summary may already have arrived (a tiny import): do not go back to "running" then.
      if (!finished.current.has(result.value.importId)) setImportId(result.value.importId);
    },
    [projectId],
  );

  const cancel = useCallback(() => {
    if (!importId) return;
    void call((api) => api.dataset.cancelImport({ projectId, importId }));
  }, [projectId, importId]);

  const dismiss = useCallback(() => {
    setSummary(null);
    setError(null);
  }, []);

  return { importId, progress, summary, error, running: importId !== null, start, cancel, dismiss };
}

/** The path field and Import button, and the OS file dialogs: "Choose files…" and "Choose folder…". */
export function ImportForm({ state, compact }: { state: ImportState; compact?: boolean }) {
  const t = useT();
  const [path, setPath] = useState('');
  const [pickError, setPickError] = useState<AppError | null>(null);
  const fieldId = useId();
  const choose = async (kind: 'images' | 'folder') => {
    const result = await call((api) => api.dialog.open({ kind, multiple: true }));
    setPickError(result.ok ? null : result.error);
    if (result.ok && result.value.paths.length > 0) void state.start(result.value.paths);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = path.trim();
    if (!value) return;
    void state.start([value]).then(() => setPath(''));
  };
  const pickers = (
    <div className="import-form-row">
      <button
        type="button"
        className="button"
        disabled={state.running}
        title={t.predict.pickers.files}
        onClick={() => void choose('images')}
      >
        {compact ? t.predict.pickers.filesShort : t.predict.pickers.files}
      </button>
      <button
        type="button"
        className="button"
        disabled={state.running}
        title={t.predict.pickers.folder}
        onClick={() => void choose('folder')}
      >
        {compact ? t.predict.pickers.folderShort : t.predict.pickers.folder}
      </button>
    </div>
  );
  return (
    <>
      <form className={`import-form${compact ? ' compact' : ''}`} onSubmit={submit}>
        <label htmlFor={fieldId} className={compact ? 'visually-hidden' : 'import-form-label'}>
          {t.dataset.importPath}
        </label>
        <div className="import-form-row">
          <input
            id={fieldId}
            type="text"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder={compact ? t.dataset.importPathShort : t.dataset.importPathPlaceholder}
            spellCheck={false}
            autoComplete="off"
          />
          <button type="submit" className="button primary" disabled={state.running || !path.trim()}>
            {t.dataset.importButton}
          </button>
        </div>
        {!compact && pickers}
        <ErrorMessage error={pickError} context={t.predict.pickers.failed} />
        {!compact && <p className="hint">{t.dataset.importHint}</p>}
      </form>
      {/* In the toolbar the pickers sit beside the path field, so it keeps its width. */}
      {compact && pickers}
    </>
  );
}

/** Progress (count, rate, time left, cancel) while an import runs; its summary once it is done. */
export function ImportStatusPanel({ state }: { state: ImportState }) {
  const t = useT();
  if (state.error) {
    return (
      <div className="import-status">
        <ErrorMessage error={state.error} context={t.dataset.importFailed} />
        <button type="button" className="button small" onClick={state.dismiss}>
          {t.dataset.dismiss}
        </button>
      </div>
    );
  }
  if (state.running) {
    const p = state.progress;
    const phase =
      !p || p.phase === 'scanning'
        ? t.dataset.scanning
        : p.phase === 'finishing'
          ? t.dataset.finishing
          : t.dataset.importing;
    const determinate = p && p.total > 0;
    return (
      <section className="import-status running" aria-label={t.dataset.progressLabel}>
        <div className="import-status-head">
          <strong>{phase}</strong>
          {p && p.total > 0 && <span>{t.dataset.progress(p.done, p.total)}</span>}
          {p && p.rate > 0 && <span className="muted">{t.dataset.rate(p.rate)}</span>}
          {p && p.etaSeconds !== null && p.phase === 'importing' && (
            <span className="muted">{t.dataset.eta(p.etaSeconds)}</span>
          )}
          <button type="button" className="button small import-cancel" onClick={state.cancel}>
            {t.dataset.cancelImport}
          </button>
        </div>
        <progress
          className="import-progress"
          aria-label={t.dataset.progressLabel}
          max={determinate ? p.total : undefined}
          value={determinate ? p.done : undefined}
        />
      </section>
    );
  }
  const s = state.summary;
  if (!s) return null;
  const outcome = importOutcome(s);
  const counts = [
    t.wording.importCounts(s.imported, s.failed.length),
    ...(s.duplicates || s.conflicts || s.alreadyImported
      ? [
          t.dataset
            .summaryCounts(s.imported, s.duplicates, s.conflicts, s.alreadyImported)
            .split(' · ')
            .slice(1),
        ]
      : []),
  ].flat();
  return (
    <section
      className={`import-status done status-${s.status} outcome-${outcome}`}
      aria-labelledby="import-summary-title"
      role={outcome === 'failed' ? 'alert' : undefined}
      data-outcome={outcome}
    >
      <div className="import-status-head">
        <strong id="import-summary-title">{outcomeTitle(t, s, outcome)}</strong>
        <span data-testid="import-counts">{counts.join(' · ')}</span>
        <span className="muted">{t.dataset.summaryElapsed(s.elapsedMs / 1000, s.imagesPerSecond)}</span>
        <button type="button" className="button small import-cancel" onClick={state.dismiss}>
          {t.dataset.dismiss}
        </button>
      </div>
      {s.error && (
        <details className="error-technical">
          <summary>{t.wording.technicalDetail}</summary>
          <span className="error-detail">{s.error}</span>
        </details>
      )}
      <IssueList title={t.dataset.failedFiles(s.failed.length)} issues={s.failed} kind="failed" />
      <IssueList title={t.dataset.skippedFiles(s.skipped.length)} issues={s.skipped} kind="skipped" />
    </section>
  );
}

/** How an import went, for its styling: nothing imported and something failed is a failure, not a success. */
export type ImportOutcome = 'success' | 'partial' | 'failed' | 'cancelled';

export function importOutcome(
  s: Pick<ImportSummary, 'status' | 'imported' | 'failed' | 'filesSeen'>,
): ImportOutcome {
  if (s.status === 'failed') return 'failed';
  if (s.status === 'cancelled') return 'cancelled';
  if (s.failed.length > 0) return s.imported > 0 ? 'partial' : 'failed';
  return 'success';
}

function outcomeTitle(t: Messages, s: ImportSummary, outcome: ImportOutcome): string {
  if (s.status !== 'completed') return t.dataset.summaryTitle[s.status];
  if (outcome === 'failed') return t.wording.importNothing;
  if (outcome === 'partial') return t.wording.importWarning;
  return t.dataset.summaryTitle.completed;
}

/** The files an import could not use, each with its reason in the user's language. */
export function IssueList({
  title,
  issues,
  kind,
  open,
}: {
  title: string;
  issues: ImportIssue[];
  kind: 'failed' | 'skipped';
  open?: boolean;
}) {
  const t = useT();
  if (issues.length === 0) return null;
  return (
    <details className={`import-issues ${kind}`} open={open ?? (kind === 'failed' && issues.length <= 20)}>
      <summary>{title}</summary>
      <ul aria-label={title}>
        {issues.slice(0, 500).map((issue) => (
          <li key={issue.path}>
            <span className="issue-path" title={issue.path}>
              {/* Left-to-right marks keep a path's slashes in place in the right-aligned (rtl) ellipsis. */}
              {`\u200e${issue.path}\u200e`}
            </span>
            <span className="issue-reason" title={issue.reason}>
              {wordImportIssue(t, issue)}
              {!isFullyWorded(issue) && issue.reason && <span className="muted"> ({issue.reason})</span>}
            </span>
          </li>
        ))}
      </ul>
    </details>
  );
}
