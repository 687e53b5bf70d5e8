import { useCallback, useEffect, useRef, useState, type SyntheticEvent } from 'react';
import type { DatasetStats, LabelInfo, UndoState } from '../../../../app/domain/dataset';
import type { AppError } from '../../../../app/ipc/result';
import { call, desktop } from '../../bridge/desktop';
import { useAppInfo } from '../../bridge/use-app-info';

/** The base URL of project media (`app:info`). */
export function useMediaBase(): string | null {
  return useAppInfo()?.mediaBaseUrl.replace(/\/+$/, '') ?? null;
}

/** URL of an image's thumbnail or original. */
export function mediaUrl(
  base: string,
  projectId: string,
  kind: 'thumb' | 'original',
  sha256: string,
): string {
  return `${base}/${projectId}/${kind}/${sha256}`;
}

/** img onLoad: small images shown larger than they are get crisp pixels (class `upscaled`) instead of blur. */
export function markUpscaled(event: SyntheticEvent<HTMLImageElement>): void {
  const img = event.currentTarget;
  img.classList.toggle('upscaled', img.naturalWidth > 0 && img.naturalWidth * 1.5 < img.clientWidth);
}

/** Calls `listener` when main reports that this project's dataset changed (coalesced to one call per 60 ms). */
export function useDatasetChanged(projectId: string, listener: (reason: string) => void): void {
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let reasons: string[] = [];
    const off = desktop().on('dataset:changed', (payload) => {
      if (payload.projectId !== projectId) return;
      reasons.push(payload.reason);
      timer ??= setTimeout(() => {
        timer = null;
        const all = reasons.join(',');
        reasons = [];
        latest.current(all);
      }, 60);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [projectId]);
}

/** Labels, counts and the undo state of a project, reloaded on demand. */
export interface DatasetMeta {
  labels: LabelInfo[];
  stats: DatasetStats | null;
  undo: UndoState | null;
  error: AppError | null;
  reload(): void;
}

export function useDatasetMeta(projectId: string): DatasetMeta {
  const [labels, setLabels] = useState<LabelInfo[]>([]);
  const [stats, setStats] = useState<DatasetStats | null>(null);
  const [undo, setUndo] = useState<UndoState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const seq = useRef(0);
  const reload = useCallback(() => {
    const mine = ++seq.current;
    void Promise.all([
      call((api) => api.labels.list({ projectId })),
      call((api) => api.dataset.stats({ projectId })),
      call((api) => api.dataset.undoState({ projectId })),
    ]).then(([l, s, u]) => {
      if (mine !== seq.current) return; // a newer reload is on its way
      if (l.ok) setLabels(l.value);
      if (s.ok) setStats(s.value);
      if (u.ok) setUndo(u.value);
      setError(!l.ok ? l.error : !s.ok ? s.error : !u.ok ? u.error : null);
    });
  }, [projectId]);
  useEffect(() => {
    reload();
  }, [reload]);
  return { labels, stats, undo, error, reload };
}
