/**
 * README.md of a training package (issue 15): what the package holds, the recipe train.py follows, the exact
 * commands for one machine, several GPUs, a multi-node cluster and Slurm, how the model comes back into CNN Studio,
 * and what is and is not bit-for-bit identical with training in the app.
 */
import type { TrainingPackageFile } from '../../../app/domain/training-package';
import { layoutParams } from '../../../native-workers/cnn/params';
import { planModel } from '../../../native-workers/cnn/plan';

/** What the README is written from: training.json's contents (and the parameter count, else computed). */
export type PackageReadmeInfo = TrainingPackageFile & { totalParams?: number };

/** A markdown table cell: pipes and line breaks would break the table. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function optimizerText(t: TrainingPackageFile['training']): string {
  const o = t.optimizer;
  if (o.type === 'sgd') {
    const parts = [`momentum ${o.momentum ?? 0}`, ...(o.nesterov ? ['Nesterov'] : [])];
    return `SGD (${parts.join(', ')}, weight decay ${o.weightDecay ?? 0})`;
  }
  const wd = o.weightDecay ?? (o.type === 'adamw' ? 0.01 : 0);
  const name = o.type === 'adamw' ? 'AdamW' : 'Adam';
  return `${name} (β1 ${o.beta1 ?? 0.9}, β2 ${o.beta2 ?? 0.999}, ε ${o.epsilon ?? 1e-8}, weight decay ${wd})`;
}

function scheduleText(t: TrainingPackageFile['training']): string {
  const s = t.schedule;
  if (s.type === 'step') return `step: × ${s.gamma} every ${s.everyEpochs} epochs`;
  if (s.type === 'cosine') return `cosine down to ${s.minLr ?? 0} at the last step`;
  return 'constant';
}

function augmentationText(t: TrainingPackageFile['training']): string {
  const a = t.augmentation;
  const parts = [
    ...(a.flipHorizontal ? ['horizontal flip'] : []),
    ...(a.maxShift ? [`shift ±${a.maxShift} px (zero fill)`] : []),
    ...(a.brightness ? [`brightness ±${a.brightness}`] : []),
    ...(a.contrast ? [`contrast 1 ± ${a.contrast}`] : []),
  ];
  return parts.length ? parts.join(', ') : 'none';
}

function sourceText(info: PackageReadmeInfo): string {
  const s = info.source;
  if (s.kind === 'run') return `the settings of run "${s.runName}" (${s.runId})`;
  if (s.kind === 'preset') return `the ${s.preset} preset's recommended settings`;
  if (s.kind === 'spec') return "a model spec file, with the project's training settings";
  return "the project's current training settings";
}

/** The package's README.md. */
export function packageReadme(info: PackageReadmeInfo): string {
  const t = info.training;
  const { input, counts } = info.dataset;
  const totalParams = info.totalParams ?? layoutParams(planModel(info.spec)).paramCount;
  const color = input.channels === 3 ? 'RGB' : 'gray';
  const settings: [string, string, string][] = [
    ['Epochs', String(t.epochs), '--epochs'],
    [
      'Batch size',
      `${t.batchSize} (one optimizer step, split across the processes)`,
      '--batch-size, --batch-scope',
    ],
    ['Optimizer', optimizerText(t), '--optimizer, --weight-decay'],
    ['Learning rate', String(t.learningRate), '--lr'],
    ['Schedule', scheduleText(t), ''],
    ['Warm-up', t.warmupSteps ? `${t.warmupSteps} steps, linear from 0` : 'none', '--warmup-steps'],
    ['Gradient clipping', t.clipGradNorm === null ? 'off' : `global L2 norm ≤ ${t.clipGradNorm}`, '--clip'],
    ['Augmentation', augmentationText(t), ''],
    ['Seed', String(t.seed), '--seed'],
    [
      'Early stopping',
      t.patience > 0
        ? `after ${t.patience} epochs without a lower validation loss, keeping the best epoch`
        : 'off',
      '--patience',
    ],
  ];
  const lines = [
    `# ${info.project.name}: training package`,
    '',
    `Exported by CNN Studio ${info.appVersion} on ${info.createdAt} from ${sourceText(info)}. Train the project's`,
    'network with PyTorch (DistributedDataParallel) on this machine, on several GPUs or on a cluster, then bring the',
    'model back into CNN Studio.',
    '',
    '| | |',
    '|---|---|',
    `| Model | ${cell(info.modelName)}, ${totalParams.toLocaleString('en-US')} learned parameters (\`model.py\`) |`,
    `| Input | ${input.width}×${input.height} ${color} (${input.channels} × ${input.height} × ${input.width}, pixel / 255) |`,
    `| Classes | ${info.classNames.length}: ${info.classNames.map(cell).join(', ')} |`,
    `| Images | ${counts.train} training, ${counts.val} validation, ${counts.test} test |`,
    '',
    '## Settings',
    '',
    'train.py follows `training.json` (`training`), the recipe of the app; each flag overrides one setting.',
    '',
    '| Setting | Value | Flag |',
    '|---|---|---|',
    ...settings.map(([k, v, f]) => `| ${k} | ${cell(v)} | ${f ? `\`${f}\`` : ''} |`),
    '',
    'Other flags: `--workers N` (data loader processes per process), `--sync-bn` (batch norm statistics over all',
    'processes), `--from-images` (decode `dataset/<split>/<class>/` with Pillow instead of `dataset/tensors.u8`;',
    'images added to those folders are trained on too), `--device auto|cpu|cuda`, `--backend auto|gloo|nccl`,',
    '`--out DIR`, `--resume`. `python3 train.py --help` lists them all.',
    '',
    '## Install',
    '',
    '```sh',
    'python3 -m venv .venv && . .venv/bin/activate',
    'pip install -r requirements.txt   # for GPUs, install the CUDA build of torch first (pytorch.org)',
    '```',
    '',
    'Pillow is only needed for `--from-images`.',
    '',
    '## Train',
    '',
    'From this folder. One process (CPU, or the first GPU):',
    '',
    '```sh',
    'python3 train.py',
    '```',
    '',
    'Several processes on one machine (gloo on CPU; on a machine with GPUs, one process per GPU over nccl):',
    '',
    '```sh',
    'torchrun --standalone --nproc_per_node 4 train.py',
    'torchrun --standalone --nproc_per_node 8 train.py   # 8 GPUs',
    '```',
    '',
    'A multi-node cluster: run the same command on every node (HOST is the first node, reachable from the others):',
    '',
    '```sh',
    'torchrun --nnodes 2 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29500 train.py',
    '```',
    '',
    'Slurm (`sbatch train.sbatch`; one torchrun per node; a requeued job resumes from its checkpoint):',
    '',
    '```sh',
    '#!/bin/bash',
    '#SBATCH --job-name=cnn-studio',
    '#SBATCH --nodes=2',
    '#SBATCH --ntasks-per-node=1',
    '#SBATCH --gpus-per-node=8',
    '#SBATCH --cpus-per-task=16',
    '#SBATCH --time=04:00:00',
    'cd "$SLURM_SUBMIT_DIR"',
    'HEAD=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
    'RESUME=$([ -f output/checkpoint.pt ] && echo --resume)',
    'srun torchrun --nnodes "$SLURM_NNODES" --nproc_per_node 8 --rdzv_backend c10d \\',
    '  --rdzv_endpoint "$HEAD:29500" --rdzv_id "$SLURM_JOB_ID" train.py $RESUME',
    '```',
    '',
    "PyTorch 1.13 under Python 3.11 (e.g. Debian 12's python3-torch): its torchrun fails with",
    "`'NoneType' object has no attribute 'get'`; add `--redirects 1 --tee 1` after `torchrun` (fixed in PyTorch 2.0).",
    '',
    'A checkpoint is written after every epoch (`output/checkpoint.pt`); `python3 train.py --resume` (same flags)',
    'continues at the next epoch, exactly where an uninterrupted run would be.',
    '',
    '## Outputs (`output/`)',
    '',
    '| File | |',
    '|---|---|',
    "| `model.cnnmodel` | the final model in CNN Studio's format (the best epoch's weights with early stopping) |",
    '| `model.onnx` | the same model as ONNX (opset 13, input `image` [N, C, H, W] in 0–1, output `probabilities`) |',
    '| `metrics.jsonl` | one JSON object per epoch: epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, seconds, imagesPerSecond, learningRate |',
    "| `eval.json` | PyTorch's evaluation of the final model: accuracy, count, loss and split (test, else val) |",
    '| `checkpoint.pt` | model, optimizer, epoch, step, best epoch and history, for `--resume` |',
    '',
    '## Bring the model back',
    '',
    '```sh',
    `cnn-studio import-model "${info.project.name.replace(/(["\\$`])/g, '\\$1')}" output/model.cnnmodel`,
    '```',
    '',
    'or drop `output/model.cnnmodel` (or `model.onnx`) on the project in CNN Studio. The imported run takes its epoch',
    'metrics from `output/metrics.jsonl` and can predict, be evaluated, inspected and exported like any other run.',
    '',
    '## Identical with the app, and not',
    '',
    'The same: the architecture, parameter order and initialisation scheme (`model.py`), the input pixels',
    "(`dataset/tensors.u8` holds the app's decoded images), the split, and the recipe: optimizer semantics, weight",
    'decay on conv/dense weights only, the learning-rate schedule and warm-up, global-norm clipping, the',
    'augmentation operations, steps per epoch (the last batch may be partial), and early stopping on the validation',
    'loss.',
    '',
    'Not bit for bit:',
    '',
    "- Random numbers: initial weights, shuffling, augmentation and dropout come from PyTorch's and NumPy's",
    "  generators, not the app's (the same scheme, other values), so accuracies differ by run-to-run noise.",
    "- Floating-point summation order (PyTorch's kernels, the gradient all-reduce) differs from the app's.",
    '- Batch norm: each process normalises with the statistics of its own share of the batch, and the running',
    '  statistics are those of process 0, unless `--sync-bn` computes them over the whole batch.',
    "- Batch size: by default the app's batch is split across the processes (when it does not divide, each process",
    '  takes the rounded-up share and the step sees a few more images). `--batch-scope per-process` gives every',
    "  process the whole batch: N times the app's batch per step, so fewer steps per epoch; scale `--lr` and",
    '  `--warmup-steps` yourself.',
    '- With N processes an epoch may repeat up to N − 1 training images, so that every process takes the same',
    "  number of batches (PyTorch's DistributedSampler).",
    "- `--from-images` decodes with Pillow (Lanczos resampling), not with the app's sharp/libvips: close, not",
    '  identical pixels.',
    '',
  ];
  return lines.join('\n');
}
