import { Command } from 'commander';
import fs from 'node:fs';
import type { ModelPresetName } from '../../../app/domain/model-description';
import type { TrainingPackageResult, TrainingPackageSource } from '../../../app/domain/training-package';
import { AppFailure } from '../../../app/ipc/result';
import { commandHint, printResult, shellWord, type CliContext } from '../cli-context';
import { parsePreset } from '../parse-options';
import { registerCliCommand } from '../run-cli';

interface ExportTrainingOptions {
  run?: string;
  preset?: ModelPresetName;
  spec?: string;
  out: string;
}

/** `--spec FILE`'s contents: JSON, checked against the project by the service. */
function readSpecJson(file: string): TrainingPackageSource {
  const fail = (why: string): never => {
    throw new AppFailure('invalid-payload', `--spec ${file}: ${why}`, { code: 'bad-spec-file', file });
  };
  let text = '';
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  try {
    return { kind: 'spec', spec: JSON.parse(text) };
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
}

function describePackage(c: CliContext, project: string, r: TrainingPackageResult): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const dir = shellWord(r.dir);
  return [
    `Wrote a training package to ${r.dir} (${(r.bytes / 1e6).toFixed(1)} MB):`,
    ...r.files.map((f) => `  ${f}`),
    `Model: ${r.modelName}, ${n(r.totalParams)} parameters; ${r.classNames.length} classes: ${r.classNames.join(', ')}.`,
    `Images: ${n(r.counts.train)} train, ${n(r.counts.val)} val, ${n(r.counts.test)} test.`,
    ...(r.leftOutLabels.length ? [`Left out (no training images): ${r.leftOutLabels.join(', ')}.`] : []),
    '',
    'Train it on this machine:',
    `  cd ${dir} && ${r.command}`,
    'On several processes or GPUs (see README.md for multi-node and Slurm):',
    `  cd ${dir} && torchrun --standalone --nproc_per_node 2 train.py`,
    'Bring the trained model back:',
    `  ${commandHint(c, 'import-model', project, `${r.dir}/output/model.cnnmodel`)}`,
  ].join('\n');
}

async function exportTraining(c: CliContext, project: string, o: ExportTrainingOptions): Promise<void> {
  const source: TrainingPackageSource =
    o.run !== undefined
      ? { kind: 'run', runId: o.run }
      : o.preset !== undefined
        ? { kind: 'preset', preset: o.preset }
        : o.spec !== undefined
          ? readSpecJson(o.spec)
          : { kind: 'settings' };
  const result = await c.services().trainingPackage.export(project, { source, outDir: o.out });
  printResult(c, result, () => describePackage(c, project, result));
}

/** `export-training PROJECT [--run R | --preset P | --spec FILE] --out DIR`. */
export function exportTrainingCommand(ctx: () => CliContext): Command {
  const cmd = new Command('export-training')
    .description(
      'write a self-contained PyTorch training package (dataset, training.json, model.py, train.py, README) to ' +
        'train the project on another machine or a cluster with torchrun',
    )
    .argument('<project>', 'project id or name')
    .option('--run <run>', "a run's id or name: its network, settings and images")
    .option('--preset <preset>', 'a preset with its recommended settings', parsePreset)
    .option(
      '--spec <file>',
      'a JSON model spec (input and classes must fit the project) or { "layers": [...] }',
    )
    .requiredOption('--out <dir>', 'a new or empty folder to write into')
    .action((project: string, opts: ExportTrainingOptions) => {
      const given = (['run', 'preset', 'spec'] as const).filter((k) => opts[k] !== undefined);
      if (given.length > 1)
        cmd.error(
          `error: give at most one of --run, --preset and --spec (got ${given.map((k) => `--${k}`).join(', ')})`,
          {
            exitCode: 2,
            code: 'cnn-studio.usage',
          },
        );
      return exportTraining(ctx(), project, opts);
    });
  return cmd;
}

registerCliCommand(exportTrainingCommand);
