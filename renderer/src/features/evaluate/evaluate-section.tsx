import { useCallback, useEffect, useRef, useState } from 'react';
import type { LabelInfo } from '../../../../app/domain/dataset';
import type { ProjectSummary } from '../../../../app/domain/project';
import type { EvalSplit, EvaluationReport, ImagePrediction } from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { EmptyState } from '../../components/empty-state';
import { ErrorMessage } from '../../components/error-message';
import { CheckCircleIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { useDatasetChanged, useDatasetMeta, useMediaBase } from '../dataset/use-dataset';
import type { SectionKey } from '../workspace/sections';
import { CellImagesPanel } from './cell-images-panel';
import { ClassMetricsTable } from './class-metrics-table';
import { ConfusionMatrix, type MatrixHandle } from './confusion-matrix';
import './evaluate.css';
import { defaultSplit, evaluableRuns, isTraining, pickRun } from './evaluation-model';
import { MislabeledList } from './mislabeled-list';
import { RunSplitPicker } from './run-split-picker';
import { useEvaluation, useNumberFormats, useRuns } from './use-evaluation';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA'].includes(target.tagName);
}

/**
 * The Evaluate section: pick a run (the project's model by default) and a split; see accuracy, loss and macro
 * F1, the confusion matrix (a cell opens its images, relabelable in place), precision/recall/F1 per class, and the
 * training images the model most confidently disagrees with, each fixable in one key press. Relabeling goes
 * through the dataset's undoable `labels:assign`; the evaluation is fetched again after every change.
 */
export function EvaluateSection({
  project,
  onSection,
}: {
  project: ProjectSummary;
  onSection?(section: SectionKey): void;
}) {
  return <Evaluate key={project.id} projectId={project.id} onSection={onSection} />;
}

function Evaluate({ projectId, onSection }: { projectId: string; onSection?(section: SectionKey): void }) {
  const t = useT();
  const te = t.evaluation;
  const { runs, loaded, error: runsError } = useRuns(projectId);
  const [chosen, setChosen] = useState<string | null>(null);
  /** The user's split; until they pick one, the first of validation/test/train that has images. */
  const [chosenSplit, setSplit] = useState<EvalSplit | null>(null);
  const [cell, setCell] = useState<{ trueLabel: string; predicted: string } | null>(null);
  /** Bumped when labels change: every evaluation view fetches again. */
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<{ text: string; undo: boolean } | null>(null);
  const [actionError, setActionError] = useState<{ context: string; error: AppError } | null>(null);
  const meta = useDatasetMeta(projectId);
  const mediaBase = useMediaBase();
  const matrixRef = useRef<MatrixHandle | null>(null);

  const run = pickRun(runs, chosen);
  const split = chosenSplit ?? (meta.stats ? defaultSplit(meta.stats.perSplit) : null);
  const runId = split ? (run?.id ?? null) : null;
  const evaluation = useEvaluation(projectId, runId, split ?? 'val', version);
  const currentKey = runId ? JSON.stringify([projectId, runId, split]) : null;
  const report = evaluation.key === currentKey ? evaluation.value : null;

  const reloadMeta = meta.reload;
  const labelsChanged = useCallback(() => {
    setVersion((v) => v + 1);
    reloadMeta();
  }, [reloadMeta]);
  useDatasetChanged(projectId, labelsChanged);

  // Short notices fade after a while.
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), 8000);
    return () => clearTimeout(timer);
  }, [notice]);

  const relabel = async (image: ImagePrediction, fileName: string, label: LabelInfo): Promise<boolean> => {
    const result = await call((api) =>
      api.labels.assign({ projectId, imageIds: [image.imageId], labelId: label.id }),
    );
    if (!result.ok) {
      setActionError({ context: te.relabelFailed, error: result.error });
      return false;
    }
    setActionError(null);
    setNotice({ text: te.relabeled(fileName, label.name), undo: true });
    labelsChanged();
    return true;
  };

  const undo = useCallback(async () => {
    const result = await call((api) => api.dataset.undo({ projectId }));
    if (!result.ok) return setActionError({ context: te.undoFailed, error: result.error });
    setActionError(null);
    setNotice(result.value.undone ? { text: te.undone(result.value.undone), undo: false } : null);
    labelsChanged();
  }, [projectId, te, labelsChanged]);

  // Ctrl+Z anywhere in the section (not while typing or in a dialog): the dataset's undo.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      if (event.key.toLowerCase() !== 'z') return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      void undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [undo]);

  if (!loaded) {
    return (
      <p className="eval-muted evaluate-loading" role="status">
        {t.app.loading}
      </p>
    );
  }
  if (!run) {
    return (
      <div className="evaluate evaluate-empty">
        {runsError && <ErrorMessage error={runsError} context={te.runsFailed} />}
        <EmptyState
          icon={<CheckCircleIcon width={28} height={28} />}
          title={t.empty.evaluate.title}
          actions={
            onSection && (
              <button type="button" className="button primary" onClick={() => onSection('train')}>
                {te.noModel.goTrain}
              </button>
            )
          }
        >
          {isTraining(runs) ? te.noModel.training : t.empty.evaluate.body}
        </EmptyState>
      </div>
    );
  }

  if (!split) {
    return (
      <p className="eval-muted evaluate-loading" role="status">
        {t.app.loading}
      </p>
    );
  }

  const labels = report?.confusion.labels ?? [];
  const openCell = cell && labels.includes(cell.trueLabel) && labels.includes(cell.predicted) ? cell : null;
  const cellTotal = openCell
    ? (report?.confusion.matrix[labels.indexOf(openCell.trueLabel)]?.[labels.indexOf(openCell.predicted)] ??
      0)
    : 0;
  const mislabeled = (
    <MislabeledList
      projectId={projectId}
      runId={run.id}
      labels={meta.labels}
      mediaBase={mediaBase}
      version={version}
      onRelabel={relabel}
    />
  );

  return (
    <div className="evaluate" aria-busy={evaluation.loading}>
      <header className="evaluate-header">
        <div className="evaluate-heading-block">
          <h2 className="section-title">{te.title}</h2>
          <p className="eval-muted">{te.intro}</p>
        </div>
        <RunSplitPicker
          runs={evaluableRuns(runs)}
          runId={run.id}
          onRun={(id) => {
            setChosen(id);
            setCell(null);
          }}
          split={split}
          onSplit={(s) => {
            setSplit(s);
            setCell(null);
          }}
        />
      </header>

      {runsError && <ErrorMessage error={runsError} context={te.runsFailed} />}
      {actionError && <ErrorMessage error={actionError.error} context={actionError.context} />}
      {evaluation.error && evaluation.key === currentKey && (
        <ErrorMessage error={evaluation.error} context={te.loadFailed} />
      )}
      {!report && !evaluation.error && (
        <p className="eval-muted" role="status">
          {te.loading}
        </p>
      )}

      {report && report.count === 0 && (
        <div className="card eval-card eval-empty-split">
          <h3 className="eval-heading">{te.emptySplit.title(te.splits[split])}</h3>
          <p className="eval-muted">{te.emptySplit.body}</p>
        </div>
      )}

      {report && report.count > 0 && (
        <>
          <Headline report={report} splitName={te.splits[split]} />
          {report.unknownLabelCount > 0 && (
            <p className="eval-note">{te.unknownLabels(report.unknownLabelCount)}</p>
          )}
          <div className="evaluate-row">
            <section className="card eval-card matrix-card" aria-labelledby="confusion-heading">
              <h3 id="confusion-heading" className="eval-heading">
                {te.matrix.heading}
              </h3>
              <p id="confusion-caption" className="eval-muted eval-caption-text">
                {te.matrix.caption}
              </p>
              <ConfusionMatrix
                confusion={report.confusion}
                handleRef={matrixRef}
                selected={
                  openCell
                    ? { row: labels.indexOf(openCell.trueLabel), col: labels.indexOf(openCell.predicted) }
                    : null
                }
                onOpen={({ row, col }) => setCell({ trueLabel: labels[row], predicted: labels[col] })}
              />
            </section>
            <div className="evaluate-side">
              {openCell ? (
                <CellImagesPanel
                  key={`${openCell.trueLabel}\u0000${openCell.predicted}`}
                  projectId={projectId}
                  runId={run.id}
                  split={split}
                  trueLabel={openCell.trueLabel}
                  predicted={openCell.predicted}
                  total={cellTotal}
                  labels={meta.labels}
                  mediaBase={mediaBase}
                  version={version}
                  onRelabel={relabel}
                  onClose={() => {
                    setCell(null);
                    matrixRef.current?.focus();
                  }}
                />
              ) : (
                <section className="card eval-card cell-hint" aria-labelledby="cell-hint-heading">
                  <h3 id="cell-hint-heading" className="eval-heading">
                    {te.cell.hintTitle}
                  </h3>
                  <p className="eval-muted">{te.cell.hint}</p>
                </section>
              )}
            </div>
          </div>
          <div className="evaluate-row">
            <section className="card eval-card classes-card" aria-labelledby="class-metrics-heading">
              <h3 id="class-metrics-heading" className="eval-heading">
                {te.classes.heading}
              </h3>
              <ClassMetricsTable perClass={report.perClass} />
            </section>
            {mislabeled}
          </div>
        </>
      )}
      {report && report.count === 0 && mislabeled}

      {notice && (
        <div className="eval-toast" role="status">
          <span>{notice.text}</span>
          {notice.undo && (
            <button type="button" className="button small" onClick={() => void undo()}>
              {te.undo}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

/** Accuracy, loss, image count and macro F1 of the evaluated split. */
function Headline({ report, splitName }: { report: EvaluationReport; splitName: string }) {
  const t = useT();
  const tm = t.evaluation.metrics;
  const { percent, decimal } = useNumberFormats();
  const correct = report.confusion.matrix.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const stats = [
    {
      key: 'accuracy',
      label: tm.accuracy,
      value: percent(report.accuracy),
      hint: tm.correct(correct, report.count),
    },
    { key: 'loss', label: tm.loss, value: decimal(report.loss), hint: tm.lossHint },
    { key: 'count', label: tm.count, value: report.count.toLocaleString(), hint: tm.countHint(splitName) },
    { key: 'macroF1', label: tm.macroF1, value: percent(report.macroF1), hint: tm.macroF1Hint },
  ];
  return (
    <dl className="eval-headline" aria-label={tm.label}>
      {stats.map((s) => (
        <div key={s.key} className={`eval-stat eval-stat-${s.key}`} data-testid={`eval-${s.key}`}>
          <dt>{s.label}</dt>
          <dd className="eval-stat-value">{s.value}</dd>
          <dd className="eval-stat-hint">{s.hint}</dd>
        </div>
      ))}
    </dl>
  );
}
