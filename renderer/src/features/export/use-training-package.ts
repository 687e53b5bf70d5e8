import { useCallback, useEffect, useRef, useState } from 'react';
import type { InvokeInput } from '../../../../app/ipc/contract';
import type { TrainingPackageProgress, TrainingPackageResult } from '../../../../app/domain/training-package';
import type { AppError } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';

export type TrainingPackageSourceChoice = InvokeInput<'trainingPackage:export'>['source'];

/** One package export at a time: its progress while it runs, then its result or its error. */
export interface TrainingPackageState {
  running: boolean;
  progress: Pick<TrainingPackageProgress, 'stage' | 'done' | 'total'> | null;
  result: TrainingPackageResult | null;
  error: AppError | null;
  start(request: { source: TrainingPackageSourceChoice; dir: string }): void;
}

/** Runs `trainingPackage:export` for the project and follows its `trainingPackage:progress` events. */
export function useTrainingPackage(projectId: string): TrainingPackageState {
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<TrainingPackageState['progress']>(null);
  const [result, setResult] = useState<TrainingPackageResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const active = useRef(false);

  useEffect(
    () =>
      desktop().on('trainingPackage:progress', (p) => {
        if (p.projectId === projectId && active.current)
          setProgress({ stage: p.stage, done: p.done, total: p.total });
      }),
    [projectId],
  );

  const start = useCallback<TrainingPackageState['start']>(
    ({ source, dir }) => {
      if (active.current) return;
      active.current = true;
      setRunning(true);
      setProgress(null);
      setResult(null);
      setError(null);
      void call((api) => api.trainingPackage.export({ projectId, source, dir })).then((r) => {
        active.current = false;
        setRunning(false);
        if (r.ok) setResult(r.value);
        else {
          setProgress(null);
          setError(r.error);
        }
      });
    },
    [projectId],
  );

  return { running, progress, result, error, start };
}
