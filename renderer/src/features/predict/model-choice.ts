import { useEffect, useState } from 'react';
import type { PredictionModelInfo } from '../../../../app/domain/prediction';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';

/** What predicts: a run of the project (its id), or a model file (a `.cnnmodel` export). Memoise it: hooks follow its identity. */
export type PredictWith = { runId: string } | { modelFile: string };

/** The request fields for a choice (the backend's runId / modelFile). */
export function withFields(choice: PredictWith | null): { runId?: string; modelFile?: string } {
  if (!choice) return {};
  return 'modelFile' in choice ? { modelFile: choice.modelFile } : { runId: choice.runId };
}

/** A stable key of a choice (for effects and stale answers). */
export function choiceKey(choice: PredictWith | null): string {
  return !choice ? '' : 'modelFile' in choice ? `file:${choice.modelFile}` : `run:${choice.runId}`;
}

/**
 * Loads the chosen model as soon as it is chosen (`prediction:model`), so the first drop does not wait for the
 * inference worker to start, and describes it (a model file's own labels and input size).
 */
export function useModelInfo(
  projectId: string,
  choice: PredictWith | null,
): { info: PredictionModelInfo | null; error: AppError | null; key: string } {
  const key = choiceKey(choice);
  const [state, setState] = useState<{
    key: string;
    info: PredictionModelInfo | null;
    error: AppError | null;
  }>({
    key: '',
    info: null,
    error: null,
  });
  useEffect(() => {
    if (!choice) return;
    let live = true;
    void call((api) => api.prediction.model({ projectId, ...withFields(choice) })).then((r) => {
      if (live) setState({ key, info: r.ok ? r.value : null, error: r.ok ? null : r.error });
    });
    return () => {
      live = false;
    };
  }, [projectId, choice, key]);
  return state.key === key ? state : { key, info: null, error: null };
}

/** The last part of a path, for display. */
export function fileName(file: string): string {
  return file.split(/[\\/]/).pop() || file;
}
