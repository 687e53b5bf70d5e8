import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** The built renderer (vite build). */
export const rendererDir = path.join(repoRoot, 'out', 'renderer');
/** The built e2e bridge (scripts/build-node.mjs). */
export const bridgeScript = path.join(repoRoot, 'out', 'test-bridge', 'bridge.js');
/** Where failed tests leave screenshots and console logs. */
export const artifactsDir = path.join(repoRoot, 'test-results', 'e2e');
/** The Debian Chromium the harness drives (override with CNN_STUDIO_CHROMIUM). */
export const chromiumPath = process.env.CNN_STUDIO_CHROMIUM ?? '/usr/bin/chromium';

/** Throws a clear error when the app has not been built, instead of a blank page later. */
export function assertBuilt(): void {
  const missing = [path.join(rendererDir, 'index.html'), bridgeScript].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `The e2e tests need a built app, but ${missing.map((f) => path.relative(repoRoot, f)).join(' and ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} missing. Run \`npm run build\` first (\`npm test\` does).`,
    );
  }
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}; install Debian's chromium or set CNN_STUDIO_CHROMIUM.`);
  }
}

/** A file-name-safe version of a test name. */
export function slug(text: string): string {
  return (
    text
      .replace(/[^a-zA-Z0-9-_]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 100) || 'test'
  );
}
