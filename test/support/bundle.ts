/**
 * Bundles a TypeScript entry point into one CommonJS file that plain Node can run (a child process or a worker
 * thread: Node 20 cannot start either from .ts), the way scripts/build-node.mjs builds the app's own bundles.
 */
import { build } from 'esbuild';

export async function bundleForNode(
  entry: string,
  outfile: string,
  external: string[] = [],
): Promise<string> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external,
    logLevel: 'warning',
  });
  return outfile;
}
