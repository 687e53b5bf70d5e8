import { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { AppFailure } from '../../../app/ipc/result';
import { CNN_MODEL_EXTENSION } from '../../../native-workers/cnn/model-file';
import type { FilePrediction } from '../../services/prediction/predict-files';
import { PredictionService, type PredictionSource } from '../../services/prediction/prediction-service';
import { findAppRoot, workersDirFor } from '../../storage/app-paths';
import { modelRunOf, printResult, ReportedFailure, type CliContext } from '../cli-context';
import { wholeNumber } from '../parse-options';
import { registerCliCommand } from '../run-cli';
import { percent, table } from '../training-text';

interface PredictOptions {
  run?: string;
  top?: number;
}

/** A path as the user sees it: relative to the working folder when inside it. */
function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** file → top-1 label and probability; failures with their reason. */
export function predictionTable(predictions: FilePrediction[], model: string): string {
  const done = predictions.filter((p) => 'top' in p).length;
  const failed = predictions.length - done;
  if (predictions.length === 0) return 'No image files found.';
  const rows = predictions.map((p) =>
    'top' in p
      ? [shown(p.file), p.top[0]?.label ?? '', percent(p.top[0]?.probability ?? 0)]
      : [shown(p.file), 'error:', p.error],
  );
  return [
    table(['file', 'predicted', 'probability'], rows),
    '',
    `${done} image${done === 1 ? '' : 's'} predicted${failed ? `, ${failed} could not be read` : ''} (${model}).`,
  ].join('\n');
}

async function predict(
  c: CliContext,
  cmd: Command,
  ref: string,
  inputs: string[],
  opts: PredictOptions,
): Promise<void> {
  const asFile = fs.statSync(ref, { throwIfNoEntry: false });
  // Project names hold no path separators: such a reference (or a *.cnnmodel one) is a model file that is missing.
  if (!asFile && (/[/\\]/.test(ref) || ref.toLowerCase().endsWith(CNN_MODEL_EXTENSION)))
    throw new AppFailure('not-found', `No such model file: ${path.resolve(ref)}`, {
      code: 'model-file-missing',
      file: path.resolve(ref),
    });
  let service: PredictionService;
  let source: PredictionSource;
  let modelName: string;
  if (asFile?.isFile()) {
    // A model file needs no project and no data folder: the services (which create it) are never built.
    if (opts.run !== undefined)
      cmd.error('error: --run needs a PROJECT, not a model file', { exitCode: 2, code: 'cnn-studio.usage' });
    service = new PredictionService(workersDirFor(findAppRoot()));
    source = { modelFile: ref };
    modelName = path.basename(ref);
  } else {
    const s = c.services();
    const { projectId, run } = modelRunOf(c, ref, opts.run);
    service = new PredictionService(s.config.workersDir, s);
    source = { projectId, runId: run.id };
    modelName = `run ${run.name}`;
  }
  try {
    const predictions = await service.predictFiles(source, inputs, { topK: opts.top ?? 5 });
    printResult(c, { predictions }, () => predictionTable(predictions, modelName));
    if (!predictions.some((p) => 'top' in p)) {
      if (!c.json) c.io.err('error: no image could be predicted\n');
      throw new ReportedFailure();
    }
  } finally {
    await service.dispose();
  }
}

/** `predict PROJECT|MODEL_FILE FILE|FOLDER... [--run R] [--top K]`. */
export function predictCommand(ctx: () => CliContext): Command {
  return new Command('predict')
    .description(
      "classifies image files and folders (walked recursively) with a project's model or a model file " +
        '(.cnnmodel, or a run’s final.model; no project or data folder needed)',
    )
    .argument('<source>', 'project id or name, or a model file')
    .argument('<paths...>', 'image files and folders')
    .option('--run <run>', "run id or name (default: the project's model)")
    .option('--top <k>', 'classes per image, best first (default 5)', wholeNumber(1, 1000))
    .action((ref: string, inputs: string[], opts: PredictOptions, cmd: Command) =>
      predict(ctx(), cmd, ref, inputs, opts),
    );
}

registerCliCommand(predictCommand);
