/**
 * The network explorer's backend: lists the preset architectures and describes one built for a project (or for
 * an input size, colour and class count given directly, as the CLI does). Pure functions over the CNN core.
 */
import type { ColorMode, ProjectSummary } from '../../app/domain/project';
import type { InputSpec, LayerSpec, ModelSpec } from '../../app/domain/model-spec';
import type { ModelChoice } from '../../app/domain/training';
import {
  DEFAULT_CLASS_COUNT,
  MODEL_PRESETS,
  type LayerGeometry,
  type ModelPresetList,
  type ModelPresetName,
  type NetworkDescription,
  type NetworkLayerInfo,
} from '../../app/domain/model-description';
import { AppFailure } from '../../app/ipc/result';
import { describeModel } from '../../native-workers/cnn/describe-model';
import { planModel } from '../../native-workers/cnn/plan';
import { presets, presetSpec, type PresetName } from '../../native-workers/cnn/presets';
import { convAxis, pair } from '../../native-workers/cnn/shape';
import { specFor } from './training/settings';
import { SpecError } from '../../native-workers/cnn/spec-error';

// The contract's list of names and the CNN core's must be the same set (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const presetNamesAgree: Same<ModelPresetName, PresetName> = true;
void presetNamesAgree;

/** Images from this size on get the Medium preset by default; smaller ones Small. */
const MEDIUM_FROM = 64;

/** The preset that suits an input size: Small for 28–32 px images, Medium for photos of 64 px and more. */
export function recommendedPreset(inputSize: number): ModelPresetName {
  return inputSize >= MEDIUM_FROM ? 'medium' : 'small';
}

/** The presets in the contract's menu order, with the core's titles and descriptions. */
export function listPresets(inputSize?: number): ModelPresetList {
  const byName = new Map(presets.map((p) => [p.name, p]));
  return {
    presets: MODEL_PRESETS.map((name) => {
      const info = byName.get(name);
      if (!info)
        throw new AppFailure('internal', `The CNN core has no preset "${name}".`, {
          code: 'unknown-preset',
          preset: name,
        });
      return { name, title: info.title, description: info.description };
    }),
    recommended: recommendedPreset(inputSize ?? 28),
  };
}

/** The number of classes a project's model needs: its label count, or 10 until it has two labels. */
export function classCountFor(labelCount: number): { numClasses: number; classesFrom: 'labels' | 'default' } {
  return labelCount >= 2
    ? { numClasses: labelCount, classesFrom: 'labels' }
    : { numClasses: DEFAULT_CLASS_COUNT, classesFrom: 'default' };
}

/** The input spec of square images of `size` pixels. */
export function inputSpecFor(size: number, color: ColorMode): InputSpec {
  return { height: size, width: size, channels: color === 'rgb' ? 3 : 1 };
}

function geometryOf(layer: LayerSpec, inH: number, inW: number): LayerGeometry | undefined {
  if (layer.type === 'conv2d') {
    const window = pair(layer.kernelSize);
    const stride = pair(layer.stride ?? 1);
    const padding = layer.padding ?? 'valid';
    const y = convAxis(inH, window[0], stride[0], padding);
    const x = convAxis(inW, window[1], stride[1], padding);
    return {
      window,
      stride,
      padding: {
        mode: padding === 'same' || padding === 'valid' ? padding : 'explicit',
        top: y.padBefore,
        bottom: y.padAfter,
        left: x.padBefore,
        right: x.padAfter,
      },
    };
  }
  if (layer.type === 'maxPool2d' || layer.type === 'avgPool2d') {
    return {
      window: pair(layer.size),
      stride: pair(layer.stride ?? layer.size),
      padding: { mode: 'valid', top: 0, bottom: 0, left: 0, right: 0 },
    };
  }
  return undefined;
}

/** A preset built for `input` and `numClasses`, described layer by layer. */
export function describeNetwork(
  preset: ModelPresetName,
  input: InputSpec,
  classes: { numClasses: number; classesFrom: 'labels' | 'default'; labelCount?: number },
): NetworkDescription {
  try {
    return describeSpec('preset', presetSpec(preset, input, classes.numClasses), preset, classes);
  } catch (error) {
    if (error instanceof AppFailure && error.details) {
      throw new AppFailure(
        'invalid-payload',
        `The ${preset} preset does not fit ${input.height}×${input.width}×${input.channels} images: ${error.message}`,
        {
          code: 'preset-does-not-fit',
          preset,
          height: input.height,
          width: input.width,
          channels: input.channels,
        },
      );
    }
    throw error;
  }
}

/** A spec described layer by layer; an invalid spec fails with invalid-payload, details `{ layerIndex, reason }`. */
function describeSpec(
  _kind: 'preset' | 'custom',
  spec: ModelSpec,
  preset: ModelPresetName | 'custom',
  classes: { classesFrom: 'labels' | 'default'; labelCount?: number },
): NetworkDescription {
  try {
    const plans = planModel(spec);
    const layers: NetworkLayerInfo[] = plans.map((p) => {
      const geometry = geometryOf(p.spec, p.inShape[1], p.inShape[2]);
      return { spec: p.spec, inputShape: p.inShape, ...(geometry ? { geometry } : {}) };
    });
    return {
      preset,
      spec,
      description: describeModel(spec),
      layers,
      classesFrom: classes.classesFrom,
      labelCount: classes.labelCount ?? 0,
    };
  } catch (error) {
    if (error instanceof SpecError) {
      throw new AppFailure('invalid-payload', error.message, {
        code: 'bad-architecture',
        layerIndex: error.layerIndex,
        reason: error.reason,
      });
    }
    throw error;
  }
}

/** A preset or a custom layer list built for a project (its input, and its labels: 10 classes with fewer than two). */
export function describeProjectModel(project: ProjectSummary, choice: ModelChoice): NetworkDescription {
  if (project.problem)
    throw new AppFailure('storage', `Project ${project.id} cannot be read: ${project.problem}`, {
      code: 'project-unreadable',
      projectId: project.id,
    });
  if (choice.kind === 'preset') return describeProjectNetwork(project, choice.preset);
  const classes = { ...classCountFor(project.labelCount), labelCount: project.labelCount };
  const spec = specFor(choice, inputSpecFor(project.inputSize, project.color), classes.numClasses);
  return describeSpec('custom', spec, 'custom', classes);
}

/** A preset built for a project: its input size and colour, and its labels (10 classes with fewer than two). */
export function describeProjectNetwork(project: ProjectSummary, preset: ModelPresetName): NetworkDescription {
  if (project.problem)
    throw new AppFailure('storage', `Project ${project.id} cannot be read: ${project.problem}`, {
      code: 'project-unreadable',
      projectId: project.id,
    });
  return describeNetwork(preset, inputSpecFor(project.inputSize, project.color), {
    ...classCountFor(project.labelCount),
    labelCount: project.labelCount,
  });
}
