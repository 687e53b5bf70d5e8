import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Screenshots of the Evaluate section (a trained run's confusion matrix with one cell's images open, the
 * per-class table and the likely-mislabeled list) in light/dark and en/zh-CN, for the README and review:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/evaluation-screenshots` after `npm run build`.
 * They land in docs/screenshots/evaluate-<theme>[-zh-CN].png; the empty states (no model yet, a split without
 * images) in test-results/screenshots/evaluate-*.png.
 */
const enabled = screenshotsEnabled;
const docsDir = path.join(repoRoot, 'docs', 'screenshots');
const dataset = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small');

describe('evaluate screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes Evaluate screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(docsDir, { recursive: true });
      fs.mkdirSync(reviewDir, { recursive: true });
      for (const { locale, colorScheme } of screenshotCombos) {
        const app = await startApp({ locale, colorScheme, viewport: { width: 1280, height: 1500 } });
        try {
          const { page, services } = app;
          const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
          await services.dataset.importAndWait(project.id, { paths: [dataset] });
          const review = (what: string) =>
            page.screenshot({ path: path.join(reviewDir, `evaluate-${what}-${locale}-${colorScheme}.png`) });

          // Before any run: the empty state that points to Train.
          await page.reload();
          await page.locator('.project-open').first().click();
          await page.locator('.tab').nth(2).click();
          await page.locator('.evaluate-empty .empty-state').waitFor();
          await review('no-model');
          const settings = {
            ...services.training.defaults(project.id).settings,
            model: { kind: 'preset' as const, preset: 'reference' as const },
            epochs: 6,
            seed: 3,
            workers: 1,
          };
          const run = services.training.start(project.id, settings);
          expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
          const report = await services.evaluation.evaluate(project.id, 'test');

          await page.reload();
          await page.locator('.project-open').first().click();
          await page.locator('.tab').nth(2).click();
          const matrix = page.locator('table.confusion');
          await matrix.waitFor();
          // The validation split is empty in this project (train/ and test/ folders).
          await page.locator('.eval-segment').first().click();
          await page.locator('.eval-empty-split').waitFor();
          await page.locator('.mislabeled-row img').first().waitFor();
          await page.waitForTimeout(200);
          await review('empty-split');
          await page.locator('.eval-segment').nth(1).click();
          await matrix.waitFor();
          // Open the biggest mistake by keyboard (the focus ring shows).
          const { matrix: m } = report.confusion;
          let best = { row: 0, col: 1, n: -1 };
          m.forEach((r, row) =>
            r.forEach((n, col) => {
              if (row !== col && n > best.n) best = { row, col, n };
            }),
          );
          await matrix.locator('td[tabindex="0"]').focus();
          for (let i = 0; i < best.row; i++) await page.keyboard.press('ArrowDown');
          for (let i = 0; i < best.col; i++) await page.keyboard.press('ArrowRight');
          await page.keyboard.press('Enter');
          await page.locator('.cell-image img').first().waitFor();
          await page.locator('.mislabeled-row img').first().waitFor();
          await page.waitForTimeout(400);
          const suffix = locale === 'zh-CN' ? '-zh-CN' : '';
          await page.screenshot({ path: path.join(docsDir, `evaluate-${colorScheme}${suffix}.png`) });
          expect(app.problems).toEqual([]);
        } finally {
          await app.close();
        }
      }
    },
    300_000,
  );
});
