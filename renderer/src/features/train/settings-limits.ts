/**
 * The numeric limits of the training settings and the layer editor's fields, as the form enforces them before a
 * request leaves the page. They mirror the zod schemas of app/ipc/channels/training.ts (main validates again);
 * test/unit/renderer/settings-limits.test.ts checks that both agree, so they cannot drift apart silently.
 */

/** One numeric field: inclusive bounds unless `exclusiveMin`/`exclusiveMax`, whole numbers when `integer`. */
export interface NumberLimit {
  min: number;
  max: number;
  integer: boolean;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
  /** The input's step attribute. */
  step: number | 'any';
}

const int = (min: number, max: number): NumberLimit => ({ min, max, integer: true, step: 1 });
const real = (min: number, max: number, extra: Partial<NumberLimit> = {}): NumberLimit => ({
  min,
  max,
  integer: false,
  step: 'any',
  ...extra,
});

/** The numeric fields of TrainingSettings. */
export const SETTING_LIMITS = {
  epochs: int(1, 1000),
  batchSize: int(1, 1024),
  learningRate: real(0, 10, { exclusiveMin: true }),
  momentum: real(0, 1, { exclusiveMax: true }),
  weightDecay: real(0, 1),
  stepEvery: int(1, 1000),
  stepGamma: real(0, 1, { exclusiveMin: true }),
  warmupEpochs: real(0, 100),
  patience: int(0, 1000),
  seed: int(0, 2 ** 31 - 1),
  workers: int(1, 256),
  shift: int(0, 64),
  brightness: real(0, 1),
  contrast: real(0, 1),
} as const satisfies Record<string, NumberLimit>;

/** The numeric fields of the layer editor. */
export const LAYER_LIMITS = {
  filters: int(1, 1024),
  kernel: int(1, 64),
  stride: int(1, 64),
  padding: int(0, 32),
  poolSize: int(1, 64),
  units: int(1, 65536),
  rate: real(0, 1, { exclusiveMax: true }),
} as const satisfies Record<string, NumberLimit>;

/** The longest run name main accepts. */
export const RUN_NAME_MAX = 100;

/** True when `value` is allowed by `limit`. */
export function withinLimit(value: number, limit: NumberLimit): boolean {
  if (!Number.isFinite(value)) return false;
  if (limit.integer && !Number.isInteger(value)) return false;
  if (limit.exclusiveMin ? value <= limit.min : value < limit.min) return false;
  if (limit.exclusiveMax ? value >= limit.max : value > limit.max) return false;
  return true;
}

/**
 * Parses what the user typed in a number field: a finite number within the limit, or null. Accepts a decimal
 * comma ("0,001") and exponent notation ("1e-3"); rejects empty text.
 */
export function parseNumber(text: string, limit: NumberLimit): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed)) return null;
  const value = Number(trimmed);
  return withinLimit(value, limit) ? value : null;
}
