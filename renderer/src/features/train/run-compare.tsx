import { useId, useMemo, type ReactNode } from 'react';
import type { RunDetail } from '../../../../app/domain/training';
import { ErrorMessage } from '../../components/error-message';
import { CloseIcon } from '../../components/icons';
import { useT } from '../../i18n/i18n';
import { compareChartData, type Metric } from './curve-data';
import { LineChart, type ChartSeries } from './line-chart';
import { useTrainingFormat } from './training-format';
import { useRunDetails } from './use-run-details';

/** Colours of compared runs, in selection order (CSS custom properties with light and dark values). */
const PALETTE = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6'];

/** Two or more runs side by side: their validation curves overlaid, and their results and settings in one table. */
export function RunCompare({
  projectId,
  runIds,
  version,
  onClose,
}: {
  projectId: string;
  runIds: string[];
  version: number;
  onClose(): void;
}) {
  const messages = useT();
  const t = messages.training.compare;
  const headingId = useId();
  const { details, loading, error } = useRunDetails(projectId, runIds, version);
  const series: ChartSeries[] = useMemo(
    () => details.map((d, i) => ({ label: d.name, color: PALETTE[i % PALETTE.length], points: true })),
    [details],
  );
  return (
    <section className="card train-card run-compare" aria-labelledby={headingId} data-testid="run-compare">
      <div className="train-card-header">
        <h3 className="train-card-title" id={headingId}>
          {t.heading}
        </h3>
        <button type="button" className="icon-button" aria-label={t.close} title={t.close} onClick={onClose}>
          <CloseIcon />
        </button>
      </div>
      <ErrorMessage error={error} context={t.failed} />
      {loading && details.length === 0 ? (
        <p className="train-hint" role="status">
          {t.loading}
        </p>
      ) : (
        <>
          <div className="train-charts">
            <CompareChart metric="accuracy" details={details} series={series} />
            <CompareChart metric="loss" details={details} series={series} />
          </div>
          <CompareTable details={details} />
        </>
      )}
    </section>
  );
}

function CompareChart({
  metric,
  details,
  series,
}: {
  metric: Metric;
  details: RunDetail[];
  series: ChartSeries[];
}) {
  const t = useT().training;
  const data = useMemo(
    () =>
      compareChartData(
        details.map((d) => d.epochs),
        metric,
      ),
    [details, metric],
  );
  const title = metric === 'loss' ? t.compare.valLoss : t.compare.valAccuracy;
  return (
    <figure className="train-chart" data-testid={`compare-${metric}`}>
      <figcaption className="train-card-title">{title}</figcaption>
      <LineChart
        data={data}
        series={series}
        yFormat={metric === 'loss' ? 'number' : 'percent'}
        xLabel={t.dashboard.xAxis}
        xRange={[1, Math.max(2, data[0].length)]}
        summary={t.compare.chartSummary(title, details.length)}
      />
    </figure>
  );
}

/** Results (rows) of each run (columns). */
function CompareTable({ details }: { details: RunDetail[] }) {
  const messages = useT();
  const t = messages.training.compare;
  const f = useTrainingFormat();
  const best = Math.max(...details.map((d) => d.bestValAccuracy ?? -1));
  const rows: [string, (d: RunDetail) => ReactNode][] = [
    [
      t.status,
      (d) => <span className={`status-pill ${d.status}`}>{messages.training.status[d.status]}</span>,
    ],
    [
      t.bestVal,
      (d) => (
        <strong
          className={d.bestValAccuracy !== null && d.bestValAccuracy === best ? 'compare-best' : undefined}
        >
          {f.percent(d.bestValAccuracy)}
        </strong>
      ),
    ],
    [t.finalVal, (d) => f.percent(d.finalValAccuracy)],
    [t.finalLoss, (d) => f.loss(d.epochs.at(-1)?.valLoss)],
    [t.bestEpoch, (d) => d.bestEpoch ?? '—'],
    [t.epochs, (d) => messages.training.runs.epochsValue(d.epochsDone, d.epochsPlanned)],
    [t.speed, (d) => f.int(d.imagesPerSecond)],
    [t.duration, (d) => f.duration(d.epochs.reduce((s, e) => s + e.seconds, 0))],
    [
      t.model,
      (d) =>
        d.preset === 'custom' ? messages.training.runs.custom : messages.network.presets[d.preset].title,
    ],
    [t.params, (d) => f.int(d.description.totalParams)],
    [t.optimizer, (d) => messages.training.settings.optimizers[d.settings.optimizer]],
    [t.learningRate, (d) => f.rate(d.settings.learningRate)],
    [t.batchSize, (d) => f.int(d.settings.batchSize)],
    [
      t.augmentation,
      (d) => {
        const a = d.settings.augmentation;
        return a.flip || a.shift > 0 || a.brightness > 0 || a.contrast > 0
          ? t.augmentationOn
          : t.augmentationOff;
      },
    ],
    [t.seed, (d) => d.settings.seed],
    [t.classes, (d) => f.int(d.dataset.classNames.length)],
  ];
  return (
    <div className="train-table-scroll">
      <table className="train-table compare-table" aria-label={t.metricsLabel} data-testid="compare-table">
        <thead>
          <tr>
            <th scope="col">{t.metric}</th>
            {details.map((d, i) => (
              <th scope="col" key={d.id}>
                <span className="compare-swatch" data-series={i % PALETTE.length} aria-hidden="true" />
                {d.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, cell]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {details.map((d) => (
                <td key={d.id}>{cell(d)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
