import { Command, InvalidArgumentError } from 'commander';
import {
  MODEL_PRESETS,
  type ModelPresetName,
  type NetworkDescription,
} from '../../../app/domain/model-description';
import { PROJECT_LIMITS } from '../../../app/domain/project';
import {
  classCountFor,
  describeNetwork,
  describeProjectNetwork,
  inputSpecFor,
  listPresets,
} from '../../services/model-description';
import { printResult, type CliContext } from '../cli-context';
import { parseColor, parsePreset, parseSize } from '../parse-options';
import { registerCliCommand } from '../run-cli';

function parseClasses(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 10_000)
    throw new InvalidArgumentError('must be a whole number from 2 to 10000');
  return n;
}

const num = (n: number) => n.toLocaleString('en-US');
const shape = (s: readonly number[]) => s.join('×');

/** The description as a plain-text table: one row per layer, then the totals and the parameter-sharing saving. */
export function formatNetwork(d: NetworkDescription): string {
  const { input } = d.spec;
  const rows = d.description.layers.map((l) => [
    String(l.index + 1),
    l.label,
    shape(l.outputShape),
    num(l.params),
  ]);
  const header = ['#', 'layer', 'output (C×H×W)', 'params'];
  const all = [header, ['', 'input', shape(d.description.input), ''], ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const fc = d.description.totalFullyConnectedParams;
  const total = d.description.totalParams;
  const classes =
    d.classesFrom === 'labels'
      ? `${d.spec.numClasses} classes (the project's labels)`
      : `${d.spec.numClasses} classes`;
  return [
    `Preset ${d.preset}: ${input.height}×${input.width}×${input.channels} input, ${classes}`,
    '',
    line(header),
    ...all.slice(1).map(line),
    '',
    `Total parameters: ${num(total)}`,
    `Multiply-adds per image: ${num(d.description.totalMacs)}`,
    `Parameter sharing: with fully connected layers instead of convolutions it would need ${num(fc)} parameters ` +
      `(${fc / total < 10 ? (fc / total).toFixed(1) : num(Math.round(fc / total))}× as many).`,
  ].join('\n');
}

/** `model presets|describe`: the preset architectures, layer by layer. */
export function modelCommand(ctx: () => CliContext): Command {
  const model = new Command('model').description('the preset network architectures, layer by layer');

  model
    .command('presets')
    .description('list the preset architectures')
    .action(() => {
      const c = ctx();
      const list = listPresets();
      printResult(c, list, () => list.presets.map((p) => `${p.name.padEnd(10)} ${p.description}`).join('\n'));
    });

  model
    .command('describe')
    .description("describe a preset's layers: output shapes, parameters, parameter sharing")
    .option('--preset <name>', `one of ${MODEL_PRESETS.join(', ')}`, parsePreset)
    .option('--project <project>', "use a project's input size, colour and labels (id or name)")
    .option('--size <px>', 'input size in pixels (square)', parseSize)
    .option('--color <mode>', 'gray or rgb', parseColor)
    .option('--classes <n>', 'number of classes', parseClasses)
    .action(
      (opts: {
        preset?: ModelPresetName;
        project?: string;
        size?: number;
        color?: 'gray' | 'rgb';
        classes?: number;
      }) => {
        const c = ctx();
        let described: NetworkDescription;
        if (opts.project !== undefined) {
          const store = c.services().projects;
          const project = store.get(store.resolve(opts.project).id);
          const preset = opts.preset ?? listPresets(project.inputSize).recommended;
          const overridden = {
            ...project,
            inputSize: opts.size ?? project.inputSize,
            color: opts.color ?? project.color,
          };
          described =
            opts.classes !== undefined
              ? describeNetwork(preset, inputSpecFor(overridden.inputSize, overridden.color), {
                  numClasses: opts.classes,
                  classesFrom: 'default',
                  labelCount: project.labelCount,
                })
              : describeProjectNetwork(overridden, preset);
        } else {
          const size = opts.size ?? PROJECT_LIMITS.defaultInputSize;
          const preset = opts.preset ?? listPresets(size).recommended;
          const classes =
            opts.classes !== undefined
              ? { numClasses: opts.classes, classesFrom: 'default' as const }
              : classCountFor(0);
          described = describeNetwork(preset, inputSpecFor(size, opts.color ?? 'gray'), classes);
        }
        printResult(c, described, () => formatNetwork(described));
      },
    );

  return model;
}

registerCliCommand(modelCommand);
