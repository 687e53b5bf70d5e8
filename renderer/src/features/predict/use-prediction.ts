import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  PredictionFinished,
  PredictionItem,
  PredictionProgress,
} from '../../../../app/domain/prediction';
import type { AppError } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';
import { withFields, type PredictWith } from './model-choice';

/** One batch of the Predict view: what was asked, what came back so far, and how it ended. */
export interface PredictionBatch {
  batchId: string | null;
  paths: string[];
  /** `performance.now()` time of the drop (or click) that started it, for the drop → bars latency. */
  startedAt: number;
  /** `performance.now()` time of the last progress event (for images/s while it runs). */
  updatedAt: number;
  done: number;
  /** Images found (0 until main has walked the paths). */
  total: number;
  items: PredictionItem[];
  finished: PredictionFinished | null;
  error: AppError | null;
}

export interface PredictionState {
  batch: PredictionBatch | null;
  running: boolean;
  start(paths: string[], at?: number): Promise<void>;
  cancel(): void;
  clear(): void;
}

type BatchEvent = { at: number } & (
  { kind: 'progress'; value: PredictionProgress } | { kind: 'finished'; value: PredictionFinished }
);

function apply(batch: PredictionBatch, event: BatchEvent): PredictionBatch {
  if (event.kind === 'finished') {
    return {
      ...batch,
      finished: event.value,
      total: event.value.total,
      done: event.value.total,
      updatedAt: event.at,
    };
  }
  const p = event.value;
  return {
    ...batch,
    done: Math.max(batch.done, p.done),
    updatedAt: event.at,
    total: p.total,
    items: p.items.length > 0 ? batch.items.concat(p.items) : batch.items,
  };
}

/**
 * Starts prediction batches (`prediction:start`) and follows their `prediction:progress` / `prediction:finished`
 * events. Events may arrive before `prediction:start` answers with the batch id (a small batch is quick), so they
 * are kept until it does. A new batch replaces (and cancels) the previous one.
 */
export function usePrediction(projectId: string, choice: PredictWith | null, topK: number): PredictionState {
  const [batch, setBatch] = useState<PredictionBatch | null>(null);
  const current = useRef<string | null>(null);
  /** Events of batches whose id `prediction:start` has not told us yet. */
  const early = useRef(new Map<string, BatchEvent[]>());
  const starting = useRef(0);
  /** The start time of the newest batch asked for (an older one's answer is ignored). */
  const newest = useRef(0);

  useEffect(() => {
    const api = desktop();
    const route = (batchId: string, event: BatchEvent) => {
      if (batchId === current.current) setBatch((b) => (b && b.batchId === batchId ? apply(b, event) : b));
      else if (starting.current > 0) {
        const list = early.current.get(batchId) ?? [];
        list.push(event);
        early.current.set(batchId, list);
      }
    };
    const offProgress = api.on('prediction:progress', (p) => {
      if (p.projectId !== projectId) return;
      if (p.items.length > 0) performance.mark('predict:items'); // latency breakdown (the e2e test reads it)
      route(p.batchId, { kind: 'progress', value: p, at: performance.now() });
    });
    const offFinished = api.on('prediction:finished', (f) => {
      if (f.projectId === projectId) route(f.batchId, { kind: 'finished', value: f, at: performance.now() });
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [projectId]);

  const start = useCallback(
    async (paths: string[], at?: number) => {
      const previous = current.current;
      if (previous) void call((api) => api.prediction.cancel({ batchId: previous }));
      current.current = null;
      const startedAt = at ?? performance.now();
      newest.current = startedAt;
      setBatch({
        batchId: null,
        paths,
        startedAt,
        updatedAt: startedAt,
        done: 0,
        total: 0,
        items: [],
        finished: null,
        error: null,
      });
      starting.current++;
      performance.mark('predict:start-sent');
      const result = await call((api) =>
        api.prediction.start({ projectId, paths, topK, ...withFields(choice) }),
      );
      starting.current--;
      performance.mark('predict:start-answered');
      const stale = newest.current !== startedAt; // a newer batch replaced this one
      if (!result.ok) {
        if (!stale) setBatch((b) => (b ? { ...b, error: result.error } : b));
        return;
      }
      const { batchId } = result.value;
      const pending = early.current.get(batchId) ?? [];
      early.current.delete(batchId);
      if (starting.current === 0) early.current.clear();
      if (stale) {
        void call((api) => api.prediction.cancel({ batchId }));
        return;
      }
      current.current = batchId;
      setBatch((b) => (b ? pending.reduce(apply, { ...b, batchId }) : b));
    },
    [projectId, choice, topK],
  );

  const cancel = useCallback(() => {
    const batchId = current.current;
    if (batchId) void call((api) => api.prediction.cancel({ batchId }));
  }, []);

  const clear = useCallback(() => {
    cancel();
    current.current = null;
    setBatch(null);
  }, [cancel]);

  const running = !!batch && !batch.finished && !batch.error;
  return { batch, running, start, cancel, clear };
}
