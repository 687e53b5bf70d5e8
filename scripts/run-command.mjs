// Child processes for the figure-printing scripts (photo-accuracy.mjs, cluster-roundtrip.mjs).
import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs a command; resolves with its stdout and wall time in seconds, streaming each stderr line through `onErr`;
 * rejects with the end of stderr when it exits non-zero.
 */
export function runCommand(cmd, argv, { cwd, onErr = () => undefined } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => {
      err += d;
      for (const line of String(d).split('\n')) if (line.trim()) onErr(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0)
        reject(
          new Error(`${path.basename(cmd)} ${argv.join(' ')} exited ${code}: ${err.trim().slice(-2000)}`),
        );
      else resolve({ out, seconds });
    });
  });
}

/** `cnn-studio --data-dir DATA --json ...` through the entry `cli`: the parsed JSON and the wall time. */
export function cnnStudioRunner(cli, dataDir) {
  return async (cliArgs) => {
    const { out, seconds } = await runCommand(process.execPath, [
      cli,
      '--data-dir',
      dataDir,
      '--json',
      ...cliArgs,
    ]);
    try {
      return { json: JSON.parse(out), seconds };
    } catch {
      throw new Error(`cnn-studio ${cliArgs.join(' ')}: no JSON on stdout: ${out.slice(0, 300)}`);
    }
  };
}
