/**
 * The CLI as a real child process (bin/cnn-studio.js over the bundle `node scripts/build-node.mjs` writes to out/),
 * for the fault tests that kill it or watch it fail the way a user would see it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
export const CLI_BIN = path.join(root, 'bin', 'cnn-studio.js');

export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Fails with how to fix it when the CLI bundle is missing (the tests run the built CLI, not the sources). */
export function assertCliBuilt(): void {
  if (!fs.existsSync(path.join(root, 'out', 'cli', 'index.js')))
    throw new Error('out/cli is missing: run `node scripts/build-node.mjs` before these tests');
}

/** Starts `cnn-studio --data-dir DIR ...args`; `done` settles when it exits (or is killed). */
export function startCli(dataDir: string, args: string[]) {
  const child = spawn(process.execPath, [CLI_BIN, '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<CliExit>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Runs the CLI to its end. */
export function runCli(dataDir: string, args: string[]): Promise<CliExit> {
  return startCli(dataDir, args).done;
}

/** A seeded random number generator (mulberry32): the same seed gives the same kill moments on every machine. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
