/** The training package's README.md (issue 15): the project's facts, the settings and the exact commands. */
import { describe, expect, it } from 'vitest';
import { TRAINING_PACKAGE_VERSION, type TrainingPackageFile } from '../../../app/domain/training-package';
import { packageReadme } from '../../../main/services/training-package/package-readme';
import { layoutParams } from '../../../native-workers/cnn/params';
import { planModel } from '../../../native-workers/cnn/plan';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { presetSettings } from '../../../main/services/training/settings';

const spec = presetSpec('medium', { height: 96, width: 96, channels: 3 }, 3);
const file: TrainingPackageFile = {
  format: 'cnn-studio-training-package',
  version: TRAINING_PACKAGE_VERSION,
  appVersion: '1.2.3',
  createdAt: '2026-11-28T07:00:00.000Z',
  project: { id: 'p1', name: 'Birds | "wild"' },
  source: { kind: 'run', runId: 'r9', runName: 'night run' },
  modelName: 'medium',
  spec,
  classNames: ['crow', 'jay', 'wren'],
  settings: presetSettings('medium'),
  training: {
    epochs: 20,
    batchSize: 32,
    learningRate: 0.001,
    optimizer: { type: 'adamw', weightDecay: 0.05 },
    schedule: { type: 'cosine', minLr: 1e-5 },
    warmupSteps: 200,
    clipGradNorm: 5,
    augmentation: { flipHorizontal: true, maxShift: 6, brightness: 0.1 },
    seed: 4,
    patience: 3,
  },
  dataset: {
    manifest: 'dataset/manifest.csv',
    tensors: 'dataset/tensors.u8',
    input: { height: 96, width: 96, channels: 3 },
    counts: { train: 900, val: 100, test: 120 },
  },
};

describe('packageReadme', () => {
  const md = packageReadme(file);

  it('states the project, classes, counts, model and its parameter count (computed from the spec when not given)', () => {
    const params = layoutParams(planModel(spec)).paramCount;
    expect(md).toContain('# Birds | "wild": training package');
    expect(md).toContain('| Classes | 3: crow, jay, wren |');
    expect(md).toContain('| Images | 900 training, 100 validation, 120 test |');
    expect(md).toContain(`| Model | medium, ${params.toLocaleString('en-US')} learned parameters`);
    expect(packageReadme({ ...file, totalParams: 12 })).toContain('| Model | medium, 12 learned parameters');
    expect(md).toContain('run "night run" (r9)');
  });

  it('lists the settings with the flag that overrides each', () => {
    expect(md).toContain('| Epochs | 20 | `--epochs` |');
    expect(md).toContain('| Optimizer | AdamW (β1 0.9, β2 0.999, ε 1e-8, weight decay 0.05) |');
    expect(md).toContain('| Schedule | cosine down to 0.00001 at the last step |');
    expect(md).toContain('| Warm-up | 200 steps, linear from 0 | `--warmup-steps` |');
    expect(md).toContain('| Gradient clipping | global L2 norm ≤ 5 | `--clip` |');
    expect(md).toContain('| Augmentation | horizontal flip, shift ±6 px (zero fill), brightness ±0.1 |');
    expect(md).toContain('after 3 epochs without a lower validation loss');
  });

  it('gives the exact commands for one machine, GPUs, a cluster, Slurm and the way back', () => {
    for (const command of [
      'python3 train.py\n',
      'torchrun --standalone --nproc_per_node 4 train.py',
      'torchrun --nnodes 2 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29500',
      '#SBATCH --nodes=2',
      'srun torchrun --nnodes "$SLURM_NNODES"',
      'cnn-studio import-model "Birds | \\"wild\\"" output/model.cnnmodel',
    ])
      expect(md).toContain(command);
    expect(md).toContain('--sync-bn');
    expect(md).toContain('--from-images');
    expect(md).toMatch(/Not bit for bit/);
  });
});
