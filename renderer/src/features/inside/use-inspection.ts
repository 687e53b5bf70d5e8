import { useEffect, useRef, useState } from 'react';
import type { InspectModel, InspectSource, Inspection } from '../../../../app/domain/inspect';
import type { NetworkDescription } from '../../../../app/domain/model-description';
import type { RunDetail } from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';

/** How often the live view asks again (the running run's newest checkpoint). */
export const LIVE_REFRESH_MS = 3000;

/** What the view looks at: an image of the project or an image file (dropped or pasted). */
export type InsideSource =
  | { kind: 'image'; imageId: number; name: string }
  | { kind: 'file'; file: string; name: string; pasted?: boolean };

export function toInspectSource(source: InsideSource): InspectSource {
  return source.kind === 'image' ? { imageId: source.imageId } : { file: source.file };
}

export function sourceKey(source: InsideSource | null): string {
  return !source ? '' : source.kind === 'image' ? `image:${source.imageId}` : `file:${source.file}`;
}

export interface InspectionState {
  value: Inspection | null;
  /** The request the value answers (a changed request keeps the old value on screen, marked loading). */
  key: string;
  loading: boolean;
  error: AppError | null;
}

/**
 * `inspect:image` for a model, an image and a Grad-CAM class (null: the predicted one); asked again every
 * LIVE_REFRESH_MS while `model.live`. Stale answers are dropped; the last good one stays while the next loads.
 */
export function useInspection(
  projectId: string,
  model: InspectModel | null,
  source: InsideSource | null,
  label: string | null,
): InspectionState {
  const key = model && source ? JSON.stringify([model, sourceKey(source), label]) : '';
  const [state, setState] = useState<InspectionState>({ value: null, key: '', loading: false, error: null });
  const seq = useRef(0);
  const args = useRef({ model, source, label });
  useEffect(() => {
    args.current = { model, source, label };
  });
  useEffect(() => {
    const { model: m, source: s, label: l } = args.current;
    if (!m || !s) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const ask = () => {
      const mine = ++seq.current;
      setState((prev) => ({ ...prev, loading: true }));
      void call((api) =>
        api.inspect.image({ projectId, ...m, source: toInspectSource(s), ...(l ? { label: l } : {}) }),
      ).then((r) => {
        if (!live || mine !== seq.current) return;
        setState((prev) =>
          r.ok
            ? { value: r.value, key, loading: false, error: null }
            : { value: prev.value, key: prev.key, loading: false, error: r.error },
        );
        if (m.live) timer = setTimeout(ask, LIVE_REFRESH_MS);
      });
    };
    ask();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [projectId, key]);
  return state;
}

/** A run's recorded detail and its layers' geometry (`runs:show`, then `model:describe` of its model choice). */
export interface RunNetwork {
  runId: string;
  detail: RunDetail;
  network: NetworkDescription;
}

export function useRunNetwork(projectId: string, runId: string | null): RunNetwork | null {
  const [state, setState] = useState<RunNetwork | null>(null);
  useEffect(() => {
    if (!runId) return;
    let live = true;
    void (async () => {
      const detail = await call((api) => api.runs.show({ projectId, runId }));
      if (!detail.ok || !live) return;
      const network = await call((api) =>
        api.model.describe({ projectId, model: detail.value.settings.model }),
      );
      if (network.ok && live) setState({ runId, detail: detail.value, network: network.value });
    })();
    return () => {
      live = false;
    };
  }, [projectId, runId]);
  return state && state.runId === runId ? state : null;
}
