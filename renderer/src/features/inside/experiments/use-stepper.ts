import { useCallback, useEffect, useState } from 'react';

/**
 * Step / Play / Pause over `count` positions: `step` wraps around, Play advances every `intervalMs` until Pause
 * (or the count changes). Used by the stride and pooling illustrations.
 */
export function useStepper(count: number, intervalMs = 180) {
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const go = useCallback(
    (delta: number) => setStep((s) => (count > 0 ? (((s + delta) % count) + count) % count : 0)),
    [count],
  );
  // A new walk (another layer or map) starts from its first position, paused.
  const [walk, setWalk] = useState(count);
  if (walk !== count) {
    setWalk(count);
    setStep(0);
    setPlaying(false);
  }
  useEffect(() => {
    if (!playing || count <= 1) return;
    const timer = window.setInterval(() => go(1), intervalMs);
    return () => window.clearInterval(timer);
  }, [playing, count, intervalMs, go]);
  return {
    step: count > 0 ? Math.min(step, count - 1) : 0,
    playing,
    go,
    setStep,
    toggle: () => setPlaying((p) => !p),
    reset: () => {
      setPlaying(false);
      setStep(0);
    },
  };
}

/** What a stepper exposes to its controls. */
export type Stepper = ReturnType<typeof useStepper>;
