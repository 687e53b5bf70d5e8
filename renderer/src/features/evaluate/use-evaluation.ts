import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  EvalSplit,
  EvaluationReport,
  ImagePrediction,
  RunSummary,
} from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';
import { useLocale } from '../../i18n/i18n';

/** Calls `listener` when a run of this project changes (started, finished, renamed, deleted, picked as the model). */
export function useRunsChanged(projectId: string, listener: () => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(
    () =>
      desktop().on('training:status', (event) => {
        if (event.projectId === projectId) latest.current();
      }),
    [projectId],
  );
}

/** The project's runs (`runs:list`), kept current through `training:status`. */
export function useRuns(projectId: string): {
  runs: RunSummary[];
  loaded: boolean;
  error: AppError | null;
  reload(): void;
} {
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const seq = useRef(0);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    void call((api) => api.runs.list({ projectId })).then((result) => {
      if (mine !== seq.current) return;
      if (result.ok) setRuns(result.value);
      setError(result.ok ? null : result.error);
      setLoaded(true);
    });
  }, [projectId]);
  useEffect(reload, [reload]);
  useRunsChanged(projectId, reload);
  return { runs, loaded, error, reload };
}

/** The state of one backend request that follows its inputs; stale answers are dropped. */
interface Fetched<T> {
  value: T | null;
  /** The inputs `value` belongs to (JSON), so a view can tell an old answer from a current one. */
  key: string | null;
  loading: boolean;
  error: AppError | null;
}

function useFetched<T>(
  key: string | null,
  request: (() => Promise<{ ok: true; value: T } | { ok: false; error: AppError }>) | null,
  version: number,
): Fetched<T> {
  const [state, setState] = useState<Fetched<T>>({ value: null, key: null, loading: false, error: null });
  const latest = useRef(request);
  useEffect(() => {
    latest.current = request;
  });
  useEffect(() => {
    const run = latest.current;
    if (key === null || !run) return;
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    void run().then((result) => {
      if (!live) return;
      setState(
        result.ok
          ? { value: result.value, key, loading: false, error: null }
          : { value: null, key, loading: false, error: result.error },
      );
    });
    return () => {
      live = false;
    };
  }, [key, version]);
  return state;
}

/** `evaluation:evaluate` for a run and split; `version` changes re-fetch it (labels changed). */
export function useEvaluation(
  projectId: string,
  runId: string | null,
  split: EvalSplit,
  version: number,
): Fetched<EvaluationReport> {
  const key = runId ? JSON.stringify([projectId, runId, split]) : null;
  return useFetched(
    key,
    runId ? () => call((api) => api.evaluation.evaluate({ projectId, runId, split })) : null,
    version,
  );
}

/** What `evaluation:predictions` is asked for (besides the project and run). */
export interface PredictionQuery {
  split: EvalSplit;
  trueLabel?: string;
  predicted?: string;
  order: 'loss' | 'confidence';
  onlyWrong: boolean;
  limit: number;
}

/** `evaluation:predictions` for a run; null query = nothing to fetch. */
export function usePredictions(
  projectId: string,
  runId: string | null,
  query: PredictionQuery | null,
  version: number,
): Fetched<ImagePrediction[]> {
  const key = runId && query ? JSON.stringify([projectId, runId, query]) : null;
  return useFetched(
    key,
    runId && query ? () => call((api) => api.evaluation.predictions({ projectId, runId, ...query })) : null,
    version,
  );
}

/** What a thumbnail needs of an image (an ImagePrediction carries it). */
export interface ImageInfo {
  sha256: string;
  fileName: string;
}

/** Number formats of the current language: percentages and short decimals. */
export function useNumberFormats(): { percent(x: number): string; decimal(x: number): string } {
  const { locale } = useLocale();
  return useMemo(() => {
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
    const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 3, minimumFractionDigits: 3 });
    return {
      percent: (x: number) => (Number.isFinite(x) ? percent.format(x) : '–'),
      decimal: (x: number) => (Number.isFinite(x) ? decimal.format(x) : '–'),
    };
  }, [locale]);
}
