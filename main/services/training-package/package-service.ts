/**
 * `export-training`: writes a training package (see app/domain/training-package.ts for the layout) for a project:
 * the dataset a run would train on, training.json with the resolved recipe, model.py generated from the spec, the
 * static train.py and its helpers, and a README. Written all at once (package-folder.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  TRAINING_PACKAGE_VERSION,
  type TrainingPackageFile,
  type TrainingPackageProgress,
  type TrainingPackageResult,
  type TrainingPackageSource,
} from '../../../app/domain/training-package';
import { describeModel } from '../../../native-workers/cnn/describe-model';
import { inputSpecFor } from '../model-description';
import type { ProjectStore } from '../project-store';
import type { RunsApi } from '../training/api';
import type { TrainingService } from '../training/training-service';
import { generateModelPy } from './model-py';
import { writePackageDataset } from './package-dataset';
import { writeFolderAtomically } from './package-folder';
import { packageReadme } from './package-readme';
import { packageRecipe } from './package-recipe';
import { resolvePackageSource } from './package-source';
import { PYTHON_FILES, pythonFilesDir } from './python-files';

export interface TrainingPackageDeps {
  projects: ProjectStore;
  training: TrainingService;
  runs: RunsApi;
  version: string;
}

export interface TrainingPackageRequest {
  source: TrainingPackageSource;
  outDir: string;
  onProgress?(p: Omit<TrainingPackageProgress, 'projectId' | 'exportId'>): void;
  /** Tests only: throws after the dataset is written, to check that a failure leaves nothing. */
  failAfterDataset?: boolean;
}

/** The command that trains a package on one machine, run from its folder. */
export const TRAIN_COMMAND = 'python3 train.py';

export class TrainingPackageService {
  constructor(private readonly deps: TrainingPackageDeps) {}

  async export(projectRef: string, request: TrainingPackageRequest): Promise<TrainingPackageResult> {
    const { projects, training, runs } = this.deps;
    const project = projects.resolve(projectRef);
    const db = projects.db(project.id);
    const input = inputSpecFor(project.inputSize, project.color);
    const plan = resolvePackageSource(
      {
        db,
        repo: training.repo(project.id),
        input,
        currentSettings: () => training.defaults(project.id).settings,
        resolveRun: (ref) => runs.resolve(project.id, ref).id,
      },
      request.source,
    );
    const pythonDir = pythonFilesDir(); // before writing: a broken installation fails at once
    const report = request.onProgress ?? (() => undefined);
    const total = plan.images.length;
    const totalParams = describeModel(plan.spec).totalParams;

    const { target, value } = await writeFolderAtomically(request.outDir, async (root) => {
      const dataset = await writePackageDataset(
        db,
        projects.projectDir(project.id),
        root,
        plan,
        input,
        (done) => report({ stage: 'dataset', done, total }),
      );
      if (request.failAfterDataset) throw new Error('injected failure after the dataset (test)');
      report({ stage: 'files', done: total, total });
      const file: TrainingPackageFile = {
        format: 'cnn-studio-training-package',
        version: TRAINING_PACKAGE_VERSION,
        appVersion: this.deps.version,
        createdAt: new Date().toISOString(),
        project: { id: project.id, name: project.name },
        source: plan.source,
        modelName: plan.modelName,
        spec: plan.spec,
        classNames: plan.classNames,
        settings: plan.settings,
        training: packageRecipe(plan.settings, dataset.counts.train),
        dataset: {
          manifest: 'dataset/manifest.csv',
          tensors: 'dataset/tensors.u8',
          input: { height: input.height, width: input.width, channels: input.channels },
          counts: dataset.counts,
        },
      };
      let bytes = dataset.bytes;
      const put = (name: string, text: string) => {
        fs.writeFileSync(path.join(root, name), text, { flag: 'wx' });
        bytes += Buffer.byteLength(text);
      };
      put('training.json', JSON.stringify(file, null, 2) + '\n');
      put('model.py', generateModelPy(plan.spec, { appVersion: this.deps.version }));
      for (const name of PYTHON_FILES) put(name, fs.readFileSync(path.join(pythonDir, name), 'utf8'));
      put('README.md', packageReadme({ ...file, totalParams }));
      return { file, bytes };
    });
    report({ stage: 'done', done: total, total });
    const splits = (['train', 'val', 'test'] as const).filter((s) => value.file.dataset.counts[s] > 0);
    return {
      dir: target,
      files: [
        'training.json',
        'model.py',
        ...PYTHON_FILES,
        'README.md',
        'dataset/manifest.csv',
        'dataset/tensors.u8',
        ...splits.map((s) => `dataset/${s}/…`),
      ],
      modelName: value.file.modelName,
      classNames: value.file.classNames,
      leftOutLabels: plan.leftOutLabels,
      counts: value.file.dataset.counts,
      totalParams,
      bytes: value.bytes,
      command: TRAIN_COMMAND,
    };
  }
}
