import { useCallback, useEffect, useRef, useState } from 'react';
import type { DatasetMap, DatasetMapMethod, DatasetMapProgress } from '../../../../../app/domain/dataset-map';
import type { AppError } from '../../../../../app/ipc/result';
import { call, desktop } from '../../../bridge/desktop';
import { useProjectEventCount } from '../../../bridge/use-project-event';

/** Where the map stands: loading it, none yet, no model to make one, computing, shown, or failed. */
export type DatasetMapState =
  | { kind: 'loading' }
  | { kind: 'none' }
  | { kind: 'no-model' }
  | { kind: 'computing'; method: DatasetMapMethod; progress: DatasetMapProgress | null }
  | { kind: 'ready'; map: DatasetMap }
  | { kind: 'error'; error: AppError };

export interface DatasetMapControls {
  state: DatasetMapState;
  compute(method: DatasetMapMethod, force: boolean): Promise<void>;
  cancel(): void;
  /** Reads the map again (after a failure). */
  reload(): void;
}

/** A failure that means "the project has no model yet" (`not-found` with details.code 'no-model'). */
export function isNoModel(error: { code: string; details?: unknown } | null): boolean {
  if (!error) return false;
  const details = error.details as { code?: unknown } | undefined;
  return error.code === 'no-model' || (error.code === 'not-found' && details?.code === 'no-model');
}

const METHODS: DatasetMapMethod[] = ['umap', 'pca'];

/**
 * The project's dataset map: read on mount and whenever `dataVersion` bumps (fresh colours and marks), computed on
 * demand with `datasetMap:progress` / `datasetMap:finished` followed. The map shown is the method computed last
 * (UMAP first when both exist).
 */
export function useDatasetMap(projectId: string, dataVersion: number): DatasetMapControls {
  const [state, setState] = useState<DatasetMapState>({ kind: 'loading' });
  const preferred = useRef<DatasetMapMethod | null>(null);
  const computing = useRef(false);

  const load = useCallback(async () => {
    const order = preferred.current
      ? [preferred.current, ...METHODS.filter((m) => m !== preferred.current)]
      : METHODS;
    for (const method of order) {
      const result = await call((api) => api.datasetMap.get({ projectId, method }));
      if (computing.current) return; // a computation started meanwhile: its events own the state
      if (!result.ok) {
        setState(isNoModel(result.error) ? { kind: 'no-model' } : { kind: 'error', error: result.error });
        return;
      }
      if (result.value.map) {
        preferred.current = method;
        setState({ kind: 'ready', map: result.value.map });
        return;
      }
    }
    setState({ kind: 'none' });
  }, [projectId]);

  useEffect(() => {
    void load();
  }, [load, dataVersion]);

  // Without a model, a run finishing may bring one: look again when runs change.
  const runEvents = useProjectEventCount('training:status', projectId);
  const waitingForModel = state.kind === 'no-model';
  useEffect(() => {
    if (waitingForModel && runEvents > 0) void load();
  }, [load, runEvents, waitingForModel]);

  useEffect(() => {
    const api = desktop();
    const offProgress = api.on('datasetMap:progress', (progress) => {
      if (progress.projectId !== projectId || !computing.current) return;
      setState({ kind: 'computing', method: progress.method, progress });
    });
    const offFinished = api.on('datasetMap:finished', (finished) => {
      if (finished.projectId !== projectId || !computing.current) return;
      computing.current = false;
      if (finished.status === 'failed' && finished.error) {
        const error = { code: finished.error.code, message: finished.error.detail };
        if (isNoModel(error)) setState({ kind: 'no-model' });
        else setState({ kind: 'error', error: { code: 'internal', message: finished.error.detail } });
        return;
      }
      if (finished.status === 'completed') preferred.current = finished.method;
      void load();
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [projectId, load]);

  const compute = useCallback(
    async (method: DatasetMapMethod, force: boolean) => {
      computing.current = true;
      setState({ kind: 'computing', method, progress: null });
      const result = await call((api) => api.datasetMap.compute({ projectId, method, force }));
      if (result.ok) return;
      computing.current = false;
      setState(isNoModel(result.error) ? { kind: 'no-model' } : { kind: 'error', error: result.error });
    },
    [projectId],
  );

  const cancel = useCallback(() => {
    void call((api) => api.datasetMap.cancel({ projectId }));
  }, [projectId]);

  const reload = useCallback(() => {
    setState({ kind: 'loading' });
    void load();
  }, [load]);

  return { state, compute, cancel, reload };
}
