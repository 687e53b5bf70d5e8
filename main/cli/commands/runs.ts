import { Command } from 'commander';
import type { RunDetail, RunSummary } from '../../../app/domain/training';
import { confirmOrFail, printResult, type CliContext } from '../cli-context';
import { parseRunName } from '../parse-options';
import { registerCliCommand } from '../run-cli';
import { count, epochTable, failureText, percent, settingsLines, table } from '../training-text';

/** The run list: `*` marks the project's model. */
export function runsTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'No runs yet.';
  return [
    table(
      ['', 'name', 'status', 'preset', 'epochs', 'best val acc', 'img/s', 'created'],
      runs.map((r) => [
        r.isModel ? '*' : '',
        r.name,
        r.status + (r.resumable ? ' (resumable)' : '') + (r.imported ? ' (imported)' : ''),
        r.preset,
        `${r.epochsDone}/${r.epochsPlanned}`,
        percent(r.bestValAccuracy),
        count(r.imagesPerSecond),
        r.createdAt,
      ]),
      [4, 5, 6],
    ),
    '* the project’s model',
  ].join('\n');
}

function describeRun(r: RunDetail): string {
  const d = r.dataset;
  return [
    `${r.name}  (${r.id})${r.isModel ? '  * the project’s model' : ''}`,
    `status: ${r.status}${r.resumable ? ` (resumable from epoch ${r.checkpointEpoch})` : ''}, ` +
      `${r.epochsDone}/${r.epochsPlanned} epochs, preset ${r.preset}`,
    ...(r.failure ? [`failure: ${failureText(r.failure)}`] : []),
    ...(r.imported
      ? [`imported from ${r.imported.fileName} (${r.imported.format}) at ${r.imported.importedAt}`]
      : []),
    `created ${r.createdAt}, started ${r.startedAt ?? '–'}, finished ${r.finishedAt ?? '–'}`,
    `best validation accuracy ${percent(r.bestValAccuracy)}${r.bestEpoch ? ` (epoch ${r.bestEpoch})` : ''}, ` +
      `kept weights ${percent(r.finalValAccuracy)}, ${count(r.imagesPerSecond)} images/s`,
    `parameters: ${count(r.description.totalParams)}`,
    '',
    'Settings:',
    ...settingsLines(r.settings).map((l) => `  ${l}`),
    '',
    `Dataset: ${d.classNames.length} classes (${d.classNames.join(', ')}); train ${d.train}, val ${d.val}, test ${d.test}`,
    ...(d.leftOutLabels.length ? [`  left out (no training images): ${d.leftOutLabels.join(', ')}`] : []),
    ...(r.epochs.length ? ['', epochTable(r.epochs)] : []),
  ].join('\n');
}

/** `runs list|show|rename|delete|use`. */
export function runsCommand(ctx: () => CliContext): Command {
  const runs = new Command('runs').description(
    "a project's training runs: list, inspect, rename, delete, pick the model",
  );
  const project = (c: CliContext, ref: string) => c.services().projects.resolve(ref).id;

  runs
    .command('list')
    .description('every run of the project, newest first')
    .argument('<project>', 'project id or name')
    .action((ref: string) => {
      const c = ctx();
      const list = c.services().runs.list(project(c, ref));
      printResult(c, list, () => runsTable(list));
    });

  runs
    .command('show')
    .description("a run's settings, dataset and epochs")
    .argument('<project>', 'project id or name')
    .argument('<run>', 'run id or name')
    .action((ref: string, runRef: string) => {
      const c = ctx();
      const s = c.services();
      const projectId = project(c, ref);
      const detail = s.runs.show(projectId, s.runs.resolve(projectId, runRef).id);
      printResult(c, detail, () => describeRun(detail));
    });

  runs
    .command('rename')
    .description('rename a run')
    .argument('<project>', 'project id or name')
    .argument('<run>', 'run id or name')
    .argument('<new-name>', 'the new name', parseRunName)
    .action((ref: string, runRef: string, name: string) => {
      const c = ctx();
      const s = c.services();
      const projectId = project(c, ref);
      const renamed = s.runs.rename(projectId, s.runs.resolve(projectId, runRef).id, name);
      printResult(c, renamed, () => `Renamed to ${renamed.name} (${renamed.id}).`);
    });

  runs
    .command('delete')
    .description('delete a run and its weights and checkpoints (not undoable)')
    .argument('<project>', 'project id or name')
    .argument('<run>', 'run id or name')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, runRef: string, opts: { yes?: boolean }) => {
      const c = ctx();
      const s = c.services();
      const projectId = project(c, ref);
      const run = s.runs.resolve(projectId, runRef);
      await confirmOrFail(c, opts.yes, `Delete run "${run.name}" with its weights? This cannot be undone.`);
      s.runs.delete(projectId, run.id);
      const model = s.runs.modelRun(projectId);
      printResult(
        c,
        {
          deleted: true,
          id: run.id,
          name: run.name,
          model: model ? { id: model.id, name: model.name } : null,
        },
        () =>
          `Deleted ${run.name}.` +
          (run.isModel
            ? ` The project's model is now ${model ? model.name : 'none (no completed run)'}.`
            : ''),
      );
    });

  runs
    .command('use')
    .description("make a run the project's model (--latest: back to the newest completed run)")
    .argument('<project>', 'project id or name')
    .argument('[run]', 'run id or name')
    .option('--latest', 'the newest completed run, the default choice')
    .action((ref: string, runRef: string | undefined, opts: { latest?: boolean }, cmd: Command) => {
      if ((runRef === undefined) === !opts.latest) {
        cmd.error('error: give a RUN or --latest (one of them)', { exitCode: 2, code: 'cnn-studio.usage' });
      }
      const c = ctx();
      const s = c.services();
      const projectId = project(c, ref);
      const model = s.runs.use(projectId, runRef === undefined ? null : s.runs.resolve(projectId, runRef).id);
      printResult(c, model, () =>
        model
          ? `${model.name} is now the project's model${opts.latest ? ' (the newest completed run)' : ''}.`
          : 'The project has no model: no run has completed yet.',
      );
    });

  return runs;
}

registerCliCommand(runsCommand);
