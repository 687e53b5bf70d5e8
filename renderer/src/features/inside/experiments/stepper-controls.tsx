import type { KeyboardEvent } from 'react';
import type { InsideExperimentsMessages } from '../../../i18n/inside-experiments-en';
import type { Stepper } from './use-stepper';

/** Back / Step / Play–Pause / Reset buttons and the "step i of n" line of an illustration. */
export function StepperControls({
  stepper,
  count,
  t,
  testId,
}: {
  stepper: Stepper;
  count: number;
  t: InsideExperimentsMessages;
  testId: string;
}) {
  return (
    <div className="xp-controls" data-testid={testId}>
      <button type="button" className="button small" onClick={() => stepper.go(-1)} disabled={count < 2}>
        {t.back}
      </button>
      <button type="button" className="button small" onClick={() => stepper.go(1)} disabled={count < 2}>
        {t.step}
      </button>
      <button
        type="button"
        className="button small primary"
        onClick={stepper.toggle}
        aria-pressed={stepper.playing}
        disabled={count < 2}
      >
        {stepper.playing ? t.pause : t.play}
      </button>
      <button type="button" className="button small" onClick={stepper.reset}>
        {t.reset}
      </button>
      <span className="xp-step" aria-live="polite">
        {t.stepOf(stepper.step + 1, count)}
      </span>
    </div>
  );
}

/** Arrow keys on an illustration move its window: left/right one step, up/down one output row; space plays. */
export function stepKeys(stepper: Stepper, rowLength: number) {
  return (event: KeyboardEvent) => {
    const delta: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: rowLength,
      ArrowUp: -rowLength,
    };
    if (event.key in delta) {
      event.preventDefault();
      stepper.go(delta[event.key]);
    } else if (event.key === ' ') {
      event.preventDefault();
      stepper.toggle();
    }
  };
}
