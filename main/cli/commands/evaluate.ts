import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import type { EvalSplit, EvaluationReport } from '../../../app/domain/training';
import { AppFailure } from '../../../app/ipc/result';
import { modelRunOf, printResult, type CliContext } from '../cli-context';
import { parseEvalSplit } from '../parse-options';
import { registerCliCommand } from '../run-cli';
import { fixed, percent, table } from '../training-text';

/** The confusion matrix with label names: full names as columns when they fit, else numbered columns. */
export function confusionText(confusion: EvaluationReport['confusion']): string {
  const { labels, matrix } = confusion;
  const cells = matrix.map((row) => row.map(String));
  const widest = Math.max(1, ...cells.flat().map((c) => c.length));
  const named = labels.reduce((n, l) => n + Math.max(l.length, widest) + 2, 0) <= 100;
  const columns = named ? labels : labels.map((_, i) => String(i + 1));
  const rowNames = named ? labels : labels.map((l, i) => `${i + 1} ${l}`);
  return [
    `Confusion matrix (rows: true label, columns: predicted${named ? '' : ', numbered as the rows'}):`,
    table(
      ['', ...columns],
      rowNames.map((name, i) => [name, ...cells[i]]),
      columns.map((_, i) => i + 1),
    ),
  ].join('\n');
}

export function describeReport(report: EvaluationReport, runName: string, source: string): string {
  const lines = [
    `${runName} on ${source}: accuracy ${percent(report.accuracy)} of ${report.count} images ` +
      `(loss ${fixed(report.loss, 4)}, macro F1 ${fixed(report.macroF1, 3)}).`,
  ];
  if (report.unknownLabelCount > 0) {
    lines.push(`${report.unknownLabelCount} images have labels the model does not know (not counted).`);
  }
  lines.push(
    '',
    table(
      ['label', 'precision', 'recall', 'f1', 'support'],
      report.perClass.map((p) => [
        p.label,
        fixed(p.precision, 3),
        fixed(p.recall, 3),
        fixed(p.f1, 3),
        String(p.support),
      ]),
      [1, 2, 3, 4],
    ),
    '',
    confusionText(report.confusion),
  );
  return lines.join('\n');
}

/** Rewords the "unknown class folders" failure with the folder names and the model's classes. */
function unknownFolders(error: unknown, folder: string, classes: string[]): unknown {
  const details = error instanceof AppFailure ? (error.details as { unknownFolders?: unknown }) : undefined;
  if (!Array.isArray(details?.unknownFolders)) return error;
  return new AppFailure(
    'invalid-payload',
    `${folder}: these folders are not classes of the model: ${details.unknownFolders.join(', ')} ` +
      `(its classes: ${classes.join(', ')}).`,
    { ...details, code: 'unknown-class-folders' },
  );
}

async function evaluate(
  c: CliContext,
  cmd: Command,
  ref: string,
  folder: string | undefined,
  opts: { run?: string; split?: EvalSplit },
): Promise<void> {
  if (folder !== undefined && opts.split !== undefined) {
    cmd.error('error: give a FOLDER or --split, not both', { exitCode: 2, code: 'cnn-studio.usage' });
  }
  const s = c.services();
  const { projectId, run } = modelRunOf(c, ref, opts.run);
  let report: EvaluationReport;
  let source: string;
  if (folder !== undefined) {
    const dir = path.resolve(folder);
    if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new AppFailure('not-found', `No such folder: ${dir}`, { code: 'folder-missing', dir });
    }
    source = dir;
    try {
      report = await s.evaluation.evaluateFolder(projectId, dir, run.id);
    } catch (error) {
      throw unknownFolders(error, dir, s.runs.show(projectId, run.id).dataset.classNames);
    }
  } else {
    const split = opts.split ?? 'val';
    source = `the ${split} split`;
    report = await s.evaluation.evaluate(projectId, split, run.id);
  }
  printResult(c, { ...report, runName: run.name }, () => describeReport(report, run.name, source));
}

/** `evaluate PROJECT [FOLDER] [--run R] [--split val|test]`. */
export function evaluateCommand(ctx: () => CliContext): Command {
  return new Command('evaluate')
    .description(
      "a model's accuracy, per-class precision, recall and F1 and confusion matrix on a split, or on a " +
        'class-per-folder tree (not imported)',
    )
    .argument('<project>', 'project id or name')
    .argument('[folder]', 'a folder of class folders named like the labels')
    .option('--run <run>', "run id or name (default: the project's model)")
    .option('--split <split>', 'val (default), test or train', parseEvalSplit)
    .action(
      (ref: string, folder: string | undefined, opts: { run?: string; split?: EvalSplit }, cmd: Command) =>
        evaluate(ctx(), cmd, ref, folder, opts),
    );
}

registerCliCommand(evaluateCommand);
