import { z } from 'zod';
import { MODEL_PRESETS, type ModelPresetList, type NetworkDescription } from '../../domain/network';
import { invoke } from '../define';

const projectId = z.string().regex(/^[a-z0-9-]{1,64}$/, 'not a project id');
const preset = z.enum(MODEL_PRESETS);

/** Invoke channels of the training domain. */
export const trainingChannels = {
  /** The preset architectures; `recommended` suits the project's input size (28 px images without a project). */
  'model:presets': invoke<ModelPresetList>()(z.object({ projectId: projectId.optional() }).strict()),
  /**
   * A preset built for the project's input size and colour and its number of labels (10 with fewer than two),
   * described layer by layer.
   */
  'model:describe': invoke<NetworkDescription>()(z.object({ projectId, preset }).strict()),
} as const;
