import { AppFailure } from '../../app/ipc/result';
import type { RunSummary } from '../../app/domain/training';
import type { Services } from '../services/services';
import { defaultDataDir } from '../storage/default-data-dir';

/** Where the CLI writes; tests pass buffers, the binary passes process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  confirm?(question: string): Promise<boolean>;
}

/** What every command gets: global options and lazily built services. */
export interface CliContext {
  io: CliIo;
  json: boolean;
  services(): Services;
}

/** Prints a command's result: JSON when --json, else the human text. */
export function printResult(ctx: CliContext, value: unknown, human: () => string): void {
  ctx.io.out(ctx.json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}

/**
 * Thrown by a command that has already printed its result for a failure (a failed run's report): the CLI exits
 * with 1 and prints nothing more, so `--json` output stays one document.
 */
export class ReportedFailure extends Error {
  constructor(message = 'failure already reported') {
    super(message);
    this.name = 'ReportedFailure';
  }
}

/** A shell word: as is when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A `cnn-studio ...` command line to suggest, with `--data-dir` when this run used a non-default one. */
export function commandHint(ctx: CliContext, ...args: string[]): string {
  const dataDir = ctx.services().config.dataDir;
  const global = dataDir === defaultDataDir() ? [] : ['--data-dir', dataDir];
  return ['cnn-studio', ...global, ...args].map(shellWord).join(' ');
}

/** Asks before a destructive step unless `yes`; fails clearly when there is no terminal to ask on. */
export async function confirmOrFail(
  ctx: CliContext,
  yes: boolean | undefined,
  question: string,
): Promise<void> {
  if (yes) return;
  const asked = ctx.io.confirm ? await ctx.io.confirm(question) : undefined;
  if (asked === undefined)
    throw new AppFailure(
      'invalid-payload',
      'Deleting needs confirmation: pass --yes when not on a terminal.',
      { code: 'confirmation-needed' },
    );
  if (!asked) throw new AppFailure('cancelled', 'Not deleted.', { code: 'not-deleted' });
}

/**
 * The project and run a model command uses: `--run` (id or name), else the project's model. Without a trained
 * model it fails with `no-model` and the command that trains one.
 */
export function modelRunOf(
  ctx: CliContext,
  ref: string,
  runRef?: string,
): { projectId: string; run: RunSummary } {
  const s = ctx.services();
  const projectId = s.projects.resolve(ref).id;
  const run = runRef !== undefined ? s.runs.resolve(projectId, runRef) : s.runs.modelRun(projectId);
  if (!run)
    throw new AppFailure(
      'not-found',
      `The project has no trained model yet. Train one with: ${commandHint(ctx, 'train', ref)}`,
      { code: 'no-model' },
    );
  return { projectId, run };
}
