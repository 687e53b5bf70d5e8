import { runCli } from '../../main/cli/run-cli';
import '../../main/cli/register-commands';

/** Runs the CLI in process over `dataDir` and captures what it printed. */
export async function runCliCaptured(dataDir: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['--data-dir', dataDir, ...args], {
    out: (s) => (out += s),
    err: (s) => (err += s),
  });
  return { code, out, err, json: () => JSON.parse(out) };
}
