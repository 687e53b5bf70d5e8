import readline from 'node:readline/promises';
import { runCli } from './run-cli';
import './register-commands';

/** The `cnn-studio` binary: process streams in, exit code out. */
async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    confirm: process.stdin.isTTY
      ? async (question) => {
          const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
          const answer = await rl.question(`${question} [y/N] `);
          rl.close();
          return /^y(es)?$/i.test(answer.trim());
        }
      : undefined,
  });
  process.exitCode = code;
}

void main();
