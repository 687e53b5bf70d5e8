import { useCallback, useState } from 'react';
import type { AddToDatasetResult } from '../../../../app/domain/prediction';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';

/** What feedback on one image did, or is doing. */
export type Feedback =
  | { status: 'adding'; label: string }
  | { status: 'done'; result: AddToDatasetResult }
  | { status: 'error'; label: string; error: AppError };

/** Feedback ("right" / "wrong → label") per image file, through `prediction:addToDataset`. */
export function useFeedback(projectId: string) {
  const [byFile, setByFile] = useState<ReadonlyMap<string, Feedback>>(new Map());
  const set = (file: string, value: Feedback) =>
    setByFile((m) => {
      const next = new Map(m);
      next.set(file, value);
      return next;
    });
  const send = useCallback(
    (file: string, label: string) => {
      set(file, { status: 'adding', label });
      void call((api) => api.prediction.addToDataset({ projectId, file, label })).then((result) =>
        set(
          file,
          result.ok
            ? { status: 'done', result: result.value }
            : { status: 'error', label, error: result.error },
        ),
      );
    },
    [projectId],
  );
  const reset = useCallback(() => setByFile(new Map()), []);
  return { byFile, send, reset };
}
