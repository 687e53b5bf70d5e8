import { useEffect, useState } from 'react';
import { call } from '../../bridge/desktop';
import { useProjectEventCount } from '../../bridge/use-project-event';

/** What the label panel needs for the "misclassified" filter: null while the project has no model. */
export interface MisclassifiedInfo {
  /** Labeled images the model predicts differently; undefined while unknown. */
  count: number | undefined;
}

/**
 * Whether the project has a model (`runs:list` has an isModel run) and, if so, how many labeled images it
 * predicts differently (one `dataset:listImages` of a single item: its total). Follows `training:status` (a new
 * model) and `version` (labels changed).
 */
export function useMisclassified(projectId: string, version: number): MisclassifiedInfo | null {
  const [info, setInfo] = useState<MisclassifiedInfo | null>(null);
  const runsVersion = useProjectEventCount('training:status', projectId);
  useEffect(() => {
    let live = true;
    void (async () => {
      const runs = await call((api) => api.runs.list({ projectId }));
      if (!live) return;
      if (!runs.ok || !runs.value.some((r) => r.isModel)) {
        setInfo(null);
        return;
      }
      const page = await call((api) =>
        api.dataset.listImages({ projectId, filter: { kind: 'misclassified' }, limit: 1 }),
      );
      if (live) setInfo({ count: page.ok ? page.value.total : undefined });
    })();
    return () => {
      live = false;
    };
  }, [projectId, version, runsVersion]);
  return info;
}
