import type { Services } from '../services/services';

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
