/**
 * The settings an imported run records: the package's own (training.json's `settings`) when the model came from a
 * training package, else the defaults of the preset whose architecture the model has, else the project's
 * recommended preset's defaults with the model's layers as a custom choice. The architecture named is always the
 * model's: a preset only when the spec is exactly that preset's for this input and class count.
 */
import type { ModelPresetName } from '../../../app/domain/model-description';
import { MODEL_PRESETS } from '../../../app/domain/model-description';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { TrainingSettings } from '../../../app/domain/training';
import type { TrainingPackageFile } from '../../../app/domain/training-package';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { recommendedPreset } from '../model-description';
import { presetSettings } from '../training/settings';
import { sameLayers } from './canonical-layers';

/** The preset whose spec this is (for the model's input and classes), or null. */
export function presetOfSpec(spec: ModelSpec): ModelPresetName | null {
  for (const name of MODEL_PRESETS) {
    try {
      if (sameLayers(presetSpec(name, spec.input, spec.numClasses).layers, spec.layers)) return name;
    } catch {
      // a preset that does not fit this input size
    }
  }
  return null;
}

export function importedSettings(
  spec: ModelSpec,
  epochs: number,
  pkg: TrainingPackageFile | null,
): { settings: TrainingSettings; preset: ModelPresetName | 'custom' } {
  const preset = presetOfSpec(spec);
  const base = pkg?.settings ?? presetSettings(preset ?? recommendedPreset(spec.input.height));
  const { initFrom: _initFrom, ...rest } = base;
  const model: TrainingSettings['model'] = preset
    ? { kind: 'preset', preset }
    : { kind: 'custom', layers: spec.layers.slice(0, -1).map((l) => ({ ...l })) };
  return { settings: { ...rest, model, epochs: Math.max(1, epochs) }, preset: preset ?? 'custom' };
}
