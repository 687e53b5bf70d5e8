/** Shared setup of the training tests: real services over a temp folder, a project with Fashion-MNIST PNGs. */
import fs from 'node:fs';
import path from 'node:path';
import { deserializeModel } from '../../../native-workers/cnn/serialize';
import type { TrainingSettings } from '../../../app/domain/training';
import { presetSettings } from '../../../main/services/training/settings';
import type { Services } from '../../../main/services/services';

export const SMALL_SET = path.resolve(__dirname, '../../../../shared/datasets/fashion-mnist-small');

/** Creates a 28 px gray project and imports the small Fashion-MNIST train folders (500 images, 80/10/10). */
export async function projectWithImages(services: Services, name: string, folder = 'train'): Promise<string> {
  const project = services.projects.create({ name, inputSize: 28, color: 'gray' });
  await services.dataset.importAndWait(project.id, { paths: [path.join(SMALL_SET, folder)] });
  return project.id;
}

/** Quick settings: the given preset, a few epochs, 2 workers, a fixed seed. */
export function quickSettings(overrides: Partial<TrainingSettings> = {}): TrainingSettings {
  return { ...presetSettings('small', 7), epochs: 3, workers: 2, ...overrides };
}

/** The kept weights (params and batchnorm state) of a run's final model file. */
export function finalWeights(dataDir: string, projectId: string, runId: string, file = 'final.model') {
  const bytes = fs.readFileSync(path.join(dataDir, 'projects', projectId, 'runs', runId, file));
  const { model } = deserializeModel(new Uint8Array(bytes), { batchSize: 1 });
  return { params: model.params.slice(), state: model.state.slice() };
}
