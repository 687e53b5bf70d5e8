/**
 * What a training package trains: the network, the settings and the dataset snapshot, resolved from the source the
 * user chose (the current settings, a run, a preset or a spec). The snapshot is exactly what a run started now
 * would train on (or, for a run, what that run trained on).
 */
import { z } from 'zod';
import type { ModelPresetName } from '../../../app/domain/model-description';
import type { InputSpec, LayerSpec, ModelSpec } from '../../../app/domain/model-spec';
import type { TrainingSettings } from '../../../app/domain/training';
import type { TrainingPackageFile, TrainingPackageSource } from '../../../app/domain/training-package';
import { layerSchema } from '../../../app/ipc/channels/training';
import { AppFailure } from '../../../app/ipc/result';
import { planModel } from '../../../native-workers/cnn/plan';
import { SpecError } from '../../../native-workers/cnn/spec-error';
import type { Db } from '../../db/open-database';
import { takeSnapshot, type DatasetSnapshot } from '../training/dataset-snapshot';
import type { RunRepository } from '../training/run-repository';
import { presetOf, presetSettings, specFor } from '../training/settings';

const SPLITS = ['train', 'val', 'test'] as const;

export interface ResolvedPackageSource {
  source: TrainingPackageFile['source'];
  modelName: ModelPresetName | 'custom';
  spec: ModelSpec;
  settings: TrainingSettings;
  classNames: string[];
  /** Images in snapshot order (image id), with their class index and split. */
  images: DatasetSnapshot['images'];
  /** Labels left out of the plan (no training images); empty for a run. */
  leftOutLabels: string[];
}

export interface SourceContext {
  db: Db;
  repo: RunRepository;
  input: InputSpec;
  /** The settings the Train view shows now (TrainingApi.defaults). */
  currentSettings(): TrainingSettings;
  /** A run's id from its id or name (RunsApi.resolve). */
  resolveRun(idOrName: string): string;
}

/** A spec whose input or class count is not the project's. */
function specMismatch(message: string): AppFailure {
  return new AppFailure('invalid-payload', message, { code: 'spec-mismatch' });
}

/** A spec the CNN core cannot build. */
function invalidModel(message: string): AppFailure {
  return new AppFailure('invalid-payload', message, { code: 'invalid-model' });
}

const fullSpecSchema = z
  .object({
    input: z
      .object({ height: z.number().int(), width: z.number().int(), channels: z.number().int() })
      .strict(),
    layers: z.array(layerSchema).min(1).max(65),
    numClasses: z.number().int(),
    init: z.enum(['he', 'fan-in-uniform']).optional(),
  })
  .strict();
const layersOnlySchema = z.object({ layers: z.array(layerSchema).min(1).max(64) }).strict();

/** Checks a spec file's contents against the project and returns the spec to train and the settings' model. */
export function specFromFile(
  raw: unknown,
  input: InputSpec,
  numClasses: number,
): { spec: ModelSpec; layers: LayerSpec[] } {
  const isFull = typeof raw === 'object' && raw !== null && 'numClasses' in raw;
  const parsed = (isFull ? fullSpecSchema : layersOnlySchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    throw invalidModel(`The spec is not a model spec or { "layers": [...] }${where}: ${issue.message}.`);
  }
  let spec: ModelSpec;
  if ('numClasses' in parsed.data) {
    const full = parsed.data as ModelSpec;
    const i = full.input;
    if (i.height !== input.height || i.width !== input.width || i.channels !== input.channels)
      throw specMismatch(
        `The spec's input is ${i.height}×${i.width}×${i.channels}; the project's is ` +
          `${input.height}×${input.width}×${input.channels}.`,
      );
    if (full.numClasses !== numClasses)
      throw specMismatch(
        `The spec has ${full.numClasses} classes; the project trains ${numClasses} (the labels with training images).`,
      );
    spec = full;
  } else {
    spec = specFor({ kind: 'custom', layers: parsed.data.layers as LayerSpec[] }, input, numClasses);
  }
  try {
    planModel(spec);
  } catch (error) {
    if (error instanceof SpecError) throw invalidModel(`The spec is not valid: ${error.message}`);
    throw error;
  }
  // the settings' model: the layers before the classifier, as the Train view keeps a custom model
  const last = spec.layers.at(-1);
  const layers = last?.type === 'dense' && last.units === numClasses ? spec.layers.slice(0, -1) : spec.layers;
  return { spec, layers };
}

/** Resolves the source into the network, settings, classes and images a package holds. */
export function resolvePackageSource(
  ctx: SourceContext,
  source: TrainingPackageSource,
): ResolvedPackageSource {
  if (source.kind === 'run') {
    const run = ctx.repo.get(ctx.resolveRun(source.runId));
    const triples = ctx.repo.snapshotTriples(run.id);
    const images: DatasetSnapshot['images'] = [];
    for (let i = 0; i < triples.length; i += 3)
      images.push({ imageId: triples[i], classIndex: triples[i + 1], split: SPLITS[triples[i + 2]] });
    // the package trains from scratch: starting weights stay in the app
    const { initFrom: _initFrom, ...settings } = run.settings;
    return {
      source: { kind: 'run', runId: run.id, runName: run.name },
      modelName: run.preset,
      spec: run.spec,
      settings,
      classNames: run.classNames,
      images,
      leftOutLabels: run.leftOutLabels,
    };
  }
  const snapshot = takeSnapshot(ctx.db);
  const numClasses = snapshot.classNames.length;
  const planned = {
    classNames: snapshot.classNames,
    images: snapshot.images,
    leftOutLabels: snapshot.leftOutLabels,
  };
  if (source.kind === 'preset') {
    // the preset's warm-up is given in steps; the training images convert it into the settings' epochs
    const trainImages = snapshot.images.filter((i) => i.split === 'train').length;
    const settings = presetSettings(source.preset, 1, trainImages);
    return {
      source: { kind: 'preset', preset: source.preset },
      modelName: source.preset,
      spec: checked(specFor(settings.model, ctx.input, numClasses)),
      settings,
      ...planned,
    };
  }
  const { initFrom: _initFrom, ...current } = ctx.currentSettings();
  if (source.kind === 'spec') {
    const { spec, layers } = specFromFile(source.spec, ctx.input, numClasses);
    return {
      source: { kind: 'spec' },
      modelName: 'custom',
      spec,
      settings: { ...current, model: { kind: 'custom', layers } },
      ...planned,
    };
  }
  return {
    source: { kind: 'settings' },
    modelName: presetOf(current.model),
    spec: checked(specFor(current.model, ctx.input, numClasses)),
    settings: current,
    ...planned,
  };
}

function checked(spec: ModelSpec): ModelSpec {
  try {
    planModel(spec);
  } catch (error) {
    if (error instanceof SpecError) throw invalidModel(error.message);
    throw error;
  }
  return spec;
}
