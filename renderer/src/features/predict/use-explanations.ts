import { useCallback, useRef, useState } from 'react';
import type { ImageExplanation } from '../../../../app/domain/prediction';
import type { AppError } from '../../../../app/ipc/result';
import { call } from '../../bridge/desktop';
import { withFields, type PredictWith } from './model-choice';

/** One image's Grad-CAM request: the last answer (kept while another class is asked for) and what is pending. */
export interface Explanation {
  data: ImageExplanation | null;
  /** The class asked for last (null: the top class). */
  asked: string | null;
  loading: boolean;
  error: AppError | null;
}

/**
 * `prediction:explain` per image file: the thumbnail, top classes and heat map of the top class, or of the class
 * a chip asks for. A stale answer (an older request for the same file) is dropped.
 */
export function useExplanations(projectId: string, choice: PredictWith | null, topK: number) {
  const [byFile, setByFile] = useState<ReadonlyMap<string, Explanation>>(new Map());
  const seq = useRef(new Map<string, number>());

  const update = (file: string, change: (e: Explanation) => Explanation) =>
    setByFile((m) => {
      const next = new Map(m);
      next.set(file, change(m.get(file) ?? { data: null, asked: null, loading: false, error: null }));
      return next;
    });

  const explain = useCallback(
    (file: string, label?: string) => {
      const mine = (seq.current.get(file) ?? 0) + 1;
      seq.current.set(file, mine);
      update(file, (e) => ({ ...e, asked: label ?? null, loading: true, error: null }));
      void call((api) =>
        api.prediction.explain({
          projectId,
          file,
          topK,
          ...withFields(choice),
          ...(label ? { label } : {}),
        }),
      ).then((result) => {
        if (seq.current.get(file) !== mine) return;
        update(file, (e) =>
          result.ok
            ? { ...e, data: result.value, loading: false, error: null }
            : { ...e, loading: false, error: result.error },
        );
      });
    },
    [projectId, choice, topK],
  );

  const reset = useCallback(() => {
    seq.current.clear();
    setByFile(new Map());
  }, []);

  return { byFile, explain, reset };
}
