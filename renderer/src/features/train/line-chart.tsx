import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useLocale } from '../../i18n/i18n';
import type { ChartData } from './curve-data';

/** One line of a chart. `color` names a CSS custom property (e.g. '--chart-train'), so themes restyle it. */
export interface ChartSeries {
  label: string;
  color: string;
  width?: number;
  /** Dots at each value (per-epoch figures). */
  points?: boolean;
  dash?: number[];
}

const DARK = '(prefers-color-scheme: dark)';

/** The OS colour scheme, following changes (the chart's canvas colours are read from CSS when it is built). */
function useColorScheme(): 'light' | 'dark' {
  const [dark, setDark] = useState(() => window.matchMedia(DARK).matches);
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const listener = () => setDark(query.matches);
    query.addEventListener('change', listener);
    return () => query.removeEventListener('change', listener);
  }, []);
  return dark ? 'dark' : 'light';
}

/**
 * A uPlot line chart over epochs. The chart is built once per set of series (and theme or language) and then only
 * given new data, so live updates (at most one per animation frame, see FrameBatcher) redraw without rebuilding.
 * The canvas is labelled for screen readers by `summary`; the numbers themselves are in the epoch table.
 */
export function LineChart({
  data,
  series,
  yFormat,
  xLabel,
  xRange,
  summary,
  height = 220,
  testId,
}: {
  data: ChartData;
  series: ChartSeries[];
  yFormat: 'percent' | 'number';
  xLabel: string;
  /** Fixed x bounds (e.g. 0 … planned epochs), widened when the data goes beyond them. */
  xRange?: [number, number];
  summary: string;
  height?: number;
  testId?: string;
}) {
  const { locale } = useLocale();
  const scheme = useColorScheme();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latest = useRef({ data, xRange });
  useEffect(() => {
    latest.current = { data, xRange };
  });
  const seriesKey = JSON.stringify(series);
  const rangeKey = xRange ? `${xRange[0]}:${xRange[1]}` : '';

  const formats = useMemo(() => {
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const number = new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 });
    const epoch = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    const y = (v: number | null) =>
      v === null || v === undefined ? '–' : yFormat === 'percent' ? percent.format(v) : number.format(v);
    return { y, epoch: (v: number | null) => (v === null || v === undefined ? '–' : epoch.format(v)) };
  }, [locale, yFormat]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const css = getComputedStyle(el);
    const color = (name: string) => css.getPropertyValue(name).trim() || '#888';
    const lines = JSON.parse(seriesKey) as ChartSeries[];
    const axis = {
      stroke: color('--chart-axis'),
      grid: { stroke: color('--chart-grid'), width: 1 },
      ticks: { stroke: color('--chart-grid'), width: 1 },
      font: `11px ${css.fontFamily}`,
      labelFont: `11px ${css.fontFamily}`,
    };
    const options: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      pxAlign: false,
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: true, live: false },
      scales: {
        x: {
          time: false,
          range: (_u, min, max) => {
            const fixed = latest.current.xRange;
            const lo = Math.min(fixed?.[0] ?? min, min);
            const hi = Math.max(fixed?.[1] ?? max, max);
            return hi > lo ? [lo, hi] : [lo - 0.5, lo + 0.5];
          },
        },
        y: {
          range: (_u, min, max) => {
            if (yFormat === 'percent')
              return [Math.max(0, Math.floor((Math.min(min, 1) - 0.02) * 10) / 10), 1];
            if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
            return [0, max > 0 ? max * 1.08 : 1];
          },
        },
      },
      axes: [
        {
          ...axis,
          label: xLabel,
          labelSize: 18,
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500],
          values: (_u, ticks) => ticks.map((v) => formats.epoch(v)),
        },
        { ...axis, size: 52, values: (_u, ticks) => ticks.map((v) => formats.y(v)) },
      ],
      series: [
        { label: xLabel, value: (_u, v) => formats.epoch(v) },
        ...lines.map((s): uPlot.Series => ({
          label: s.label,
          stroke: color(s.color),
          width: s.width ?? 2,
          spanGaps: true,
          ...(s.dash ? { dash: s.dash } : {}),
          points: s.points ? { show: true, size: 6, fill: color(s.color) } : { show: false },
          value: (_u, v) => formats.y(v),
        })),
      ],
    };
    const u = new uPlot(options, latest.current.data as uPlot.AlignedData, el);
    chart.current = u;
    const resize = new ResizeObserver(() => {
      const width = Math.max(el.clientWidth, 200);
      if (width !== u.width) u.setSize({ width, height });
    });
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      chart.current = null;
    };
  }, [seriesKey, yFormat, xLabel, height, scheme, formats]);

  useEffect(() => {
    chart.current?.setData(data as uPlot.AlignedData);
  }, [data, rangeKey]);

  return <div className="line-chart" ref={box} role="img" aria-label={summary} data-testid={testId} />;
}
