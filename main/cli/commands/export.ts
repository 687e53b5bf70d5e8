import { Command, InvalidArgumentError } from 'commander';
import type { ModelExportFormat, ModelExportResult } from '../../../app/domain/model-export';
import { EXPORT_FORMATS } from '../../services/export/export-service';
import { printResult, ReportedFailure, type CliContext } from '../cli-context';
import { registerCliCommand } from '../run-cli';

function parseFormat(value: string): ModelExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`must be one of ${EXPORT_FORMATS.join(', ')}`);
  }
  return value as ModelExportFormat;
}

function describeExport(r: ModelExportResult): string {
  const p = r.parity;
  const where = p.source === 'synthetic' ? 'synthetic inputs' : `${p.source} images`;
  return [
    `Exported ${r.runName} as ${r.format} to ${r.dir}:`,
    ...r.files.map((f) => `  ${f}`),
    `Parity with the app's predictions on ${p.images} ${where} (batch sizes ${p.batchSizes.join(', ')}): ` +
      `max abs difference ${p.maxAbsDiff.toExponential(2)}, top-1 agreement ${(p.top1Agreement * 100).toFixed(1)} %` +
      ` — ${p.ok ? 'ok' : 'FAILED'}.`,
  ].join('\n');
}

async function exportModel(
  c: CliContext,
  ref: string,
  opts: { run?: string; format: ModelExportFormat; out: string },
): Promise<void> {
  const result = await c.services().modelExport.export(ref, {
    format: opts.format,
    outDir: opts.out,
    ...(opts.run !== undefined ? { run: opts.run } : {}),
  });
  printResult(c, result, () => describeExport(result));
  if (!result.parity.ok) {
    if (!c.json) c.io.err('error: the exported model does not match the app’s predictions.\n');
    throw new ReportedFailure('parity check failed');
  }
}

/** `export PROJECT [--run R] --format onnx|tfjs|native --out DIR`. */
export function exportCommand(ctx: () => CliContext): Command {
  return new Command('export')
    .description(
      "export a trained model (ONNX, TensorFlow.js or CNN Studio's own .cnnmodel) with labels.txt and a model " +
        "card, and check it against the app's own predictions",
    )
    .argument('<project>', 'project id or name')
    .option('--run <run>', "run id or name (default: the project's model)")
    .requiredOption('--format <format>', 'onnx, tfjs or native', parseFormat)
    .requiredOption('--out <dir>', 'a new or empty folder to write into')
    .action((ref: string, opts: { run?: string; format: ModelExportFormat; out: string }) =>
      exportModel(ctx(), ref, opts),
    );
}

registerCliCommand(exportCommand);
