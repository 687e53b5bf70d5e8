import { InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import type { LayerSpec } from '../../app/domain/model-spec';
import { MODEL_PRESETS, type ModelPresetName } from '../../app/domain/model-description';
import type { ColorMode } from '../../app/domain/project';
import { PROJECT_LIMITS } from '../../app/domain/project';
import { EVAL_SPLITS, OPTIMIZERS, type EvalSplit, type OptimizerName } from '../../app/domain/training';
import { layerSchema } from '../../app/ipc/channels/training';
import { AppFailure } from '../../app/ipc/result';

/** Parses `--size PX`: the square network input, within the project limits. */
export function parseSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < PROJECT_LIMITS.minInputSize || n > PROJECT_LIMITS.maxInputSize) {
    throw new InvalidArgumentError(
      `must be a whole number of pixels from ${PROJECT_LIMITS.minInputSize} to ${PROJECT_LIMITS.maxInputSize}`,
    );
  }
  return n;
}

/** Parses `--color gray|rgb`. */
export function parseColor(value: string): ColorMode {
  if (value !== 'gray' && value !== 'rgb') throw new InvalidArgumentError('must be gray or rgb');
  return value;
}

/** Parses `--preset NAME`. */
export function parsePreset(value: string): ModelPresetName {
  if (!(MODEL_PRESETS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${MODEL_PRESETS.join(', ')}`);
  }
  return value as ModelPresetName;
}

/** A parser for a whole number from `min` to `max` (decimal digits only: no "1e3", "0x10" or ""). */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

/** Parses `--lr X`: a learning rate above 0 and at most 10 (as the training settings allow). */
export function parseLearningRate(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 10) {
    throw new InvalidArgumentError('must be a number above 0 and at most 10, e.g. 0.001');
  }
  return n;
}

/** Parses `--optimizer adam|adamw|sgd`. */
export function parseOptimizer(value: string): OptimizerName {
  if (!(OPTIMIZERS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${OPTIMIZERS.join(', ')}`);
  }
  return value as OptimizerName;
}

/** Parses `--split`: a split to evaluate on. */
export function parseEvalSplit(value: string): EvalSplit {
  if (!(EVAL_SPLITS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${EVAL_SPLITS.join(', ')}`);
  }
  return value as EvalSplit;
}

/** Parses a run or model name: 1 to 100 characters after trimming. */
export function parseRunName(value: string): string {
  const name = value.trim();
  if (name.length < 1 || name.length > 100) throw new InvalidArgumentError('must be 1 to 100 characters');
  return name;
}

/**
 * Reads `--spec FILE`: the layers of a custom model, without the final classifier (the project's classes decide
 * it). The file holds `{ "layers": [...] }` (no classifier), a bare layer array, a full ModelSpec
 * (`{ input, layers, numClasses }`, whose final dense classifier is dropped) or what `model describe --json`
 * prints (its `spec`). Fails with `invalid-payload` naming the file and the problem.
 */
export function readSpecFile(file: string): { layers: LayerSpec[]; input?: unknown } {
  const fail = (why: string): never => {
    throw new AppFailure('invalid-payload', `--spec ${file}: ${why}`, { code: 'bad-spec-file', file });
  };
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return fail(`cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  const obj = (v: unknown): Record<string, unknown> | null =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  let spec = Array.isArray(doc) ? { layers: doc } : obj(doc);
  if (spec && !Array.isArray(spec.layers) && obj(spec.spec)) spec = obj(spec.spec);
  if (!spec || !Array.isArray(spec.layers)) return fail('expected { "layers": [...] } or a model spec');
  let raw: unknown[] = spec.layers;
  if (spec.numClasses !== undefined) {
    const last = obj(raw.at(-1));
    if (!last || last.type !== 'dense') {
      fail('a full model spec must end with the dense classifier layer (it is replaced for the project)');
    }
    raw = raw.slice(0, -1);
  }
  if (raw.length === 0) fail('no layers before the classifier');
  const layers = raw.map((layer, index) => {
    const parsed = layerSchema.safeParse(layer);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length ? ` (${issue.path.join('.')})` : '';
      return fail(`layer ${index + 1}${where}: ${issue.message}`);
    }
    return parsed.data as LayerSpec;
  });
  return spec.input === undefined ? { layers } : { layers, input: spec.input };
}
