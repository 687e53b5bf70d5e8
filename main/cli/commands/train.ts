import { Command, Option } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelPresetName } from '../../../app/domain/model-description';
import type { InitSource, OptimizerName, RunSummary, TrainingSettings } from '../../../app/domain/training';
import { trainingSettingsSchema } from '../../../app/ipc/channels/training';
import { AppFailure } from '../../../app/ipc/result';
import { inputSpecFor } from '../../services/model-description';
import type { RunOutcome } from '../../services/training/api';
import { classPlan } from '../../services/training/dataset-snapshot';
import { presetSettings } from '../../services/training/settings';
import { commandHint, printResult, ReportedFailure, type CliContext } from '../cli-context';
import {
  parseLearningRate,
  parseOptimizer,
  parsePreset,
  parseRunName,
  readSpecFile,
  wholeNumber,
} from '../parse-options';
import { registerCliCommand } from '../run-cli';
import { createProgressView, type ProgressView } from '../training-progress';
import { count, epochTable, failureText, percent, wordTrainingFailure } from '../training-text';

interface TrainOptions {
  preset?: ModelPresetName;
  spec?: string;
  epochs?: number;
  batch?: number;
  lr?: number;
  optimizer?: OptimizerName;
  seed?: number;
  patience?: number;
  workers?: number;
  name?: string;
  resume?: boolean;
  from?: string;
}

const SETTING_FLAGS = [
  'preset',
  'spec',
  'epochs',
  'batch',
  'lr',
  'optimizer',
  'seed',
  'patience',
  'workers',
  'name',
  'from',
];

/** The project's settings (remembered, else the recommended preset's), then --preset or --spec, then the flags. */
function settingsFor(c: CliContext, projectId: string, o: TrainOptions): TrainingSettings {
  const s = c.services();
  const base = s.training.defaults(projectId).settings;
  let settings: TrainingSettings = o.preset
    ? {
        ...presetSettings(o.preset, o.seed ?? base.seed, classPlan(s.projects.db(projectId)).trainImages),
        workers: base.workers,
      }
    : { ...base };
  if (o.spec !== undefined) {
    const spec = readSpecFile(o.spec);
    const project = s.projects.get(projectId);
    const own = inputSpecFor(project.inputSize, project.color);
    if (spec.input !== undefined && JSON.stringify(spec.input) !== JSON.stringify(own)) {
      c.io.err(
        `note: the spec's input is replaced by the project's (${own.height}×${own.width}×${own.channels}).\n`,
      );
    }
    settings = { ...settings, model: { kind: 'custom', layers: spec.layers } };
  }
  if (o.from !== undefined) settings = { ...settings, initFrom: initSource(c, projectId, o.from) };
  settings = {
    ...settings,
    ...(o.epochs !== undefined ? { epochs: o.epochs } : {}),
    ...(o.batch !== undefined ? { batchSize: o.batch } : {}),
    ...(o.lr !== undefined ? { learningRate: o.lr } : {}),
    ...(o.optimizer !== undefined ? { optimizer: o.optimizer } : {}),
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
    ...(o.patience !== undefined ? { patience: o.patience } : {}),
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
  };
  const checked = trainingSettingsSchema.safeParse(settings);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new AppFailure(
      'invalid-payload',
      `Invalid training settings: ${issue.path.join('.')}: ${issue.message}`,
      { code: 'invalid-training-settings', field: issue.path.join('.') },
    );
  }
  return settings;
}

/** The run `--resume` continues, resumed; a clear failure when there is none. */
function resumeRun(c: CliContext, projectId: string, ref: string): RunSummary {
  const s = c.services();
  const candidate = s.training.resumable(projectId);
  if (!candidate) {
    throw new AppFailure(
      'not-found',
      `Nothing to resume: the project has no paused or interrupted run. Start one with: ${commandHint(c, 'train', ref)}`,
      { code: 'nothing-to-resume' },
    );
  }
  if (!candidate.resumable) {
    throw new AppFailure(
      'not-found',
      `Run ${candidate.name} was interrupted before its first checkpoint, so there is nothing to resume. ` +
        `Start a new run with: ${commandHint(c, 'train', ref)}`,
      { code: 'no-checkpoint', run: candidate.name },
    );
  }
  return s.training.resume(projectId, candidate.id);
}

/** Waits for the run to end; Ctrl-C pauses it (a checkpoint) and fails with how to resume. */
async function waitOrPause(
  c: CliContext,
  projectId: string,
  run: RunSummary,
  ref: string,
  view: ProgressView | null,
): Promise<RunOutcome> {
  const s = c.services();
  const done = s.training.waitFor(projectId, run.id);
  done.catch(() => undefined); // abandoned after Ctrl-C; the services' dispose settles it
  let onSigint = (): void => undefined;
  const interrupted = new Promise<'sigint'>((resolve) => (onSigint = () => resolve('sigint')));
  process.once('SIGINT', onSigint);
  try {
    const first = await Promise.race([done, interrupted]);
    if (first !== 'sigint') return first;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  // Ctrl-C: a second one kills the process (no listener now); the checkpoint of the last epoch survives that.
  view?.log('Pausing (writing a checkpoint)… Ctrl-C again to quit at once.');
  const current = s.runs.show(projectId, run.id);
  if (['completed', 'stopped', 'failed'].includes(current.status)) return done;
  if (current.status === 'queued') {
    await s.training.stop(projectId, run.id);
    throw new AppFailure('cancelled', `Stopped ${current.name} before it started.`, {
      code: 'stopped-before-start',
      run: current.name,
    });
  }
  const paused = await s.training.pause(projectId, run.id);
  const at = paused.checkpointEpoch ? ` (checkpoint after epoch ${paused.checkpointEpoch})` : '';
  throw new AppFailure(
    'cancelled',
    `Paused ${paused.name}${at}. Resume it with: ${commandHint(c, 'train', ref, '--resume')}`,
    { code: 'paused', run: paused.name },
  );
}

/** The `--json` document of a finished run. */
function outcomeJson(outcome: RunOutcome) {
  const r = outcome.run;
  return {
    runId: r.id,
    name: r.name,
    status: r.status,
    resumedFrom: outcome.resumedFrom,
    epochs: r.epochs,
    best: { epoch: r.bestEpoch, valAccuracy: r.bestValAccuracy },
    imagesPerSecond: r.imagesPerSecond,
    finalValAccuracy: r.finalValAccuracy,
    preset: r.preset,
    isModel: r.isModel,
    dataset: r.dataset,
    failure: r.failure,
  };
}

function describeOutcome(outcome: RunOutcome): string {
  const r = outcome.run;
  const lines = [
    `Run ${r.name} ${r.status}: ${r.epochsDone}/${r.epochsPlanned} epochs, best validation accuracy ` +
      `${percent(r.bestValAccuracy)}${r.bestEpoch ? ` (epoch ${r.bestEpoch})` : ''}, ${count(r.imagesPerSecond)} images/s.`,
  ];
  if (outcome.resumedFrom)
    lines.push(`Resumed from the checkpoint after epoch ${outcome.resumedFrom.epoch}.`);
  if (r.epochs.length) lines.push('', epochTable(r.epochs), '');
  const d = r.dataset;
  lines.push(`Classes: ${d.classNames.join(', ')} (train ${d.train}, val ${d.val}, test ${d.test} images).`);
  if (d.leftOutLabels.length) lines.push(`Left out (no training images): ${d.leftOutLabels.join(', ')}.`);
  if (r.failure) lines.push(`Failed: ${failureText(r.failure)}.`);
  if (r.isModel) lines.push(`${r.name} is now the project's model.`);
  return lines.join('\n');
}

async function train(c: CliContext, ref: string, o: TrainOptions): Promise<void> {
  const s = c.services();
  const projectId = s.projects.resolve(ref).id;
  const view = process.stderr.isTTY ? createProgressView(process.stderr) : null;
  let runId: string | null = null;
  const unsubscribe = s.training.subscribe((event) => {
    if (event.payload.projectId === projectId && event.payload.runId === runId) view?.onEvent(event);
  });
  try {
    let run: RunSummary;
    try {
      run = o.resume
        ? resumeRun(c, projectId, ref)
        : s.training.start(projectId, settingsFor(c, projectId, o), o.name);
    } catch (error) {
      throw wordTrainingFailure(error);
    }
    runId = run.id;
    const outcome = await waitOrPause(c, projectId, run, ref, view);
    view?.stop();
    printResult(c, outcomeJson(outcome), () => describeOutcome(outcome));
    const { status, failure } = outcome.run;
    if (status === 'failed' || status === 'interrupted') {
      c.io.err(`error: run ${outcome.run.name} ${status}${failure ? `: ${failureText(failure)}` : ''}\n`);
      throw new ReportedFailure();
    }
  } finally {
    unsubscribe();
    view?.stop();
  }
}

/** --from: a model file when such a file exists, else a run (id or name) of the project. */
function initSource(c: CliContext, projectId: string, ref: string): InitSource {
  const file = path.resolve(ref);
  if (fs.existsSync(file) && fs.statSync(file).isFile()) return { kind: 'file', file };
  return { kind: 'run', runId: c.services().runs.resolve(projectId, ref).id };
}

/** `train PROJECT [settings] | --resume`. */
export function trainCommand(ctx: () => CliContext): Command {
  return new Command('train')
    .description("train a model on the project's labeled images (Ctrl-C pauses; --resume continues)")
    .argument('<project>', 'project id or name')
    .addOption(
      new Option('--preset <name>', 'start from a preset architecture and its settings')
        .argParser(parsePreset)
        .conflicts('spec'),
    )
    .option(
      '--spec <file>',
      'a custom model: JSON { "layers": [...] } without the classifier, or a model spec',
    )
    .option('--epochs <n>', 'epochs (1–1000)', wholeNumber(1, 1000))
    .option('--batch <n>', 'batch size (1–1024)', wholeNumber(1, 1024))
    .option('--lr <x>', 'learning rate', parseLearningRate)
    .option('--optimizer <name>', 'adam, adamw or sgd', parseOptimizer)
    .option('--seed <n>', 'random seed', wholeNumber(0, 2 ** 31 - 1))
    .option(
      '--patience <k>',
      'early stopping after k epochs without a lower validation loss (0: off)',
      wholeNumber(0, 1000),
    )
    .option('--workers <w>', 'worker threads (default: every core)', wholeNumber(1, 256))
    .option('--name <name>', 'name of the run (default run-N)', parseRunName)
    .addOption(
      new Option(
        '--from <run|model-file>',
        'continue training from trained weights: a run of this project or a .cnnmodel file',
      ).conflicts(['preset', 'spec']),
    )
    .addOption(
      new Option(
        '--resume',
        "continue the project's paused or interrupted run from its last checkpoint",
      ).conflicts(SETTING_FLAGS),
    )
    .action((ref: string, opts: TrainOptions) => train(ctx(), ref, opts));
}

registerCliCommand(trainCommand);
