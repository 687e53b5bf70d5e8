import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { artifactsDir, slug } from './paths';
import { startApp, type E2eApp, type StartOptions } from './harness';

/**
 * Registers hooks that start a fresh app before each test and, after it, save a screenshot and the console log
 * of a failed test under test-results/e2e/ and fail any test during which the page threw or broke the CSP.
 * Returns a getter for the current test's app.
 */
export function useE2eApp(options: StartOptions | (() => StartOptions) = {}): () => E2eApp {
  let app: E2eApp | undefined;
  beforeEach(async () => {
    app = await startApp(typeof options === 'function' ? options() : options);
  });
  afterEach(async (context) => {
    const current = app;
    app = undefined;
    if (!current) return;
    const failed = context.task.result?.state === 'fail';
    const problems = [...current.problems];
    try {
      const name = context.task.fullName ?? context.task.name;
      if (failed || problems.length > 0) {
        const png = await current.saveArtifacts(name);
        console.error(`e2e: screenshot and console log of "${context.task.name}" saved next to ${png}`);
      } else {
        // A pass clears what an earlier failed run of this test left, so the folder shows only current failures.
        for (const ext of ['.png', '.log'])
          fs.rmSync(path.join(artifactsDir, slug(name) + ext), { force: true });
      }
    } finally {
      await current.close();
    }
    if (problems.length > 0) {
      throw new Error(`The page reported errors or CSP violations:\n${problems.join('\n')}`);
    }
  });
  return () => {
    if (!app) throw new Error('No app: call the getter inside a test');
    return app;
  };
}
