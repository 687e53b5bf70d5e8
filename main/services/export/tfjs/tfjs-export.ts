/**
 * Export to the TensorFlow.js layers format: `model.json` + `weights.bin`, loadable with @tensorflow/tfjs
 * `tf.loadLayersModel` (and convertible to Keras with tensorflowjs_converter).
 *
 * model.json is `{format: 'layers-model', modelTopology, weightsManifest}`: modelTopology is a Keras Sequential
 * config (an InputLayer `image` of batch_input_shape [null, H, W, C], then one Keras layer per layer of ours, then
 * an Activation 'softmax' named `probabilities`), and weightsManifest lists every tensor of weights.bin (one flat
 * little-endian float32 file) by name (`<layer>/kernel`, `/bias`, `/gamma`, `/beta`, `/moving_mean`,
 * `/moving_variance`), shape and dtype, in file order. The model takes float32 NHWC in [0, 1] and outputs softmax
 * probabilities.
 *
 * Our core is NCHW and PyTorch-shaped, Keras is NHWC, so tensors are transposed on the way out:
 * - conv weights OIHW → HWIO; dense weights [out, in] → [in, out];
 * - flattening: ours reads [C, H, W] in CHW order, Keras's Flatten reads [H, W, C] in HWC order, so the rows of
 *   the dense kernel after a flatten (explicit, or implicit when a dense layer follows a spatial tensor) are
 *   reordered CHW → HWC. Every per-feature tensor met before the next dense layer (a batchnorm after a flatten, a
 *   1×1 convolution fed from a flattened vector through a Reshape) is permuted the same way.
 * - padding: an explicit or asymmetric padding ('same' with an odd total puts the extra zero below/right, see
 *   shape.ts) becomes ZeroPadding2D + a 'valid' Conv2D; only a symmetric 'same' at stride 1, where TF's SAME is
 *   ours exactly, stays Conv2D padding 'same'.
 * - LeakyReLU alpha and BatchNormalization epsilon / momentum are written explicitly (Keras defaults differ: BN
 *   epsilon 1e-3, momentum 0.99). Keras momentum is the running average's decay, 1 − ours (PyTorch-style).
 * - Dropout stays a Dropout layer (identity at inference); pooling is 'valid' as in our core.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { io } from '@tensorflow/tfjs';
import type { LayerSpec, ModelSpec } from '../../../../app/domain/model-spec';
import { layoutParams } from '../../../../native-workers/cnn/params';
import { planModel, type LayerPlan } from '../../../../native-workers/cnn/plan';
import { convAxis } from '../../../../native-workers/cnn/shape';

/** One Keras layer of the Sequential config. */
export interface KerasLayerConfig {
  class_name: string;
  config: Record<string, unknown>;
}

/** One tensor of weights.bin. */
export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/** The content of model.json. */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: {
    class_name: 'Sequential';
    config: { name: string; layers: KerasLayerConfig[] };
    keras_version: string;
    backend: 'tensor_flow.js';
  };
  weightsManifest: [{ paths: ['weights.bin']; weights: TfjsWeightSpec[] }];
  userDefinedMetadata?: Record<string, unknown>;
}

/** What exportTfjs returns: write it with writeTfjsFolder, load it with tfjsIOHandler. */
export interface TfjsExport {
  modelJson: TfjsModelJson;
  weightsBin: Uint8Array;
}

/** Options of exportTfjs. */
export interface TfjsExportOptions {
  /** model.json's generatedBy, e.g. "CNN Studio 0.1.0". */
  generatedBy?: string;
  /** Stored as model.json's userDefinedMetadata (tfjs: model.getUserDefinedMetadata()), e.g. labels. */
  metadata?: Record<string, unknown>;
}

/** The file names of a TF.js export folder. */
export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';

/**
 * The Keras tensor between layers: NHWC [h, w, c] or a feature vector [c] (h = w = 1), and `perm`, which maps
 * each Keras channel / feature index to the index of the same value in our [C, H, W] activation (at h = w = 0
 * for a vector): the identity except after a flatten, until the next dense layer.
 */
interface KerasTensor {
  rank: 2 | 4;
  h: number;
  w: number;
  c: number;
  perm: Int32Array;
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

const channelsLast = { data_format: 'channels_last' };
const glorot = { class_name: 'GlorotUniform', config: { seed: null } };
const zeros = { class_name: 'Zeros', config: {} };
const ones = { class_name: 'Ones', config: {} };

/**
 * Converts a model (spec + flat params + batchnorm state, as in a model file) to the TF.js layers format.
 * Throws if params or state do not match the spec's layout.
 */
export function exportTfjs(
  spec: ModelSpec,
  params: Float32Array,
  state: Float32Array,
  options: TfjsExportOptions = {},
): TfjsExport {
  const plans = planModel(spec);
  const layout = layoutParams(plans);
  if (params.length !== layout.paramCount)
    throw new Error(`expected ${layout.paramCount} parameters, got ${params.length}`);
  if (state.length !== layout.stateCount)
    throw new Error(`expected ${layout.stateCount} state values, got ${state.length}`);
  const param = (layerIndex: number, kind: 'weight' | 'bias' | 'gamma' | 'beta') => {
    const e = layout.entries.find((x) => x.layerIndex === layerIndex && x.kind === kind);
    if (!e) throw new Error(`layer ${layerIndex} has no ${kind}`);
    return params.subarray(e.offset, e.offset + e.length);
  };

  const { height: H, width: W, channels: C } = spec.input;
  const layers: KerasLayerConfig[] = [
    {
      class_name: 'InputLayer',
      config: { name: 'image', batch_input_shape: [null, H, W, C], dtype: 'float32', sparse: false },
    },
  ];
  const weights: { spec: TfjsWeightSpec; data: Float32Array }[] = [];
  const addLayer = (className: string, name: string, config: Record<string, unknown>) =>
    layers.push({ class_name: className, config: { name, trainable: true, dtype: 'float32', ...config } });
  const addWeight = (layerName: string, weightName: string, shape: number[], data: Float32Array) =>
    weights.push({ spec: { name: `${layerName}/${weightName}`, shape, dtype: 'float32' }, data });

  let t: KerasTensor = { rank: 4, h: H, w: W, c: C, perm: identity(C) };

  /** Keras Flatten of an NHWC tensor: feature (y·w + x)·c + k is our (perm[k]·h + y)·w + x. */
  const flatten = (name: string) => {
    const { h, w, c, perm } = t;
    const q = new Int32Array(h * w * c);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let k = 0; k < c; k++) q[(y * w + x) * c + k] = (perm[k] * h + y) * w + x;
    addLayer('Flatten', name, channelsLast);
    t = { rank: 2, h: 1, w: 1, c: q.length, perm: q };
  };

  /** Back to NHWC [1, 1, n] before a spatial layer that follows a feature vector. */
  const toSpatial = (name: string) => {
    if (t.rank === 4) return;
    addLayer('Reshape', name, { target_shape: [1, 1, t.c] });
    t = { ...t, rank: 4 };
  };

  for (const plan of plans) {
    const layer: LayerSpec = plan.spec;
    const name = `layer${plan.index}_${layer.type}`;
    switch (layer.type) {
      case 'conv2d': {
        toSpatial(`${name}_reshape`);
        addConv(plan, name, t, param(plan.index, 'weight'), param(plan.index, 'bias'), addLayer, addWeight);
        const [F, oh, ow] = plan.outShape;
        t = { rank: 4, h: oh, w: ow, c: F, perm: identity(F) };
        break;
      }
      case 'dense': {
        if (t.rank === 4) flatten(`${name}_flatten`);
        const [O] = plan.outShape;
        const I = t.c;
        const wt = param(plan.index, 'weight'); // [O, I], I in our order
        const kernel = new Float32Array(I * O);
        for (let j = 0; j < I; j++) {
          const src = t.perm[j];
          for (let o = 0; o < O; o++) kernel[j * O + o] = wt[o * I + src];
        }
        addLayer('Dense', name, {
          units: O,
          activation: 'linear',
          use_bias: true,
          kernel_initializer: glorot,
          bias_initializer: zeros,
          kernel_regularizer: null,
          bias_regularizer: null,
          activity_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
        });
        addWeight(name, 'kernel', [I, O], kernel);
        addWeight(name, 'bias', [O], param(plan.index, 'bias').slice());
        t = { rank: 2, h: 1, w: 1, c: O, perm: identity(O) };
        break;
      }
      case 'flatten':
        // On a vector (after a dense layer or a global pool) our flatten is the identity, and so is Keras's.
        if (t.rank === 4) flatten(name);
        break;
      case 'globalAvgPool':
        if (t.rank === 4) {
          addLayer('GlobalAveragePooling2D', name, channelsLast);
          t = { rank: 2, h: 1, w: 1, c: t.c, perm: t.perm };
        }
        break;
      case 'maxPool2d':
      case 'avgPool2d': {
        // On a vector ([n, 1, 1] for us) the window can only be 1×1: the identity, so nothing to write.
        if (t.rank === 2) break;
        const g = plan.pool!;
        addLayer(layer.type === 'maxPool2d' ? 'MaxPooling2D' : 'AveragePooling2D', name, {
          pool_size: g.size,
          strides: g.stride,
          padding: 'valid',
          ...channelsLast,
        });
        const [, oh, ow] = plan.outShape;
        t = { ...t, h: oh, w: ow };
        break;
      }
      case 'relu':
        addLayer('Activation', name, { activation: 'relu' });
        break;
      case 'leakyRelu':
        addLayer('LeakyReLU', name, { alpha: layer.alpha ?? 0.01 });
        break;
      case 'dropout':
        addLayer('Dropout', name, { rate: layer.rate, noise_shape: null, seed: null });
        break;
      case 'batchNorm': {
        const n = t.c;
        const gamma = param(plan.index, 'gamma');
        const beta = param(plan.index, 'beta');
        const o = layout.stateOffsets[plan.index];
        const mean = state.subarray(o, o + n);
        const variance = state.subarray(o + n, o + 2 * n);
        const permuted = (a: Float32Array) => Float32Array.from(t.perm, (src) => a[src]);
        addLayer('BatchNormalization', name, {
          axis: -1,
          momentum: 1 - (layer.momentum ?? 0.1),
          epsilon: layer.epsilon ?? 1e-5,
          center: true,
          scale: true,
          beta_initializer: zeros,
          gamma_initializer: ones,
          moving_mean_initializer: zeros,
          moving_variance_initializer: ones,
          beta_regularizer: null,
          gamma_regularizer: null,
          beta_constraint: null,
          gamma_constraint: null,
        });
        addWeight(name, 'gamma', [n], permuted(gamma));
        addWeight(name, 'beta', [n], permuted(beta));
        addWeight(name, 'moving_mean', [n], permuted(mean));
        addWeight(name, 'moving_variance', [n], permuted(variance));
        break;
      }
      default: {
        const unknown: never = layer;
        throw new Error(`cannot export layer type ${(unknown as { type: string }).type}`);
      }
    }
  }
  addLayer('Activation', 'probabilities', { activation: 'softmax' });

  const total = weights.reduce((n, w) => n + w.data.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  for (const w of weights) {
    flat.set(w.data, offset);
    offset += w.data.length;
  }
  const modelJson: TfjsModelJson = {
    format: 'layers-model',
    generatedBy: options.generatedBy ?? 'CNN Studio',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: { name: 'cnn_studio', layers },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: weights.map((w) => w.spec) }],
    ...(options.metadata ? { userDefinedMetadata: options.metadata } : {}),
  };
  return { modelJson, weightsBin: new Uint8Array(flat.buffer) };
}

/** Writes a conv layer (preceded by ZeroPadding2D when its padding is explicit or asymmetric). */
function addConv(
  plan: LayerPlan,
  name: string,
  t: KerasTensor,
  weight: Float32Array,
  bias: Float32Array,
  addLayer: (className: string, name: string, config: Record<string, unknown>) => void,
  addWeight: (layerName: string, weightName: string, shape: number[], data: Float32Array) => void,
): void {
  const spec = plan.spec as Extract<LayerSpec, { type: 'conv2d' }>;
  const g = plan.conv!;
  const [KH, KW] = g.kernel;
  const [F] = plan.outShape;
  const padding = spec.padding ?? 'valid';
  const [, inH, inW] = plan.inShape; // = the Keras tensor's h, w
  const y = convAxis(inH, KH, g.stride[0], padding);
  const x = convAxis(inW, KW, g.stride[1], padding);
  const pads = [y.padBefore, y.padAfter, x.padBefore, x.padAfter];
  let kerasPadding: 'valid' | 'same' = 'valid';
  if (pads.some((p) => p > 0)) {
    const symmetricSame =
      padding === 'same' &&
      g.stride[0] === 1 &&
      g.stride[1] === 1 &&
      y.padBefore === y.padAfter &&
      x.padBefore === x.padAfter;
    if (symmetricSame) kerasPadding = 'same';
    else
      addLayer('ZeroPadding2D', `${name}_pad`, {
        padding: [
          [y.padBefore, y.padAfter],
          [x.padBefore, x.padAfter],
        ],
        ...channelsLast,
      });
  }
  addLayer('Conv2D', name, {
    filters: F,
    kernel_size: [KH, KW],
    strides: g.stride,
    padding: kerasPadding,
    ...channelsLast,
    dilation_rate: [1, 1],
    activation: 'linear',
    use_bias: true,
    kernel_initializer: glorot,
    bias_initializer: zeros,
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  });
  // Ours [F, inC, KH, KW] over our channel order; Keras [KH, KW, inC, F] over the Keras channel order.
  const inC = t.c;
  const kernel = new Float32Array(KH * KW * inC * F);
  for (let ky = 0; ky < KH; ky++)
    for (let kx = 0; kx < KW; kx++)
      for (let ci = 0; ci < inC; ci++) {
        const src = t.perm[ci];
        for (let f = 0; f < F; f++)
          kernel[((ky * KW + kx) * inC + ci) * F + f] = weight[((f * inC + src) * KH + ky) * KW + kx];
      }
  addWeight(name, 'kernel', [KH, KW, inC, F], kernel);
  addWeight(name, 'bias', [F], bias.slice());
}

/** Writes model.json and weights.bin into dir (created if missing); returns the two paths. */
export async function writeTfjsFolder(dir: string, exported: TfjsExport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const modelPath = join(dir, TFJS_MODEL_FILE);
  const weightsPath = join(dir, TFJS_WEIGHTS_FILE);
  await writeFile(modelPath, JSON.stringify(exported.modelJson, null, 1));
  await writeFile(weightsPath, exported.weightsBin);
  return [modelPath, weightsPath];
}

/** Reads back a folder written by writeTfjsFolder (e.g. to check parity on the files themselves). */
export async function readTfjsFolder(dir: string): Promise<TfjsExport> {
  const modelJson = JSON.parse(await readFile(join(dir, TFJS_MODEL_FILE), 'utf8')) as TfjsModelJson;
  const paths = modelJson.weightsManifest.flatMap((group) => group.paths);
  const parts = await Promise.all(paths.map((p) => readFile(join(dir, p))));
  const weightsBin = new Uint8Array(parts.reduce((n, b) => n + b.length, 0));
  let offset = 0;
  for (const b of parts) {
    weightsBin.set(b, offset);
    offset += b.length;
  }
  return { modelJson, weightsBin };
}

/**
 * An IOHandler over an export held in memory (or read back from a folder), for `tf.loadLayersModel(handler)`.
 * Each load hands out a fresh copy of the topology: tfjs deletes fields from the config it deserialises.
 */
export function tfjsIOHandler(exported: TfjsExport): io.IOHandler {
  return {
    load: async (): Promise<io.ModelArtifacts> => {
      const json = exported.modelJson;
      const bytes = exported.weightsBin;
      const artifacts: io.ModelArtifacts = {
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        modelTopology: structuredClone(json.modelTopology),
        weightSpecs: json.weightsManifest.flatMap((group) =>
          group.weights.map((w) => ({ ...w, shape: [...w.shape] })),
        ),
        weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      };
      if (json.userDefinedMetadata)
        artifacts.userDefinedMetadata = structuredClone(json.userDefinedMetadata) as Record<string, object>;
      return artifacts;
    },
  };
}
