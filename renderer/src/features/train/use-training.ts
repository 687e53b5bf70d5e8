import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  EpochMetrics,
  RunSummary,
  TrainingProgress,
  TrainingSettings,
  TrainingState,
  TrainingStatusEvent,
} from '../../../../app/domain/training';
import type { DesktopApi } from '../../../../app/ipc/contract';
import type { AppError, Result } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';
import { appendPoints, mergeEpochs, progressX, type LivePoint } from './curve-data';
import { FrameBatcher } from './frame-batcher';

/** What this window has seen of one run while it trained: batch samples, finished epochs, the latest progress. */
export interface LiveRun {
  runId: string;
  points: LivePoint[];
  epochs: EpochMetrics[];
  progress: TrainingProgress | null;
}

/** The last status change of this project's runs, for the notice above the controls. */
export type LastStatus = TrainingStatusEvent;

export interface TrainingController {
  /** The project's active run (running, paused or queued), its progress and queue position; null until loaded. */
  state: TrainingState | null;
  /** The run this window watches live (the active one, or the one that just finished). */
  live: LiveRun | null;
  /** Every run of the project, newest first. */
  runs: RunSummary[];
  runsLoaded: boolean;
  /** Bumped whenever runs change (to refetch run details). */
  runsVersion: number;
  lastStatus: LastStatus | null;
  /** A request is on its way (buttons wait for it). */
  busy: boolean;
  /** The last failed action (start, pause, resume, stop). */
  error: AppError | null;
  /** Loading the status or the run list failed. */
  loadError: AppError | null;
  start(settings: TrainingSettings, name?: string): Promise<Result<RunSummary>>;
  pause(): Promise<void>;
  resume(runId: string): Promise<void>;
  stop(): Promise<void>;
  rename(runId: string, name: string): Promise<Result<RunSummary>>;
  remove(runId: string): Promise<Result<{ deleted: true }>>;
  use(runId: string | null): Promise<Result<{ model: RunSummary | null }>>;
}

type Streamed =
  { kind: 'progress'; payload: TrainingProgress } | { kind: 'epoch'; runId: string; metrics: EpochMetrics };

/** Folds a frame's worth of streamed events into the live run (a new run id starts a fresh one). */
function applyStreamed(live: LiveRun | null, items: readonly Streamed[]): LiveRun | null {
  let next = live;
  let points: LivePoint[] = [];
  let epochs: EpochMetrics[] = [];
  const commit = () => {
    if (!next || (points.length === 0 && epochs.length === 0)) return;
    next = {
      ...next,
      points: points.length ? appendPoints(next.points, points) : next.points,
      epochs: epochs.length ? mergeEpochs(next.epochs, epochs) : next.epochs,
    };
    points = [];
    epochs = [];
  };
  for (const item of items) {
    const runId = item.kind === 'progress' ? item.payload.runId : item.runId;
    if (!next || next.runId !== runId) {
      commit();
      next = { runId, points: [], epochs: [], progress: null };
    }
    if (item.kind === 'progress') {
      const p = item.payload;
      points.push({ x: progressX(p), loss: p.loss, accuracy: p.accuracy });
      next = { ...next, progress: p };
    } else {
      epochs.push(item.metrics);
    }
  }
  commit();
  return next;
}

/**
 * The Train section's connection to the training service: loads the status and the run list, listens to the
 * training events of this project (progress and epochs coalesced to one update per animation frame) and offers
 * the run actions. Every action answers a Result; failures also land in `error` for the controls to show.
 */
export function useTraining(projectId: string): TrainingController {
  const [state, setState] = useState<TrainingState | null>(null);
  const [live, setLive] = useState<LiveRun | null>(null);
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [runsLoaded, setRunsLoaded] = useState(false);
  const [runsVersion, setRunsVersion] = useState(0);
  const [lastStatus, setLastStatus] = useState<LastStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const seq = useRef({ status: 0, runs: 0 });

  const loadStatus = useCallback(() => {
    const mine = ++seq.current.status;
    void call((api) => api.training.status({ projectId })).then((r) => {
      if (mine !== seq.current.status) return;
      if (!r.ok) return setLoadError(r.error);
      setLoadError(null);
      setState(r.value);
      const { active, progress } = r.value;
      if (!active) return;
      // Watching a run that started before this page opened: its finished epochs come from the run itself.
      setLive((prev) => {
        if (prev?.runId === active.id) return prev.progress || !progress ? prev : { ...prev, progress };
        return { runId: active.id, points: [], epochs: [], progress };
      });
      void call((api) => api.runs.show({ projectId, runId: active.id })).then((d) => {
        if (!d.ok) return;
        setLive((prev) =>
          prev?.runId === active.id ? { ...prev, epochs: mergeEpochs(d.value.epochs, prev.epochs) } : prev,
        );
      });
    });
  }, [projectId]);

  const loadRuns = useCallback(() => {
    const mine = ++seq.current.runs;
    void call((api) => api.runs.list({ projectId })).then((r) => {
      if (mine !== seq.current.runs) return;
      if (!r.ok) return setLoadError(r.error);
      setRuns(r.value);
      setRunsLoaded(true);
      setRunsVersion((v) => v + 1);
    });
  }, [projectId]);

  useEffect(() => {
    loadStatus();
    loadRuns();
  }, [loadStatus, loadRuns]);

  useEffect(() => {
    const batcher = new FrameBatcher<Streamed>((items) => setLive((prev) => applyStreamed(prev, items)));
    const api = desktop();
    let runsTimer: ReturnType<typeof setTimeout> | null = null;
    // Epoch ends change a run's best accuracy in the list; a status burst (stop + list refresh) needs one reload.
    const reloadRunsSoon = () => {
      runsTimer ??= setTimeout(() => {
        runsTimer = null;
        loadRuns();
      }, 120);
    };
    const offs = [
      api.on('training:progress', (p) => {
        if (p.projectId === projectId) batcher.push({ kind: 'progress', payload: p });
      }),
      api.on('training:epoch', (e) => {
        if (e.projectId !== projectId) return;
        batcher.push({ kind: 'epoch', runId: e.runId, metrics: e.metrics });
        reloadRunsSoon();
      }),
      api.on('training:status', (e) => {
        if (e.projectId !== projectId) return;
        setLastStatus(e);
        loadStatus();
        reloadRunsSoon();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      batcher.dispose();
      if (runsTimer) clearTimeout(runsTimer);
    };
  }, [projectId, loadStatus, loadRuns]);

  /** Runs one request with `busy` set; a failure is kept in `error`. */
  const act = useCallback(
    async <T>(
      request: (api: DesktopApi) => Promise<Result<T>>,
      options: { after?: (value: T) => void; ownError?: boolean } = {},
    ): Promise<Result<T>> => {
      setBusy(true);
      if (!options.ownError) setError(null);
      const r = await call(request);
      setBusy(false);
      if (r.ok) options.after?.(r.value);
      else if (!options.ownError) setError(r.error);
      loadStatus();
      loadRuns();
      return r;
    },
    [loadStatus, loadRuns],
  );

  const activeId = state?.active?.id ?? null;
  return {
    state,
    live,
    runs,
    runsLoaded,
    runsVersion,
    lastStatus,
    busy,
    error,
    loadError,
    start: (settings, name) =>
      act((api) => api.training.start({ projectId, settings, ...(name ? { name } : {}) }), {
        after(run) {
          setLastStatus(null);
          setLive((prev) =>
            prev?.runId === run.id ? prev : { runId: run.id, points: [], epochs: [], progress: null },
          );
          // Listed at once, so the dashboard shows the new run (not the previous one) until the list reloads.
          setRuns((prev) => [run, ...prev.filter((r) => r.id !== run.id)]);
        },
      }),
    async pause() {
      if (activeId) await act((api) => api.training.pause({ projectId, runId: activeId }));
    },
    async resume(runId) {
      await act((api) => api.training.resume({ projectId, runId }), { after: () => setLastStatus(null) });
    },
    async stop() {
      if (activeId) await act((api) => api.training.stop({ projectId, runId: activeId }));
    },
    rename: (runId, name) => act((api) => api.runs.rename({ projectId, runId, name }), { ownError: true }),
    remove: (runId) => act((api) => api.runs.delete({ projectId, runId }), { ownError: true }),
    use: (runId) => act((api) => api.runs.use({ projectId, runId }), { ownError: true }),
  };
}
