import { useEffect, useRef, useState } from 'react';
import type { DesktopApi } from '../../../../../app/ipc/contract';
import type { AppError, Result } from '../../../../../app/ipc/result';
import { call } from '../../../bridge/desktop';

/** The state of one backend request of an experiment. */
export interface RequestState<T> {
  value: T | null;
  loading: boolean;
  error: AppError | null;
}

/**
 * Runs `request` whenever `key` changes (nothing for an empty key); an answer to an older key is dropped and the
 * last good value stays on screen while the next loads. `retry` asks again.
 */
export function useRequest<T>(
  key: string,
  request: (api: DesktopApi) => Promise<Result<T>>,
): RequestState<T> & { retry(): void } {
  const [attempt, setAttempt] = useState(0);
  const asked = key ? `${attempt}:${key}` : '';
  const [state, setState] = useState<{ answered: string; value: T | null; error: AppError | null }>({
    answered: '',
    value: null,
    error: null,
  });
  const latest = useRef(request);
  useEffect(() => {
    latest.current = request;
  });
  useEffect(() => {
    if (!asked) return;
    let live = true;
    void call(latest.current).then((r) => {
      if (!live) return;
      setState((prev) =>
        r.ok
          ? { answered: asked, value: r.value, error: null }
          : { answered: asked, value: prev.value, error: r.error },
      );
    });
    return () => {
      live = false;
    };
  }, [asked]);
  return {
    value: state.value,
    loading: asked !== '' && state.answered !== asked,
    error: state.answered === asked ? state.error : null,
    retry: () => setAttempt((a) => a + 1),
  };
}
