/** `cnn-studio embed PROJECT [--run R] [--method pca|umap] --out FILE.csv` (issue 11): the dataset map as CSV. */
import { Command, InvalidArgumentError } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetMapMethod } from '../../../app/domain/dataset-map';
import { AppFailure } from '../../../app/ipc/result';
import { writeFileAtomic } from '../../services/prediction/batch-output';
import { modelRunOf, printResult, type CliContext } from '../cli-context';
import { registerCliCommand } from '../run-cli';

interface EmbedOptions {
  run?: string;
  method: DatasetMapMethod;
  out: string;
}

function parseMethod(value: string): DatasetMapMethod {
  if (value !== 'pca' && value !== 'umap') throw new InvalidArgumentError('must be pca or umap');
  return value;
}

async function embed(c: CliContext, ref: string, opts: EmbedOptions): Promise<void> {
  const started = performance.now();
  const s = c.services();
  const { projectId, run } = modelRunOf(c, ref, opts.run);
  const file = path.resolve(opts.out);
  if (!fs.statSync(path.dirname(file), { throwIfNoEntry: false })?.isDirectory())
    throw new AppFailure('not-found', `No such folder: ${path.dirname(file)}`, {
      code: 'folder-missing',
      dir: path.dirname(file),
    });
  const map = await s.datasetMap.computeAndWait(projectId, { runId: run.id, method: opts.method });
  writeFileAtomic(file, s.datasetMap.csv(projectId, map));
  const result = {
    file,
    count: map.count,
    method: map.method,
    runId: map.runId,
    millis: Math.round(performance.now() - started),
  };
  printResult(
    c,
    result,
    () =>
      `Wrote the ${map.method.toUpperCase()} map of ${map.count} images (run ${run.name}) to ${file} ` +
      `in ${(result.millis / 1000).toFixed(1)} s.`,
  );
}

/** `embed PROJECT [--run R] [--method pca|umap] --out FILE.csv`. */
export function embedCommand(ctx: () => CliContext): Command {
  return new Command('embed')
    .description(
      "a 2-D map of every image from the model's penultimate-layer embeddings (UMAP or PCA, seeded; cached per " +
        'run), as CSV: imageId, file, label, x, y',
    )
    .argument('<project>', 'project id or name')
    .option('--run <run>', "run id or name (default: the project's model)")
    .option('--method <method>', 'umap (default) or pca (quicker)', parseMethod, 'umap' as DatasetMapMethod)
    .requiredOption('--out <file>', 'the CSV file to write')
    .action((ref: string, opts: EmbedOptions) => embed(ctx(), ref, opts));
}

registerCliCommand(embedCommand);
