import { Command } from 'commander';
import path from 'node:path';
import type { ImportModelResult } from '../../../app/domain/training-package';
import { printResult, type CliContext } from '../cli-context';
import { parseRunName } from '../parse-options';
import { registerCliCommand } from '../run-cli';
import { percent } from '../training-text';

function describeImport(r: ImportModelResult): string {
  const run = r.run;
  const format = r.format === 'cnnmodel' ? 'CNN Studio’s format' : 'ONNX';
  return [
    `Imported ${run.imported?.fileName ?? 'the model'} (${format}) as run ${run.name} (${run.id}).`,
    `labels: ${r.labels.join(', ')}`,
    r.metricsFile
      ? `epochs: ${r.epochs} from ${r.metricsFile}; best validation accuracy ${percent(run.bestValAccuracy)}` +
        `${run.bestEpoch ? ` (epoch ${run.bestEpoch})` : ''}, kept weights ${percent(run.finalValAccuracy)}`
      : `epochs: no metrics.jsonl beside the file (the model file says ${run.epochsPlanned}); ` +
        `validation accuracy ${percent(run.finalValAccuracy)}`,
    run.isModel
      ? "It is now the project's model."
      : "The project's model is still another run (`cnn-studio runs use` picks one).",
  ].join('\n');
}

/** `import-model PROJECT FILE [--name NAME]`. */
export function importModelCommand(ctx: () => CliContext): Command {
  return new Command('import-model')
    .description(
      'bring a model trained elsewhere back as a run of the project: a .cnnmodel (e.g. a training package’s ' +
        'output/model.cnnmodel) or an ONNX file of layers CNN Studio runs; metrics.jsonl beside it is imported too',
    )
    .argument('<project>', 'project id or name')
    .argument('<file>', 'the model file (.cnnmodel, a run’s final.model, or .onnx)')
    .option('--name <name>', 'name of the new run (default run-N)', parseRunName)
    .action((ref: string, file: string, opts: { name?: string }) => {
      const c = ctx();
      const s = c.services();
      const projectId = s.projects.resolve(ref).id;
      const result = s.modelImport.importModel(projectId, path.resolve(file), { name: opts.name });
      printResult(c, result, () => describeImport(result));
    });
}

registerCliCommand(importModelCommand);
