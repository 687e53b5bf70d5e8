import { useId, useState } from 'react';
import type { RunSummary } from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { PencilIcon, StarIcon, TrashIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { ImportedBadge, ImportModelButton, ImportOutcome, useModelImport } from './import-model';
import { RunCompare } from './run-compare';
import { useTrainingFormat } from './training-format';
import type { TrainingController } from './use-training';

const ACTIVE = new Set(['queued', 'running', 'paused']);

/**
 * Every run of the project: status, network, epochs, best validation accuracy, speed, which one is the project's
 * model; rename, delete, use as model, resume an interrupted run, open its curves, and select runs to compare.
 */
export function RunList({
  projectId,
  training,
  onViewRun,
}: {
  projectId: string;
  training: TrainingController;
  onViewRun(runId: string): void;
}) {
  const messages = useT();
  const t = messages.training.runs;
  const f = useTrainingFormat();
  const headingId = useId();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [comparing, setComparing] = useState<string[] | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<RunSummary | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const modelImport = useModelImport(projectId);
  const { runs } = training;
  const present = new Set(runs.map((r) => r.id));
  const chosen = runs.filter((r) => selected.has(r.id)).map((r) => r.id);
  const compared = comparing?.filter((id) => present.has(id)) ?? null;

  const report = <T,>(r: { ok: true; value: T } | { ok: false; error: AppError }) => {
    setError(r.ok ? null : r.error);
    return r.ok;
  };

  return (
    <div className="train-runs">
      <section className="card train-card" aria-labelledby={headingId}>
        <div className="train-card-header">
          <h3 className="train-card-title" id={headingId}>
            {t.heading}
          </h3>
          <div className="train-actions">
            <ImportModelButton
              disabled={modelImport.state.kind === 'busy'}
              onPick={(file) => void modelImport.run(file)}
            />
            <button
              type="button"
              className="button small"
              title={t.useAutoHint}
              disabled={runs.length === 0 || training.busy}
              onClick={() => void training.use(null).then(report)}
            >
              {t.useAuto}
            </button>
            <button
              type="button"
              className="button small primary"
              disabled={chosen.length < 2}
              aria-describedby={`${headingId}-hint`}
              onClick={() => setComparing(chosen)}
            >
              {chosen.length >= 2 ? t.compare(chosen.length) : t.compareNone}
            </button>
          </div>
        </div>
        <p className="train-hint" id={`${headingId}-hint`}>
          {t.compareHint}
        </p>
        <ImportOutcome outcome={modelImport.state} />
        <ErrorMessage error={error} context={t.failed} />
        <ErrorMessage error={training.loadError} context={t.loadFailed} />
        {!training.runsLoaded ? null : runs.length === 0 ? (
          <p className="train-hint">{t.empty}</p>
        ) : (
          <div className="train-table-scroll">
            <table className="train-table run-table" aria-labelledby={headingId} data-testid="run-table">
              <thead>
                <tr>
                  <th scope="col" className="select-col">
                    <span className="visually-hidden">{t.compareNone}</span>
                  </th>
                  <th scope="col">{t.name}</th>
                  <th scope="col">{t.status}</th>
                  <th scope="col">{t.model}</th>
                  <th scope="col">{t.epochs}</th>
                  <th scope="col" title={t.bestValHint}>
                    {t.bestVal}
                  </th>
                  <th scope="col">{t.speed}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t.actions}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <tr key={run.id} className={run.isModel ? 'is-model' : undefined} data-run={run.name}>
                    <td className="select-col">
                      <input
                        type="checkbox"
                        aria-label={t.select(run.name)}
                        checked={selected.has(run.id)}
                        onChange={(e) =>
                          setSelected((prev) => {
                            const next = new Set(prev);
                            if (e.target.checked) next.add(run.id);
                            else next.delete(run.id);
                            return next;
                          })
                        }
                      />
                    </td>
                    <th scope="row" className="run-name-cell">
                      {renaming === run.id ? (
                        <RenameForm
                          run={run}
                          onCancel={() => setRenaming(null)}
                          onSave={async (name) => {
                            if (name === run.name || report(await training.rename(run.id, name)))
                              setRenaming(null);
                          }}
                        />
                      ) : (
                        <span className="run-name">
                          <button
                            type="button"
                            className="link-button"
                            aria-label={t.view(run.name)}
                            onClick={() => onViewRun(run.id)}
                          >
                            {run.name}
                          </button>
                          {run.isModel && (
                            <span className="model-badge" title={t.projectModelHint}>
                              <StarIcon width={11} height={11} />
                              {t.projectModel}
                            </span>
                          )}
                          <ImportedBadge origin={run.imported} />
                        </span>
                      )}
                      {renaming !== run.id && (
                        <span className="run-date">
                          <span className="visually-hidden">{t.created}: </span>
                          {f.date(run.startedAt ?? run.createdAt)}
                        </span>
                      )}
                    </th>
                    <td>
                      <span className={`status-pill ${run.status}`}>
                        {messages.training.status[run.status]}
                      </span>
                      {run.failure && (
                        <span className="run-failure" title={run.failure.detail}>
                          {messages.training.failures[run.failure.code]}
                        </span>
                      )}
                    </td>
                    <td>{run.preset === 'custom' ? t.custom : messages.network.presets[run.preset].title}</td>
                    <td className="num">{t.epochsValue(run.epochsDone, run.epochsPlanned)}</td>
                    <td className="num">{f.percent(run.bestValAccuracy)}</td>
                    <td className="num">{f.int(run.imagesPerSecond)}</td>
                    <td>
                      <div className="run-actions">
                        {run.resumable && !ACTIVE.has(run.status) && (
                          <button
                            type="button"
                            className="button small"
                            disabled={training.busy || !!training.state?.active}
                            onClick={() => void training.resume(run.id)}
                          >
                            {t.resume}
                          </button>
                        )}
                        {!run.isModel && (run.status === 'completed' || run.status === 'stopped') && (
                          <button
                            type="button"
                            className="button small"
                            disabled={training.busy}
                            onClick={() => void training.use(run.id).then(report)}
                          >
                            {t.use}
                          </button>
                        )}
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={t.rename(run.name)}
                          title={t.rename(run.name)}
                          onClick={() => setRenaming(run.id)}
                        >
                          <PencilIcon />
                        </button>
                        <button
                          type="button"
                          className="icon-button"
                          aria-label={t.delete(run.name)}
                          title={t.delete(run.name)}
                          disabled={ACTIVE.has(run.status)}
                          onClick={() => setDeleting(run)}
                        >
                          <TrashIcon />
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {compared && compared.length >= 2 && (
        <RunCompare
          projectId={projectId}
          runIds={compared}
          version={training.runsVersion}
          onClose={() => setComparing(null)}
        />
      )}
      <Dialog
        open={deleting !== null}
        role="alertdialog"
        title={t.deleteTitle}
        onClose={() => setDeleting(null)}
        describedBy={`${headingId}-delete`}
      >
        <p className="dialog-text" id={`${headingId}-delete`}>
          {deleting ? t.deleteBody(deleting.name) : ''}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => setDeleting(null)}>
            {t.cancel}
          </button>
          <button
            type="button"
            className="button danger"
            onClick={async () => {
              const run = deleting;
              setDeleting(null);
              if (run) report(await training.remove(run.id));
            }}
          >
            {t.deleteConfirm}
          </button>
        </div>
      </Dialog>
    </div>
  );
}

/** Inline rename: Enter saves, Escape cancels. */
function RenameForm({
  run,
  onSave,
  onCancel,
}: {
  run: RunSummary;
  onSave(name: string): Promise<void>;
  onCancel(): void;
}) {
  const t = useT().training.runs;
  const [name, setName] = useState(run.name);
  return (
    <form
      className="run-rename"
      onSubmit={(e) => {
        e.preventDefault();
        const trimmed = name.trim();
        if (trimmed) void onSave(trimmed);
      }}
    >
      <input
        type="text"
        aria-label={t.renameInput}
        value={name}
        maxLength={100}
        autoFocus
        onFocus={(e) => e.target.select()}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            onCancel();
          }
        }}
      />
      <button type="submit" className="button small primary" disabled={!name.trim()}>
        {t.save}
      </button>
      <button type="button" className="button small" onClick={onCancel}>
        {t.cancel}
      </button>
    </form>
  );
}
