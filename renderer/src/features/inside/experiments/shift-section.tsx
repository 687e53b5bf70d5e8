import { useMemo, useState } from 'react';
import type { InspectModel, InspectSource, Inspection } from '../../../../../app/domain/inspect';
import { useLocale } from '../../../i18n/i18n';
import { wordError } from '../../dataset/wording/app-errors';
import type { InsideExperimentsMessages } from '../../../i18n/inside-experiments-en';
import { LineChart, type ChartSeries } from '../../train/line-chart';
import { XpAtlasCanvas } from './atlas-canvas';
import { shapeText } from './layer-input';
import { defaultShift, shiftOffsets, stableRange, type ShiftAxis } from './shift-offsets';
import { useRequest } from './use-request';

/**
 * Translation invariance as an experiment: the image moved −k…k pixels (one inspect:shift call for the whole
 * range, again when the direction or the flip changes), the prediction at the slider's shift, the deepest maps and
 * the probability of the unshifted class against the shift.
 */
export function ShiftSection({
  projectId,
  model,
  source,
  inspection,
  t,
}: {
  projectId: string;
  model: InspectModel;
  source: InspectSource;
  inspection: Inspection;
  t: InsideExperimentsMessages;
}) {
  const s = t.shift;
  const { locale, messages } = useLocale();
  const k = defaultShift(Math.max(inspection.input.tileWidth, inspection.input.tileHeight));
  const [axis, setAxis] = useState<ShiftAxis>('horizontal');
  const [flip, setFlip] = useState(false);
  const [shift, setShift] = useState(0);
  const offsets = useMemo(() => shiftOffsets(k, axis), [k, axis]);
  const key = JSON.stringify([projectId, model, source, offsets, flip, inspection.runId, inspection.epoch]);
  const result = useRequest(key, (api) => api.inspect.shift({ projectId, ...model, source, offsets, flip }));
  const experiment = result.value;
  const percent = useMemo(
    () => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }),
    [locale],
  );
  const point = experiment?.points.find((p) => (axis === 'horizontal' ? p.dx : p.dy) === shift);
  const data = useMemo(() => {
    const points = experiment?.points ?? [];
    const xs = points.map((p) => (axis === 'horizontal' ? p.dx : p.dy));
    return [
      xs,
      points.map((p) => p.probabilityOfOriginal),
      xs.map((x, i) => (x === shift ? points[i].probabilityOfOriginal : null)),
    ] as [number[], (number | null)[], (number | null)[]];
  }, [experiment, axis, shift]);
  const label = experiment?.originalLabel ?? inspection.top[0]?.label ?? '';
  const stable = experiment
    ? stableRange(
        experiment.points.map((p) => ({ shift: axis === 'horizontal' ? p.dx : p.dy, top: p.top[0]?.label })),
        label,
      )
    : null;
  const series: ChartSeries[] = useMemo(
    () => [
      { label: s.chartSeries(label), color: '--xp-chart-line', points: true },
      { label: s.chartNow, color: '--xp-chart-now', width: 0, points: true },
    ],
    [s, label],
  );
  return (
    <section className="xp-section card" aria-labelledby="xp-shift" data-testid="xp-shift">
      <h3 id="xp-shift">{s.title}</h3>
      <p className="xp-explain">{s.explain}</p>
      <div className="xp-pickers">
        <label className="xp-slider">
          {s.amount}{' '}
          <input
            type="range"
            min={-k}
            max={k}
            step={1}
            value={shift}
            onChange={(e) => setShift(Number(e.target.value))}
            aria-valuetext={s.pixels(shift)}
            data-testid="xp-shift-slider"
          />
          <output>{s.pixels(shift)}</output>
        </label>
        <label>
          {s.axis}{' '}
          <select value={axis} onChange={(e) => setAxis(e.target.value as ShiftAxis)}>
            <option value="horizontal">{s.horizontal}</option>
            <option value="vertical">{s.vertical}</option>
          </select>
        </label>
        <label>
          <input type="checkbox" checked={flip} onChange={(e) => setFlip(e.target.checked)} /> {s.flip}
        </label>
        {result.loading && <span className="xp-muted">{t.loading}</span>}
      </div>
      {result.error && (
        <p className="xp-error" role="alert">
          {t.failed} {wordError(messages, result.error)}{' '}
          <button type="button" className="button small" onClick={result.retry}>
            {t.retry}
          </button>
        </p>
      )}
      {experiment && (
        <div className="xp-figure">
          <div className="xp-shift-now">
            <h4>{s.prediction}</h4>
            <ol className="xp-top" data-testid="xp-shift-top">
              {(point?.top ?? []).slice(0, 3).map((c) => (
                <li key={c.label}>
                  <span>{c.label}</span> <span className="xp-num">{percent.format(c.probability)}</span>
                </li>
              ))}
            </ol>
            <p data-testid="xp-shift-probability">
              {point ? s.original(label, percent.format(point.probabilityOfOriginal)) : ''}
            </p>
            {point?.deepest.maps && (
              <figure>
                <XpAtlasCanvas
                  atlas={point.deepest.maps}
                  size={220}
                  label={s.deepest(point.deepest.layerIndex + 1, shapeText(point.deepest.shape))}
                  testId="xp-shift-maps"
                />
                <figcaption>
                  {s.deepest(point.deepest.layerIndex + 1, shapeText(point.deepest.shape))}
                </figcaption>
              </figure>
            )}
          </div>
          <div className="xp-chart" data-testid="xp-shift-chart">
            <p className="xp-stable" data-testid="xp-shift-stable">
              {stable ? s.stable(label, s.pixels(stable[0]), s.pixels(stable[1])) : s.unstable(label)}
            </p>
            <LineChart
              data={data}
              series={series}
              yFormat="percent"
              xLabel={s.chartX}
              summary={s.chartSummary(label)}
              height={220}
            />
          </div>
        </div>
      )}
    </section>
  );
}
