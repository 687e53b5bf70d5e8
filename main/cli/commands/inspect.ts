import { Command } from 'commander';
import type { InspectIndex } from '../../services/inspect/inspect-files';
import { modelRunOf, printResult, type CliContext } from '../cli-context';
import { registerCliCommand } from '../run-cli';
import { percent } from '../training-text';

interface InspectOptions {
  run?: string;
  class?: string;
  out: string;
}

function describeFiles(index: InspectIndex, dir: string, runName: string, millis: number): string {
  const top = index.prediction.top[0];
  return [
    `Inspected with run ${runName} in ${Math.round(millis)} ms: ${top ? `${top.label} (${percent(top.probability)})` : ''}.`,
    `Wrote into ${dir}:`,
    ...index.files.map((f) => `  ${f.file.padEnd(16)} layer ${f.layer} ${f.type} ${f.shape.join('×')}`),
    '  index.json',
    `Grad-CAM of ${index.gradcamClass}.`,
  ].join('\n');
}

async function inspect(c: CliContext, ref: string, image: string, opts: InspectOptions): Promise<void> {
  const s = c.services();
  const { projectId, run } = modelRunOf(c, ref, opts.run);
  const { dir, index, inspection } = await s.inspect.inspectToFolder(
    projectId,
    { runId: run.id },
    image,
    opts.out,
    opts.class,
  );
  // --json: exactly index.json on stdout
  printResult(c, index, () => describeFiles(index, dir, run.name, inspection.millis));
}

/** `inspect PROJECT IMAGE [--run R] [--class LABEL] --out DIR`. */
export function inspectCommand(ctx: () => CliContext): Command {
  return new Command('inspect')
    .description(
      "look inside a trained model on one image: every convolution's filters, the feature maps of every " +
        'convolution and pooling layer, and the Grad-CAM overlay, as PNGs with an index.json',
    )
    .argument('<project>', 'project id or name')
    .argument('<image>', 'an image file')
    .option('--run <run>', "run id or name (default: the project's model)")
    .option('--class <label>', 'explain this class with Grad-CAM (default: the predicted one)')
    .requiredOption('--out <dir>', 'a new or empty folder to write into')
    .action((ref: string, image: string, opts: InspectOptions) => inspect(ctx(), ref, image, opts));
}

registerCliCommand(inspectCommand);
