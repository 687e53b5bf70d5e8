/**
 * The `.cnnmodel` file: one trained model that CNN Studio (or `cnn-studio predict MODEL_FILE`) opens without its
 * project. It is the same container as a run's `final.model` (serialize.ts over bundle.ts), so there is one model
 * file format; a `.cnnmodel` adds a typed, validated `CnnModelMeta` in the header's `meta`:
 *
 *   bytes 0..3    "CNNS" magic
 *   bytes 4..7    container version (uint32 LE, 1)
 *   bytes 8..11   header length H (uint32 LE)
 *   12 .. 12+H    header JSON (UTF-8, space-padded to a multiple of 4):
 *                   { "format": "cnn-studio-model",
 *                     "spec": ModelSpec (input C×H×W, layers, numClasses),
 *                     "meta": CnnModelMeta (kind "cnnmodel", version 1: labels, preprocessing, metrics,
 *                             appVersion, run, createdAt),
 *                     "sections": [["params", P], ["state", S]] }
 *   then          params (P float32 LE: every layer's weights then bias, in layer order, conv OIHW, dense
 *                 [out, in]) and state (S float32 LE: each batchnorm layer's running mean then variance)
 *
 * Floats are stored bit for bit, so a round trip is exact. readModelFile also accepts a run's `final.model`
 * (meta `{runId, classNames, epoch}`), deriving what it does not say from the spec: the preprocessing is the app's
 * one (decode.ts), so only the input size and colour vary.
 */
import type { ModelSpec } from '../../app/domain/model-spec';
import { decodeBundle, encodeBundle } from './bundle';
import { layoutParams } from './params';
import { planModel } from './plan';
import type { ModelFileHeader } from './serialize';

/** File name extension of our own model format. */
export const CNN_MODEL_EXTENSION = '.cnnmodel';
/** Version of CnnModelMeta; readModelFile refuses newer ones. */
export const CNN_MODEL_META_VERSION = 1;

/** What the app does to an image file before the network sees it (main/services/dataset/decode.ts). */
export const PREPROCESSING_DESCRIPTION =
  'EXIF orientation applied; transparency flattened onto white; first frame/page only; resized to ' +
  'size×size with fit "cover" (aspect kept, centre crop, area averaging); 1 gray channel or 3 sRGB channels; ' +
  'uint8 laid out channel-major C×H×W; the network input is value / 255 (float32 in [0, 1]).';

export interface CnnModelPreprocessing {
  /** Side of the square network input in pixels. */
  inputSize: number;
  color: 'gray' | 'rgb';
  channels: 1 | 3;
  layout: 'CHW';
  /** Input value = uint8 pixel / 255. */
  scale: 'divide-255';
  resize: 'cover-centre';
  /** Background transparency is flattened onto. */
  background: 'white';
  description: string;
}

export interface CnnModelMetrics {
  /** Accuracy of the model on each split of its dataset, null when unknown (empty split, not evaluated). */
  accuracy: { train: number | null; val: number | null; test: number | null };
  /** Epochs the run trained. */
  epochs: number;
  /** Epoch whose weights these are (the best one with early stopping), null when unknown. */
  bestEpoch: number | null;
}

/** The typed metadata of a `.cnnmodel` file. */
export interface CnnModelMeta {
  kind: 'cnnmodel';
  version: 1;
  /** Class names in output order (as long as spec.numClasses). */
  labels: string[];
  preprocessing: CnnModelPreprocessing;
  metrics: CnnModelMetrics;
  /** Version of CNN Studio that wrote the file. */
  appVersion: string;
  /** Where it came from (informational). */
  run: { id: string; name: string; project: string } | null;
  /** ISO time of writing. */
  createdAt: string;
}

/** A model file's contents, validated. */
export interface ModelFileContents {
  spec: ModelSpec;
  params: Float32Array;
  state: Float32Array;
  meta: CnnModelMeta;
  /** 'cnnmodel': a `.cnnmodel`; 'run': a run's final.model / best.model (meta derived). */
  source: 'cnnmodel' | 'run';
}

/** A file that is not a (valid) model file; the message says why. */
export class ModelFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelFileError';
  }
}

/** The preprocessing of a model whose input is `spec.input` (the app's, at that size and colour). */
export function preprocessingFor(spec: ModelSpec): CnnModelPreprocessing {
  const channels = spec.input.channels === 3 ? 3 : 1;
  return {
    inputSize: spec.input.height,
    color: channels === 3 ? 'rgb' : 'gray',
    channels,
    layout: 'CHW',
    scale: 'divide-255',
    resize: 'cover-centre',
    background: 'white',
    description: PREPROCESSING_DESCRIPTION,
  };
}

/** Encodes a `.cnnmodel` file (validating the meta against the spec first). */
export function writeModelFile(
  model: { spec: ModelSpec; params: Float32Array; state: Float32Array },
  meta: CnnModelMeta,
): Uint8Array {
  checkWeights(model.spec, model.params.length, model.state.length);
  checkMeta(meta, model.spec);
  const header: ModelFileHeader = { format: 'cnn-studio-model', spec: model.spec, meta: { ...meta } };
  return encodeBundle(header, { params: model.params, state: model.state });
}

/** Reads and validates a `.cnnmodel` (or a run's model file); throws ModelFileError with the reason. */
export function readModelFile(bytes: Uint8Array): ModelFileContents {
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(0, 4)) !== 'CNNS')
    throw new ModelFileError('not a CNN Studio model file (wrong signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length)
    throw new ModelFileError('model file truncated (in its header): the file is incomplete or damaged');
  let decoded: { header: ModelFileHeader; sections: Record<string, Float32Array> };
  try {
    decoded = decodeBundle<ModelFileHeader>(bytes);
  } catch (error) {
    const why = error instanceof SyntaxError ? 'its header is not valid JSON' : (error as Error).message;
    throw new ModelFileError(`damaged model file: ${why}`);
  }
  const { header, sections } = decoded;
  if (header === null || typeof header !== 'object' || header.format !== 'cnn-studio-model')
    throw new ModelFileError(
      `not a model file (a CNN Studio ${String((header as { format?: unknown })?.format ?? 'unknown')} file)`,
    );
  const spec = header.spec;
  if (!spec || typeof spec !== 'object' || !spec.input || !Array.isArray(spec.layers))
    throw new ModelFileError('damaged model file: no model spec');
  const { params, state } = sections;
  if (!params || !state) throw new ModelFileError('damaged model file: the weights are missing');
  checkWeights(spec, params.length, state.length);
  const raw = header.meta;
  if (raw && raw.kind === 'cnnmodel') {
    checkMeta(raw, spec);
    return { spec, params, state, meta: raw as unknown as CnnModelMeta, source: 'cnnmodel' };
  }
  // A run's model file: {runId, classNames, epoch}.
  const classNames = raw?.classNames;
  const labels =
    Array.isArray(classNames) && classNames.length === spec.numClasses && classNames.every(isString)
      ? (classNames as string[])
      : Array.from({ length: spec.numClasses }, (_, i) => `class ${i + 1}`);
  const epoch = typeof raw?.epoch === 'number' ? raw.epoch : 0;
  const meta: CnnModelMeta = {
    kind: 'cnnmodel',
    version: 1,
    labels,
    preprocessing: preprocessingFor(spec),
    metrics: { accuracy: { train: null, val: null, test: null }, epochs: epoch, bestEpoch: null },
    appVersion: 'unknown',
    run: typeof raw?.runId === 'string' ? { id: raw.runId, name: '', project: '' } : null,
    createdAt: '',
  };
  return { spec, params, state, meta, source: 'run' };
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/** The spec must plan, and the weights must be exactly its parameters and state. */
function checkWeights(spec: ModelSpec, paramCount: number, stateCount: number): void {
  let layout;
  try {
    layout = layoutParams(planModel(spec));
  } catch (error) {
    throw new ModelFileError(`damaged model file: invalid model spec (${(error as Error).message})`);
  }
  if (layout.paramCount !== paramCount || layout.stateCount !== stateCount)
    throw new ModelFileError(
      `damaged model file: ${paramCount} parameters and ${stateCount} state values, the spec needs ` +
        `${layout.paramCount} and ${layout.stateCount}`,
    );
}

function fail(why: string): never {
  throw new ModelFileError(`invalid .cnnmodel metadata: ${why}`);
}

const isAccuracy = (v: unknown) => v === null || (typeof v === 'number' && v >= 0 && v <= 1);

function checkMeta(meta: Record<string, unknown> | CnnModelMeta, spec: ModelSpec): void {
  const m = meta as Record<string, unknown>;
  if (m.kind !== 'cnnmodel') fail('kind is not "cnnmodel"');
  if (typeof m.version !== 'number' || !Number.isInteger(m.version)) fail('no version');
  if (m.version > CNN_MODEL_META_VERSION)
    throw new ModelFileError(
      `this .cnnmodel is version ${m.version}, newer than this app reads (${CNN_MODEL_META_VERSION}); update CNN Studio`,
    );
  if (m.version !== CNN_MODEL_META_VERSION) fail(`unknown version ${m.version}`);
  const labels = m.labels;
  if (!Array.isArray(labels) || !labels.every(isString)) fail('labels must be strings');
  if (labels.length !== spec.numClasses)
    fail(`${labels.length} labels for a model with ${spec.numClasses} outputs`);
  const p = m.preprocessing as Partial<CnnModelPreprocessing> | undefined;
  const expected = preprocessingFor(spec);
  if (!p || typeof p !== 'object') fail('no preprocessing');
  if (spec.input.height !== spec.input.width) fail('the input is not square');
  if (p.inputSize !== expected.inputSize || p.channels !== expected.channels || p.color !== expected.color)
    fail(
      `preprocessing (${String(p.inputSize)} px, ${String(p.color)}) does not match the model input ` +
        `(${expected.inputSize} px, ${expected.color})`,
    );
  if (
    p.layout !== 'CHW' ||
    p.scale !== 'divide-255' ||
    p.resize !== 'cover-centre' ||
    p.background !== 'white'
  )
    fail('unknown preprocessing');
  if (typeof p.description !== 'string') fail('no preprocessing description');
  const metrics = m.metrics as Partial<CnnModelMetrics> | undefined;
  const acc = metrics?.accuracy;
  if (
    !metrics ||
    !acc ||
    !isAccuracy(acc.train) ||
    !isAccuracy(acc.val) ||
    !isAccuracy(acc.test) ||
    typeof metrics.epochs !== 'number' ||
    !(metrics.bestEpoch === null || typeof metrics.bestEpoch === 'number')
  )
    fail('metrics must hold accuracy {train, val, test} (0..1 or null), epochs and bestEpoch');
  if (typeof m.appVersion !== 'string') fail('no appVersion');
  if (typeof m.createdAt !== 'string') fail('no createdAt');
  const run = m.run as Record<string, unknown> | null | undefined;
  if (
    run !== null &&
    (typeof run !== 'object' || !isString(run.id) || !isString(run.name) || !isString(run.project))
  )
    fail('run must be null or {id, name, project}');
}
