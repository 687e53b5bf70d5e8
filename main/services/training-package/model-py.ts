/**
 * model.py of a training package (issue 15): the project's network as an explicit, readable torch.nn.Module,
 * generated layer for layer from the spec, with the CNN core's parameter order (so that a model file's flat params
 * and state load with a plain split, and the trained weights are written back by concatenation) and its
 * initialisation scheme (native-workers/cnn/model.ts initParams: the same scheme, not the same random values).
 *
 * Layer mapping (as test/bench/torch_from_spec.py, checked against the core by tests): conv2d → nn.Conv2d, with
 * 'same' padding that is uneven (the odd zero below/right, like TF / ONNX SAME_UPPER) done by an F.pad before an
 * unpadded conv; pooling without padding, floor; batch norm 2d on 4-D activations and 1d after a dense layer (the
 * core's momentum is PyTorch's: the weight of the new statistics); flatten in NCHW order; a dense layer flattens a
 * 4-D input; a 4-D layer after a dense one sees [N, units, 1, 1].
 */
import type { LayerSpec, ModelSpec } from '../../../app/domain/model-spec';
import { layoutParams } from '../../../native-workers/cnn/params';
import { planModel, sizeOf, type LayerPlan } from '../../../native-workers/cnn/plan';
import { convAxis } from '../../../native-workers/cnn/shape';
import { MODEL_PY_HELPERS } from './model-py-helpers';

/** Options of generateModelPy. */
export interface ModelPyOptions {
  /** The app version named in the header. */
  appVersion?: string;
}

/** A number as a Python float literal (1 → 1.0, 1e-5 → 1e-05 stays valid Python as "0.00001"). */
function pyFloat(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

const pyTuple = (a: readonly number[]) => `(${a.join(', ')})`;
const shapeText = (shape: readonly number[]) => `[N, ${shape.join(', ')}]`;

/** What the generator knows about one layer: its module attribute (if any) and its forward lines. */
interface LayerCode {
  /** Lines of __init__ (without indentation), empty for stateless layers. */
  init: string[];
  /** Lines of forward (without indentation). */
  forward: string[];
  /** Attribute name of the module holding learned parameters or state (conv, dense, batch norm), else null. */
  learned: string | null;
  batchNorm: boolean;
}

/** Whether activations before layer i are 2-D [N, features] in PyTorch (after a dense or flatten layer). */
function flatBefore(plans: LayerPlan[], i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const t = plans[j].spec.type;
    if (t === 'dense' || t === 'flatten') return true;
    if (t === 'conv2d' || t === 'maxPool2d' || t === 'avgPool2d' || t === 'globalAvgPool') return false;
  }
  return false;
}

function layerCode(plan: LayerPlan, plans: LayerPlan[]): LayerCode {
  const i = plan.index;
  const spec: LayerSpec = plan.spec;
  const out = `# ${shapeText(spec.type === 'flatten' ? [sizeOf(plan.inShape)] : plan.outShape)}`;
  const [C] = plan.inShape;
  const code: LayerCode = { init: [], forward: [], learned: null, batchNorm: false };
  const flat = flatBefore(plans, i);
  const needs4d = ['conv2d', 'maxPool2d', 'avgPool2d', 'globalAvgPool'].includes(spec.type);
  if (needs4d && flat) {
    code.forward.push(
      `x = x.reshape(-1, ${C}, 1, 1)  # back to 4-D: the core sees a dense output as [units, 1, 1]`,
    );
  }
  switch (spec.type) {
    case 'conv2d': {
      const name = `conv${i}`;
      const conv = plan.conv!;
      const [H, W] = [plan.inShape[1], plan.inShape[2]];
      const padding = spec.padding ?? 'valid';
      const y = convAxis(H, conv.kernel[0], conv.stride[0], padding);
      const x = convAxis(W, conv.kernel[1], conv.stride[1], padding);
      const even = y.padBefore === y.padAfter && x.padBefore === x.padAfter;
      const pad = even ? `, padding=${pyTuple([y.padBefore, x.padBefore])}` : '';
      code.init.push(
        `self.${name} = nn.Conv2d(${C}, ${spec.filters}, kernel_size=${pyTuple(conv.kernel)}, stride=${pyTuple(conv.stride)}${pad})`,
      );
      if (!even) {
        code.forward.push(
          `x = F.pad(x, ${pyTuple([x.padBefore, x.padAfter, y.padBefore, y.padAfter])})  # 'same': the odd zero goes below/right`,
        );
      }
      code.forward.push(`x = self.${name}(x)  ${out}`);
      code.learned = name;
      break;
    }
    case 'relu':
      code.forward.push('x = F.relu(x)');
      break;
    case 'leakyRelu':
      code.forward.push(`x = F.leaky_relu(x, ${pyFloat(spec.alpha ?? 0.01)})`);
      break;
    case 'maxPool2d':
    case 'avgPool2d': {
      const pool = plan.pool!;
      const args = `x, ${pyTuple(pool.size)}, ${pyTuple(pool.stride)}`;
      // no padding, so count_include_pad changes nothing; False keeps torch's ONNX export one AveragePool node
      code.forward.push(
        spec.type === 'maxPool2d'
          ? `x = F.max_pool2d(${args})  ${out}`
          : `x = F.avg_pool2d(${args}, count_include_pad=False)  ${out}`,
      );
      break;
    }
    case 'globalAvgPool':
      code.forward.push(`x = F.adaptive_avg_pool2d(x, 1)  ${out}`);
      break;
    case 'batchNorm': {
      const name = `bn${i}`;
      const kind = flat ? 'BatchNorm1d' : 'BatchNorm2d';
      code.init.push(
        `self.${name} = nn.${kind}(${C}, eps=${pyFloat(spec.epsilon ?? 1e-5)}, momentum=${pyFloat(spec.momentum ?? 0.1)})`,
      );
      code.forward.push(`x = self.${name}(x)`);
      code.learned = name;
      code.batchNorm = true;
      break;
    }
    case 'dropout': {
      const name = `dropout${i}`;
      code.init.push(`self.${name} = nn.Dropout(p=${pyFloat(spec.rate)})`);
      code.forward.push(`x = self.${name}(x)`);
      break;
    }
    case 'flatten':
      code.forward.push(`x = torch.flatten(x, 1)  ${out}`);
      break;
    case 'dense': {
      const name = `dense${i}`;
      const inputs = sizeOf(plan.inShape);
      if (!flat) code.forward.push(`x = torch.flatten(x, 1)  # [N, ${inputs}] (C·H·W, NCHW order)`);
      code.init.push(`self.${name} = nn.Linear(${inputs}, ${spec.units})`);
      code.forward.push(`x = self.${name}(x)  # [N, ${spec.units}]`);
      code.learned = name;
      break;
    }
  }
  return code;
}

/** The init lines of one learned module: the core's scheme (Model.initParams). */
function initLines(plan: LayerPlan, attr: string, spec: ModelSpec): string[] {
  const m = `model.${attr}`;
  if (plan.spec.type === 'batchNorm') {
    return [
      `${m}.weight.fill_(1.0)`,
      `${m}.bias.zero_()`,
      `${m}.running_mean.zero_()`,
      `${m}.running_var.fill_(1.0)`,
    ];
  }
  const shape = plan.params[0].shape;
  const length = sizeOf(shape);
  const fanIn = length / shape[0];
  if (spec.init === 'fan-in-uniform') {
    return [
      `fan_in_uniform_(${m}.weight, fan_in=${fanIn}, generator=g)`,
      `fan_in_uniform_(${m}.bias, fan_in=${fanIn}, generator=g)`,
    ];
  }
  const fanOut = length / shape[1];
  const slope = nextActivationSlope(spec, plan.index);
  const weight =
    slope === null
      ? `glorot_uniform_(${m}.weight, fan_in=${fanIn}, fan_out=${fanOut}, generator=g)  # no ReLU follows`
      : `he_normal_(${m}.weight, fan_in=${fanIn}, negative_slope=${pyFloat(slope)}, generator=g)`;
  return [weight, `${m}.bias.zero_()`];
}

/** The negative slope of the (leaky) ReLU that follows layer i before the next conv/dense, else null. */
function nextActivationSlope(spec: ModelSpec, i: number): number | null {
  for (let j = i + 1; j < spec.layers.length; j++) {
    const l = spec.layers[j];
    if (l.type === 'relu') return 0;
    if (l.type === 'leakyRelu') return l.alpha ?? 0.01;
    if (l.type === 'conv2d' || l.type === 'dense') return null;
  }
  return null;
}

/** model.py for a spec (validated by planModel: throws the SpecError naming the layer when invalid). */
export function generateModelPy(spec: ModelSpec, options: ModelPyOptions = {}): string {
  const plans = planModel(spec);
  const layout = layoutParams(plans);
  const codes = plans.map((p) => layerCode(p, plans));
  const { channels: C, height: H, width: W } = spec.input;
  const version = options.appVersion ? ` ${options.appVersion}` : '';
  const learned = plans.flatMap((p, i) => (codes[i].learned ? [{ plan: p, attr: codes[i].learned! }] : []));
  const bn = codes.filter((c) => c.batchNorm).map((c) => c.learned!);
  const decayed = learned.filter((l) => l.plan.spec.type !== 'batchNorm').map((l) => l.attr);
  const initScheme =
    spec.init === 'fan-in-uniform'
      ? [
          "    'fan-in-uniform': conv / dense weights and biases from U(±1/√fan_in); batch norm scale 1, shift 0.",
        ]
      : [
          "    'he': He normal for conv / dense weights that feed a (leaky) ReLU, Glorot uniform for the others",
          '    (the classifier), zero biases; batch norm scale 1, shift 0.',
        ];
  const lines: string[] = [];
  const add = (...l: string[]) => lines.push(...l);
  add(
    `"""The network of this training package, generated by CNN Studio${version} from the project's model spec (SPEC).`,
    '',
    'Layer for layer the architecture of the app (native-workers/cnn), with its parameter order and initialisation',
    'scheme. train.py imports it; edit it only together with SPEC (the .cnnmodel written back must match SPEC).',
    '',
    `Input: [N, ${C}, ${H}, ${W}] float32, pixel values / 255 (channels-first). Output: the logits of ${spec.numClasses} classes.`,
    `Learned parameters: ${layout.paramCount}. Batch norm state values: ${layout.stateCount}.`,
    '"""',
    'import json',
    'import math',
    '',
    'import torch',
    'import torch.nn as nn',
    'import torch.nn.functional as F',
    '',
    "# The model spec this file was generated from (CNN Studio's ModelSpec JSON; written into model.cnnmodel).",
    'SPEC = json.loads(',
    '    r"""',
    JSON.stringify(spec, null, 2),
    '"""',
    ')',
    '',
    `INPUT_SHAPE = (${C}, ${H}, ${W})  # channels, height, width`,
    `NUM_CLASSES = ${spec.numClasses}`,
    `PARAMETER_COUNT = ${layout.paramCount}`,
    `STATE_COUNT = ${layout.stateCount}`,
    '',
    "# Modules with learned parameters, in CNN Studio's flat order: per module weight then bias (batch norm: gamma,",
    "# beta); the state holds each batch norm's running mean then running variance.",
    `LEARNED_MODULES = [${learned.map((l) => `"${l.attr}"`).join(', ')}]`,
    `BATCH_NORM_MODULES = [${bn.map((b) => `"${b}"`).join(', ')}]`,
    "# Weight decay applies to these modules' weights only (not to biases or batch norm), as in the app.",
    `DECAYED_MODULES = [${decayed.map((d) => `"${d}"`).join(', ')}]`,
    '',
    '',
    'class Net(nn.Module):',
    `    """The project's classifier: ${plans.length} layers (commented below), ${layout.paramCount} learned parameters."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
  );
  plans.forEach((p, i) => {
    if (codes[i].init.length === 0) return;
    add(`        # layer ${i}: ${p.label}`, ...codes[i].init.map((l) => `        ${l}`));
  });
  add(
    '',
    '    def forward(self, x):',
    `        """[N, ${C}, ${H}, ${W}] → class logits [N, ${spec.numClasses}]."""`,
  );
  plans.forEach((p, i) => {
    add(`        # layer ${i}: ${p.label}`, ...codes[i].forward.map((l) => `        ${l}`));
  });
  add('        return x', '', '');
  add(
    'def build_model():',
    '    """A new Net (PyTorch\'s default initialisation; call init_parameters for the app\'s scheme)."""',
    '    return Net()',
    '',
    '',
    'def init_parameters(model, seed=1):',
    '    """The app\'s initialisation scheme, drawn from torch\'s generator (the same scheme, not the same values):',
    ...initScheme,
    '    Batch norm running statistics start at mean 0, variance 1.',
    '    """',
    '    model = unwrap(model)',
    '    g = torch.Generator().manual_seed(int(seed))',
    '    with torch.no_grad():',
  );
  for (const l of learned) add(...initLines(l.plan, l.attr, spec).map((s) => `        ${s}`));
  if (learned.length === 0) add('        pass');
  add('', '', MODEL_PY_HELPERS.trim(), '');
  return lines.join('\n');
}
