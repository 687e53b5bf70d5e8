import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  ModelExportFormat,
  ModelExportProgress,
  ModelExportResult,
} from '../../../../app/domain/model-export';
import type { AppError } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';

export type ExportStage = ModelExportProgress['stage'];

/** One export at a time: its stage while it runs, then its result or its error, and how long it took. */
export interface ModelExportState {
  running: boolean;
  stage: ExportStage | null;
  result: ModelExportResult | null;
  error: AppError | null;
  seconds: number | null;
  start(request: { runId: string | undefined; format: ModelExportFormat; dir: string }): void;
}

/** Runs `export:run` for the project and follows its `export:progress` events. */
export function useModelExport(projectId: string): ModelExportState {
  const [running, setRunning] = useState(false);
  const [stage, setStage] = useState<ExportStage | null>(null);
  const [result, setResult] = useState<ModelExportResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [seconds, setSeconds] = useState<number | null>(null);
  const active = useRef(false);

  useEffect(
    () =>
      desktop().on('export:progress', (p) => {
        if (p.projectId === projectId && active.current) setStage(p.stage);
      }),
    [projectId],
  );

  const start = useCallback<ModelExportState['start']>(
    ({ runId, format, dir }) => {
      if (active.current) return;
      active.current = true;
      setRunning(true);
      setStage(null);
      setResult(null);
      setError(null);
      setSeconds(null);
      const began = performance.now();
      void call((api) =>
        api.export.run({ projectId, format, dir, ...(runId !== undefined ? { runId } : {}) }),
      ).then((r) => {
        active.current = false;
        setRunning(false);
        setSeconds((performance.now() - began) / 1000);
        if (r.ok) setResult(r.value);
        else {
          setStage(null);
          setError(r.error);
        }
      });
    },
    [projectId],
  );

  return { running, stage, result, error, seconds, start };
}
