import { Command, CommanderError } from 'commander';
import path from 'node:path';
import { AppFailure } from '../../app/ipc/result';
import { storageFailure } from '../storage/storage-failure';
import { createServices, type Services } from '../services/services';
import { appVersion, findAppRoot, workersDirFor } from '../storage/app-paths';
import { defaultDataDir } from '../storage/default-data-dir';
import { ReportedFailure, type CliContext, type CliIo } from './cli-context';
import { projectCommand } from './commands/project';

/** Exit codes: 0 ok, 1 a failure the message explains, 2 bad usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** Extra commands registered by features (import, train, predict, export). */
export type CommandFactory = (ctx: () => CliContext) => Command;
const extraCommands: CommandFactory[] = [];

/** Lets a feature add its command to the CLI. */
export function registerCliCommand(factory: CommandFactory): void {
  extraCommands.push(factory);
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code; never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let services: Services | undefined;
  let context: CliContext | undefined;
  const program = new Command('cnn-studio')
    .description('CNN Studio, headless: projects, datasets, training, prediction and export')
    .option('--data-dir <dir>', 'data folder (default: the desktop app’s)')
    .option('--json', 'print machine-readable JSON');
  const appRoot = findAppRoot();
  program.version(appVersion(appRoot));

  const ctx = (): CliContext => {
    if (context) return context;
    const opts = program.opts<{ dataDir?: string; json?: boolean }>();
    const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
    context = {
      io,
      json: Boolean(opts.json),
      services: () =>
        (services ??= createServices({
          dataDir,
          workersDir: workersDirFor(appRoot),
          mediaBaseUrl: '',
          version: appVersion(appRoot),
        })),
    };
    return context;
  };

  program.addCommand(projectCommand(ctx));
  for (const factory of extraCommands) program.addCommand(factory(ctx));
  // Commands built with `new Command` do not inherit these settings, so apply them to the whole tree.
  const configure = (command: Command): void => {
    command
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
      .showHelpAfterError();
    command.commands.forEach(configure);
  };
  configure(program);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return reportError(error, program.opts<{ json?: boolean }>().json === true, io);
  } finally {
    await services?.dispose();
  }
}

function reportError(error: unknown, json: boolean, io: CliIo): number {
  if (error instanceof ReportedFailure) return EXIT.failure;
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.ok;
    if (json) io.out(JSON.stringify({ error: { code: 'usage', message: error.message } }) + '\n');
    return EXIT.usage;
  }
  // A full disk or a read-only data folder is said plainly, not as 'internal'.
  const known = error instanceof AppFailure ? error : storageFailure(error);
  const failure = known
    ? { code: known.code, message: known.message }
    : { code: 'internal', message: error instanceof Error ? error.message : String(error) };
  if (json) io.out(JSON.stringify({ error: failure }, null, 2) + '\n');
  io.err(`error: ${failure.message}\n`);
  return EXIT.failure;
}
