/**
 * ONNX export of a trained model: the CNN core's spec, flat parameters and batchnorm state become an ONNX
 * ModelProto (IR version 8, opset 13), encoded with @bufbuild/protobuf from the TypeScript generated out of
 * ONNX's own schema (./onnx.proto → ./gen/onnx_pb.ts, `npm run gen:onnx`).
 *
 * The graph is documented and fixed:
 *   input  `image`          float32 [N, C, H, W], pixel values in [0, 1] (the app's uint8 tensor / 255), N dynamic
 *   output `probabilities`  float32 [N, classes], softmax over the class logits, in labels order
 *
 * Layer by layer: conv2d → Conv (pads [top, left, bottom, right], 'same' keeps its extra row/column below/right),
 * relu → Relu, leakyRelu → LeakyRelu(alpha), maxPool2d/avgPool2d → MaxPool/AveragePool (no padding, floor),
 * globalAvgPool → GlobalAveragePool, batchNorm → BatchNormalization (running mean/variance, its epsilon),
 * dropout → nothing (identity at inference), flatten → Flatten(axis 1), dense → Flatten (when its input is still
 * 4-D: the core reads [C, H, W] as C·H·W in NCHW order, exactly Flatten) + Gemm(transB 1) with the [out, in]
 * weights as they are. A 4-D layer after a dense one gets a Reshape back to [N, units, 1, 1].
 */
import { create, toBinary } from '@bufbuild/protobuf';
import type { ModelSpec } from '../../../../app/domain/model-spec';
import { layoutParams, type ParamEntry } from '../../../../native-workers/cnn/params';
import { planModel, sizeOf } from '../../../../native-workers/cnn/plan';
import { convAxis } from '../../../../native-workers/cnn/shape';
import { ONNX_INPUT_NAME, ONNX_OUTPUT_NAME } from '../../../../native-workers/export/onnx-runtime';
import {
  AttributeProto_AttributeType,
  AttributeProtoSchema,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  OperatorSetIdProtoSchema,
  StringStringEntryProtoSchema,
  TensorProto_DataType,
  TensorProtoSchema,
  TensorShapeProto_DimensionSchema,
  TypeProtoSchema,
  type AttributeProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
  ValueInfoProtoSchema,
} from './gen/onnx_pb';

/** IR version 8 and opset 13: accepted by ONNX 1.12's checker and every current runtime. */
export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 13;

export { ONNX_INPUT_NAME, ONNX_OUTPUT_NAME };

/** What goes into the model's metadata_props besides the graph. */
export interface OnnxExportMeta {
  /** Class names in output order. */
  labels: string[];
  appVersion: string;
  /** The square input side in pixels. */
  inputSize: number;
  color: 'gray' | 'rgb';
  /** How an image file becomes the input tensor (the app's decode), in words. */
  preprocessing: string;
  /** Optional extra metadata_props (string values). */
  extra?: Record<string, string>;
}

type Attr =
  { name: string; ints: number[] } | { name: string; int: number } | { name: string; float: number };

function attribute(a: Attr): AttributeProto {
  if ('ints' in a)
    return create(AttributeProtoSchema, {
      name: a.name,
      type: AttributeProto_AttributeType.INTS,
      ints: a.ints.map(BigInt),
    });
  if ('int' in a)
    return create(AttributeProtoSchema, {
      name: a.name,
      type: AttributeProto_AttributeType.INT,
      i: BigInt(a.int),
    });
  return create(AttributeProtoSchema, { name: a.name, type: AttributeProto_AttributeType.FLOAT, f: a.float });
}

function floatTensor(name: string, dims: number[], values: Float32Array): TensorProto {
  const copy = new Float32Array(values); // own buffer, little-endian on every platform the app runs on
  return create(TensorProtoSchema, {
    name,
    dims: dims.map(BigInt),
    dataType: TensorProto_DataType.FLOAT,
    rawData: new Uint8Array(copy.buffer),
  });
}

function int64Tensor(name: string, values: number[]): TensorProto {
  return create(TensorProtoSchema, {
    name,
    dims: [BigInt(values.length)],
    dataType: TensorProto_DataType.INT64,
    int64Data: values.map(BigInt),
  });
}

function valueInfo(name: string, dims: (number | string)[]): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: {
          elemType: TensorProto_DataType.FLOAT,
          shape: {
            dim: dims.map((d) =>
              create(TensorShapeProto_DimensionSchema, {
                value:
                  typeof d === 'string'
                    ? { case: 'dimParam', value: d }
                    : { case: 'dimValue', value: BigInt(d) },
              }),
            ),
          },
        },
      },
    }),
  });
}

/**
 * Encodes a model as ONNX bytes. `params` and `state` are the core's flat parameter and state buffers (as in a
 * model file); throws on a spec the core would reject or buffers of the wrong length.
 */
export function exportOnnx(
  spec: ModelSpec,
  params: Float32Array,
  state: Float32Array,
  meta: OnnxExportMeta,
): Uint8Array {
  const plans = planModel(spec);
  const layout = layoutParams(plans);
  if (params.length !== layout.paramCount)
    throw new Error(`expected ${layout.paramCount} parameters, got ${params.length}`);
  if (state.length !== layout.stateCount)
    throw new Error(`expected ${layout.stateCount} state values, got ${state.length}`);
  if (meta.labels.length !== spec.numClasses)
    throw new Error(`expected ${spec.numClasses} labels, got ${meta.labels.length}`);

  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const paramOf = (
    layerIndex: number,
    kind: ParamEntry['kind'],
  ): { values: Float32Array; shape: number[] } => {
    const e = layout.entries.find((x) => x.layerIndex === layerIndex && x.kind === kind);
    if (!e) throw new Error(`layer ${layerIndex} has no ${kind}`);
    return { values: params.subarray(e.offset, e.offset + e.length), shape: e.shape };
  };
  const addInit = (t: TensorProto): string => {
    initializers.push(t);
    return t.name;
  };
  let counter = 0;
  const node = (opType: string, inputs: string[], attrs: Attr[] = [], name?: string): string => {
    const output = `${name ?? opType.toLowerCase()}_${counter++}`;
    nodes.push(
      create(NodeProtoSchema, {
        name: output,
        opType,
        input: inputs,
        output: [output],
        attribute: attrs.map(attribute),
      }),
    );
    return output;
  };

  let x = ONNX_INPUT_NAME;
  let rank4 = true; // whether x is [N, C, H, W] (else [N, features] after a Gemm)
  const to4d = (i: number) => {
    if (rank4) return;
    const [C, H, W] = plans[i].inShape;
    x = node('Reshape', [x, addInit(int64Tensor(`layer${i}.shape`, [-1, C, H, W]))], [], 'reshape');
    rank4 = true;
  };

  for (const plan of plans) {
    const i = plan.index;
    const layer = plan.spec;
    const [C, H, W] = plan.inShape;
    switch (layer.type) {
      case 'conv2d': {
        to4d(i);
        const conv = plan.conv;
        if (!conv) throw new Error(`layer ${i}: conv geometry missing`);
        const padding = layer.padding ?? 'valid';
        const y = convAxis(H, conv.kernel[0], conv.stride[0], padding);
        const xa = convAxis(W, conv.kernel[1], conv.stride[1], padding);
        const w = paramOf(i, 'weight'); // [F, C, kH, kW]: ONNX's OIHW
        const b = paramOf(i, 'bias');
        x = node(
          'Conv',
          [
            x,
            addInit(floatTensor(`layer${i}.weight`, w.shape, w.values)),
            addInit(floatTensor(`layer${i}.bias`, b.shape, b.values)),
          ],
          [
            { name: 'kernel_shape', ints: [conv.kernel[0], conv.kernel[1]] },
            { name: 'strides', ints: [conv.stride[0], conv.stride[1]] },
            { name: 'pads', ints: [y.padBefore, xa.padBefore, y.padAfter, xa.padAfter] },
            { name: 'dilations', ints: [1, 1] },
            { name: 'group', int: 1 },
          ],
          'conv',
        );
        break;
      }
      case 'relu':
        x = node('Relu', [x], [], 'relu');
        break;
      case 'leakyRelu':
        x = node('LeakyRelu', [x], [{ name: 'alpha', float: layer.alpha ?? 0.01 }], 'leaky_relu');
        break;
      case 'maxPool2d':
      case 'avgPool2d': {
        to4d(i);
        const pool = plan.pool;
        if (!pool) throw new Error(`layer ${i}: pool geometry missing`);
        x = node(
          layer.type === 'maxPool2d' ? 'MaxPool' : 'AveragePool',
          [x],
          [
            { name: 'kernel_shape', ints: [pool.size[0], pool.size[1]] },
            { name: 'strides', ints: [pool.stride[0], pool.stride[1]] },
            { name: 'pads', ints: [0, 0, 0, 0] },
          ],
          layer.type === 'maxPool2d' ? 'max_pool' : 'avg_pool',
        );
        break;
      }
      case 'globalAvgPool':
        to4d(i);
        x = node('GlobalAveragePool', [x], [], 'global_avg_pool');
        break;
      case 'batchNorm': {
        const gamma = paramOf(i, 'gamma');
        const beta = paramOf(i, 'beta');
        const o = layout.stateOffsets[i];
        const mean = state.subarray(o, o + C); // running mean, then running variance, per channel
        const variance = state.subarray(o + C, o + 2 * C);
        x = node(
          'BatchNormalization',
          [
            x,
            addInit(floatTensor(`layer${i}.gamma`, [C], gamma.values)),
            addInit(floatTensor(`layer${i}.beta`, [C], beta.values)),
            addInit(floatTensor(`layer${i}.running_mean`, [C], mean)),
            addInit(floatTensor(`layer${i}.running_var`, [C], variance)),
          ],
          [
            { name: 'epsilon', float: layer.epsilon ?? 1e-5 },
            { name: 'momentum', float: 1 - (layer.momentum ?? 0.1) }, // ONNX weighs the running value
          ],
          'batch_norm',
        );
        break;
      }
      case 'dropout':
        break; // identity at inference
      case 'flatten':
        if (rank4) x = node('Flatten', [x], [{ name: 'axis', int: 1 }], 'flatten');
        rank4 = false;
        break;
      case 'dense': {
        if (rank4) x = node('Flatten', [x], [{ name: 'axis', int: 1 }], 'flatten');
        rank4 = false;
        const w = paramOf(i, 'weight'); // [out, in]
        const b = paramOf(i, 'bias');
        if (w.shape[1] !== sizeOf(plan.inShape)) throw new Error(`layer ${i}: dense input size mismatch`);
        x = node(
          'Gemm',
          [
            x,
            addInit(floatTensor(`layer${i}.weight`, w.shape, w.values)),
            addInit(floatTensor(`layer${i}.bias`, b.shape, b.values)),
          ],
          [
            { name: 'alpha', float: 1 },
            { name: 'beta', float: 1 },
            { name: 'transB', int: 1 },
          ],
          'dense',
        );
        break;
      }
    }
  }
  nodes.push(
    create(NodeProtoSchema, {
      name: 'softmax',
      opType: 'Softmax',
      input: [x],
      output: [ONNX_OUTPUT_NAME],
      attribute: [attribute({ name: 'axis', int: 1 })],
    }),
  );

  const { input } = spec;
  const metadata: Record<string, string> = {
    labels: JSON.stringify(meta.labels),
    input: JSON.stringify({
      name: ONNX_INPUT_NAME,
      dtype: 'float32',
      layout: 'NCHW',
      shape: ['N', input.channels, input.height, input.width],
      range: [0, 1],
      color: meta.color,
      size: meta.inputSize,
    }),
    output: JSON.stringify({ name: ONNX_OUTPUT_NAME, dtype: 'float32', shape: ['N', spec.numClasses] }),
    preprocessing: meta.preprocessing,
    app_version: meta.appVersion,
    ...meta.extra,
  };
  const model = create(ModelProtoSchema, {
    irVersion: BigInt(ONNX_IR_VERSION),
    opsetImport: [create(OperatorSetIdProtoSchema, { domain: '', version: BigInt(ONNX_OPSET) })],
    producerName: 'CNN Studio',
    producerVersion: meta.appVersion,
    modelVersion: 1n,
    docString: `Image classifier (${meta.labels.length} classes) exported by CNN Studio ${meta.appVersion}.`,
    graph: create(GraphProtoSchema, {
      name: 'cnn_studio_classifier',
      node: nodes,
      initializer: initializers,
      input: [valueInfo(ONNX_INPUT_NAME, ['N', input.channels, input.height, input.width])],
      output: [valueInfo(ONNX_OUTPUT_NAME, ['N', spec.numClasses])],
    }),
    metadataProps: Object.entries(metadata).map(([key, value]) =>
      create(StringStringEntryProtoSchema, { key, value }),
    ),
  });
  return toBinary(ModelProtoSchema, model);
}
