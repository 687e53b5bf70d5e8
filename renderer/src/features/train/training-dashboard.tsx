import { useId, useMemo } from 'react';
import type { EpochMetrics, RunSummary, TrainingProgress } from '../../../../app/domain/training';
import { EmptyState } from '../../components/empty-state';
import { ChartIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { hasValues, runChartData, type LivePoint, type Metric } from './curve-data';
import { EpochTable } from './epoch-table';
import { ImportedBadge } from './import-model';
import { LineChart, type ChartSeries } from './line-chart';
import { useTrainingFormat } from './training-format';
import { useRunDetails } from './use-run-details';
import type { TrainingController } from './use-training';

/**
 * The Progress view: one run's progress bar, speed and time left, its loss and accuracy curves (live batch samples
 * while this window watches it train, per-epoch training and validation figures) and its epoch table. Shows the
 * active run, else the one picked in the run list, else the newest.
 */
export function TrainingDashboard({
  projectId,
  training,
  viewRunId,
  onViewRun,
}: {
  projectId: string;
  training: TrainingController;
  viewRunId: string | null;
  onViewRun(runId: string): void;
}) {
  const all = useT();
  const t = all.training;
  const selectId = useId();
  const { runs, live, state } = training;
  const run: RunSummary | undefined =
    runs.find((r) => r.id === viewRunId) ??
    (state?.active ? runs.find((r) => r.id === state.active?.id) : undefined) ??
    runs[0];
  const isLive = !!run && live?.runId === run.id;
  const { details } = useRunDetails(projectId, run && !isLive ? [run.id] : [], training.runsVersion);
  const epochs = isLive ? (live?.epochs ?? []) : (details[0]?.epochs ?? []);
  const points = isLive ? (live?.points ?? []) : [];
  const active = !!run && run.id === state?.active?.id;
  const progress = active && isLive ? (live?.progress ?? state?.progress ?? null) : null;
  const noLog = run?.imported && epochs.length === 0 ? all.importModel.noLog : undefined;

  if (!run) {
    return (
      <EmptyState icon={<ChartIcon width={28} height={28} />} title={t.dashboard.emptyTitle}>
        {t.dashboard.emptyBody}
      </EmptyState>
    );
  }
  return (
    <div className="train-dashboard" aria-label={t.dashboard.label} role="region">
      <div className="train-dashboard-header">
        <div className="train-field compact inline">
          <label htmlFor={selectId}>{t.dashboard.viewing}</label>
          <select id={selectId} value={run.id} onChange={(e) => onViewRun(e.target.value)}>
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} · {t.status[r.status]}
              </option>
            ))}
          </select>
        </div>
        <span className={`status-pill ${run.status}`} data-testid="dashboard-status">
          {t.status[run.status]}
        </span>
        <ImportedBadge origin={run.imported} />
      </div>
      <ProgressPanel run={run} progress={progress} epochs={epochs} />
      <section className="train-charts" aria-label={t.dashboard.charts}>
        <RunChart
          metric="loss"
          points={points}
          epochs={epochs}
          planned={run.epochsPlanned}
          emptyText={noLog}
        />
        <RunChart
          metric="accuracy"
          points={points}
          epochs={epochs}
          planned={run.epochsPlanned}
          emptyText={noLog}
        />
      </section>
      <section className="card train-card" aria-labelledby={`${selectId}-epochs`}>
        <h3 className="train-card-title" id={`${selectId}-epochs`}>
          {t.epochs.heading}
        </h3>
        <EpochTable epochs={epochs} bestEpoch={run.bestEpoch} live={active} />
      </section>
    </div>
  );
}

/** The progress bar and the figures of the moment. */
function ProgressPanel({
  run,
  progress,
  epochs,
}: {
  run: RunSummary;
  progress: TrainingProgress | null;
  epochs: EpochMetrics[];
}) {
  const t = useT().training.dashboard;
  const f = useTrainingFormat();
  const last = epochs.at(-1);
  const fraction = progress
    ? progress.totalSteps > 0
      ? progress.step / progress.totalSteps
      : 0
    : run.epochsPlanned > 0
      ? run.epochsDone / run.epochsPlanned
      : 0;
  const clamped = Math.min(Math.max(fraction, 0), 1);
  const trainingSeconds = epochs.reduce((sum, e) => sum + e.seconds, 0);
  const speed = progress?.imagesPerSecond ?? last?.imagesPerSecond ?? run.imagesPerSecond;
  const running = progress !== null && run.status === 'running';
  return (
    <section className="card" aria-label={t.overall}>
      <div className="train-progress-text">
        <strong>{t.epoch(progress?.epoch ?? run.epochsDone, progress?.epochs ?? run.epochsPlanned)}</strong>
        {progress && <span>{t.batch(progress.batch, progress.batchesPerEpoch)}</span>}
        <span className="train-progress-percent">{f.percent(clamped)}</span>
      </div>
      <div
        className={`progress-bar${run.status === 'running' ? ' running' : ''}`}
        role="progressbar"
        aria-label={t.overall}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped * 100)}
        data-testid="run-progress"
      >
        <div className="progress-bar-fill" style={{ width: `${clamped * 100}%` }} />
      </div>
      <dl className="train-stats">
        <div>
          <dt>{t.imagesPerSecond}</dt>
          <dd data-testid="images-per-second">{f.int(speed)}</dd>
        </div>
        <div>
          <dt>{running ? t.timeLeft : t.elapsed}</dt>
          <dd data-testid="time-left">
            {running && progress
              ? progress.secondsLeft === null
                ? t.estimating
                : f.duration(progress.secondsLeft)
              : f.duration(trainingSeconds)}
          </dd>
        </div>
        <div>
          <dt>{t.loss}</dt>
          <dd>{f.loss(progress?.loss ?? last?.trainLoss)}</dd>
        </div>
        <div>
          <dt>{t.learningRate}</dt>
          <dd>{f.rate(progress?.learningRate ?? last?.learningRate)}</dd>
        </div>
        <div>
          <dt>{t.bestVal}</dt>
          <dd>
            {f.percent(run.bestValAccuracy)}
            {run.bestEpoch !== null && run.bestValAccuracy !== null && (
              <span className="train-stat-note"> · {t.bestAt(run.bestEpoch)}</span>
            )}
          </dd>
        </div>
      </dl>
    </section>
  );
}

/** The loss or accuracy chart of one run. */
function RunChart({
  metric,
  points,
  epochs,
  planned,
  emptyText,
}: {
  metric: Metric;
  points: readonly LivePoint[];
  epochs: readonly EpochMetrics[];
  planned: number;
  /** What an empty chart says instead of "after the first batches" (an imported run without a log). */
  emptyText?: string;
}) {
  const t = useT().training.dashboard;
  const f = useTrainingFormat();
  const data = useMemo(() => runChartData(points, epochs, metric), [points, epochs, metric]);
  const series: ChartSeries[] = useMemo(
    () => [
      { label: t.batches, color: '--chart-batch', width: 1.25 },
      { label: t.train, color: '--chart-train', points: true },
      { label: t.validation, color: '--chart-val', points: true },
    ],
    [t],
  );
  const title = metric === 'loss' ? t.lossChart : t.accuracyChart;
  const last = epochs.at(-1);
  const fmt = metric === 'loss' ? f.loss : f.percent;
  const summary = last
    ? t.chartSummary(
        title,
        last.epoch,
        fmt(metric === 'loss' ? last.trainLoss : last.trainAccuracy),
        (metric === 'loss' ? last.valLoss : last.valAccuracy) === null
          ? t.noValidation
          : fmt(metric === 'loss' ? last.valLoss : last.valAccuracy),
      )
    : t.chartSummaryLive(title);
  return (
    <figure
      className="card train-card train-chart"
      data-testid={`chart-${metric}`}
      data-samples={points.length}
    >
      <figcaption className="train-card-title">{title}</figcaption>
      <LineChart
        data={data}
        series={series}
        yFormat={metric === 'loss' ? 'number' : 'percent'}
        xLabel={t.xAxis}
        xRange={[0, Math.max(planned, 1)]}
        summary={summary}
      />
      {!hasValues(data) && <p className="train-chart-empty train-hint">{emptyText ?? t.chartEmpty}</p>}
    </figure>
  );
}
