import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImageFilter, LabelInfo } from '../../../../../app/domain/dataset';
import type { SuggestionsStatus } from '../../../../../app/domain/suggestions';
import type { AppError } from '../../../../../app/ipc/result';
import { call, desktop } from '../../../bridge/desktop';
import { useProjectEventCount } from '../../../bridge/use-project-event';
import { countSortedAtOrAbove } from './suggestions-model';

/** The project's suggestions as the page follows them, and what the user can do about them. */
export interface SuggestionsState {
  /** null until the first answer (or while the backend cannot answer). */
  status: SuggestionsStatus | null;
  /** The last failed request (refresh, cancel). */
  error: AppError | null;
  refresh(): Promise<void>;
  cancel(): Promise<void>;
}

/**
 * Reads `suggestions:status` and keeps it current: progress and finished events, dataset changes (accepting,
 * labeling and imports change counts and staleness) and runs (a new model). `onSuggestionsChanged` runs when new
 * suggestions arrive, so the grid shows them.
 */
export function useSuggestions(projectId: string, onSuggestionsChanged: () => void): SuggestionsState {
  const [status, setStatus] = useState<SuggestionsStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const datasetVersion = useProjectEventCount('dataset:changed', projectId);
  const runsVersion = useProjectEventCount('training:status', projectId);
  const changed = useRef(onSuggestionsChanged);
  useEffect(() => {
    changed.current = onSuggestionsChanged;
  });

  useEffect(() => {
    let live = true;
    void call((api) => api.suggestions.status({ projectId })).then((result) => {
      if (live) setStatus(result.ok ? result.value : null);
    });
    return () => {
      live = false;
    };
  }, [projectId, datasetVersion, runsVersion]);

  useEffect(() => {
    const offProgress = desktop().on('suggestions:progress', (p) => {
      if (p.projectId !== projectId) return;
      setStatus((s) => s && { ...s, state: 'running', progress: { done: p.done, total: p.total } });
    });
    const offFinished = desktop().on('suggestions:finished', (next) => {
      if (next.projectId !== projectId) return;
      setStatus(next);
      changed.current();
    });
    return () => {
      offProgress();
      offFinished();
    };
  }, [projectId]);

  const refresh = useCallback(async () => {
    const result = await call((api) => api.suggestions.refresh({ projectId }));
    setError(result.ok ? null : result.error);
    if (result.ok) setStatus(result.value);
  }, [projectId]);

  const cancel = useCallback(async () => {
    const result = await call((api) => api.suggestions.cancel({ projectId }));
    setError(result.ok ? null : result.error);
  }, [projectId]);

  return { status, error, refresh, cancel };
}

/**
 * Unlabeled images suggested as each label (one `dataset:listImages` of a single item per label: its total);
 * reloaded when `version` changes.
 */
export function useSuggestedCounts(
  projectId: string,
  labels: LabelInfo[],
  version: string,
): ReadonlyMap<number, number> {
  const [counts, setCounts] = useState<ReadonlyMap<number, number>>(new Map());
  const labelIds = labels.map((l) => l.id).join(',');
  useEffect(() => {
    let live = true;
    const ids = labelIds ? labelIds.split(',').map(Number) : [];
    void Promise.all(
      ids.map(async (labelId) => {
        const filter: ImageFilter = { kind: 'suggested', labelId };
        const page = await call((api) => api.dataset.listImages({ projectId, filter, limit: 1 }));
        return [labelId, page.ok ? page.value.total : 0] as const;
      }),
    ).then((entries) => live && setCounts(new Map(entries)));
    return () => {
      live = false;
    };
  }, [projectId, labelIds, version]);
  return counts;
}

/** One label's suggestions, and how many of them are at or above the threshold. */
export interface LabelPreview {
  total: number;
  atOrAbove: number;
}

/**
 * How many suggestions of one label are at or above `percent` %: the histogram covers every label, so this
 * searches the label's suggestions by confidence (about log2(n) single-item pages). undefined while counting.
 */
export function useLabelPreview(
  projectId: string,
  labelId: number | null,
  percent: number,
  version: string,
): LabelPreview | undefined {
  const [count, setCount] = useState<{ key: string; value: LabelPreview } | null>(null);
  const key = `${labelId}:${percent}:${version}`;
  useEffect(() => {
    if (labelId === null) return;
    let live = true;
    const filter: ImageFilter = { kind: 'suggested', labelId };
    const page = (offset: number) =>
      call((api) =>
        api.dataset.listImages({ projectId, filter, sort: 'confidence', descending: true, offset, limit: 1 }),
      );
    // A short pause, so dragging the slider does not search at every step.
    const timer = setTimeout(() => {
      void (async () => {
        const first = await page(0);
        if (!first.ok || !live) return;
        const total = first.value.total;
        const atOrAbove = await countSortedAtOrAbove(total, percent / 100, async (i) => {
          const result = i === 0 ? first : await page(i);
          return result.ok ? (result.value.items[0]?.suggestion?.confidence ?? null) : null;
        });
        if (live) setCount({ key, value: { total, atOrAbove } });
      })();
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [projectId, labelId, percent, key]);
  return count?.key === key ? count.value : undefined;
}
