/**
 * Learning-rate schedules: an optional linear warm-up, then constant, step decay or cosine decay. A pure function
 * of the step number, so a resumed run gets exactly the same rates.
 */
import type { TrainingConfig } from '../../../app/domain/model-spec';

/** The schedule-related part of a training config. */
export type ScheduleSettings = Pick<TrainingConfig, 'learningRate' | 'schedule' | 'warmupSteps'>;

/**
 * The learning rate for 0-based `step`. stepsPerEpoch converts the step schedule's epochs; totalSteps is the
 * number of steps (cosine would reach minLr one step after the last).
 */
export function learningRateAt(
  s: ScheduleSettings,
  step: number,
  stepsPerEpoch: number,
  totalSteps: number,
): number {
  const base = s.learningRate;
  const warmup = s.warmupSteps ?? 0;
  // Warm-up avoids large early updates while Adam's moments and batchnorm statistics are still noisy.
  if (step < warmup) return (base * (step + 1)) / warmup;
  const schedule = s.schedule ?? { type: 'constant' };
  switch (schedule.type) {
    case 'constant':
      return base;
    case 'step':
      return base * Math.pow(schedule.gamma, Math.floor(step / stepsPerEpoch / schedule.everyEpochs));
    case 'cosine': {
      const minLr = schedule.minLr ?? 0;
      const span = Math.max(1, totalSteps - warmup);
      const t = Math.min(1, (step - warmup) / span);
      return minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
    default: {
      const never: never = schedule;
      throw new Error(`unknown schedule ${JSON.stringify(never)}`);
    }
  }
}
