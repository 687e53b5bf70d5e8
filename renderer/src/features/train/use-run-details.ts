import { useEffect, useState } from 'react';
import type { RunDetail } from '../../../../app/domain/training';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';

/**
 * The details (settings, spec, epochs) of some runs, fetched with `runs:show` and fetched again when `version`
 * changes (the run list changed: an epoch ended, a run was renamed). Answers them in the order of `runIds`.
 */
export function useRunDetails(
  projectId: string,
  runIds: readonly string[],
  version: number,
): { details: RunDetail[]; loading: boolean; error: AppError | null } {
  const key = runIds.join(',');
  const [result, setResult] = useState<{ key: string; details: RunDetail[]; error: AppError | null }>({
    key: '',
    details: [],
    error: null,
  });
  useEffect(() => {
    if (!key) return;
    let live = true;
    const ids = key.split(',');
    void Promise.all(ids.map((runId) => call((api) => api.runs.show({ projectId, runId })))).then(
      (answers) => {
        if (!live) return;
        const failed = answers.find((r) => !r.ok);
        setResult({
          key,
          details: answers.flatMap((r) => (r.ok ? [r.value] : [])),
          error: failed && !failed.ok ? failed.error : null,
        });
      },
    );
    return () => {
      live = false;
    };
  }, [projectId, key, version]);
  if (!key) return { details: [], loading: false, error: null };
  // Details of another selection are not shown while the new ones load.
  const current = result.key === key;
  return { details: current ? result.details : [], loading: !current, error: current ? result.error : null };
}
