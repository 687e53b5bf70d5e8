import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Screenshots of the Train section in light/dark and en/zh-CN, for the README and review:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/training-screenshots` after `npm run build`.
 * The settings, the layer editor explaining a layer that does not fit, a paused run and a finished one watched
 * live (batch samples and epoch figures), and two runs compared land in test-results/screenshots/train-*.png;
 * docs/screenshots/train-<view>-<theme>[-zh-CN].png get the progress and the settings.
 */
const enabled = screenshotsEnabled;
const docsDir = path.join(repoRoot, 'docs', 'screenshots');
const source = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');

/** Clicks a Train sub-view by its position (Settings, Progress, Runs, Network) and removes focus rings. */
async function view(page: Page, index: number): Promise<void> {
  await page.locator('.training-tabs .tab').nth(index).click();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

describe('train screenshots', () => {
  it.skipIf(!enabled)(
    enabled ? 'takes Train screenshots in light/dark and en/zh-CN' : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(docsDir, { recursive: true });
      fs.mkdirSync(reviewDir, { recursive: true });
      for (const { locale, colorScheme } of screenshotCombos) {
        const app = await startApp({ locale, colorScheme, viewport: { width: 1280, height: 1000 } });
        try {
          const { page, services } = app;
          const zh = locale === 'zh-CN';
          const project = services.projects.create({
            name: zh ? '服装分类' : 'Fashion',
            inputSize: 28,
            color: 'gray',
          });
          await services.dataset.importAndWait(project.id, { paths: [source] });
          const base = `${zh ? 'zh-CN' : 'en'}-${colorScheme}`;
          const review = (what: string) =>
            page.screenshot({ path: path.join(reviewDir, `train-${what}-${base}.png`) });
          const docs = (what: string) =>
            page.screenshot({
              path: path.join(docsDir, `train-${what}-${colorScheme}${zh ? '-zh-CN' : ''}.png`),
            });

          // A first run, trained without the page watching (its curves come from the stored epochs).
          const defaults = services.training.defaults(project.id).settings;
          const first = services.training.start(
            project.id,
            { ...defaults, model: { kind: 'preset', preset: 'reference' }, epochs: 8, seed: 2, workers: 1 },
            'baseline',
          );
          expect((await services.training.waitFor(project.id, first.id)).run.status).toBe('completed');

          await page.reload();
          await page.locator('.project-open').first().click();
          await page.locator('.tab').nth(1).click();
          await page.locator('[data-testid="augment-grid"] canvas').nth(23).waitFor();
          // Augmentation on, to show the preview doing something.
          await page.locator('.train-field.checkbox input').check();
          await page.locator('[data-field="shift"]').fill('3');
          await page.locator('[data-field="brightness"]').fill('0.2');
          await page.waitForTimeout(900);
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await review('settings');
          await docs('settings');

          // The layer editor with a layer that does not fit.
          await page.locator('.train-network-card .train-actions .button').first().click();
          // The settings remember the first run's preset (reference): its second convolution reads 14×14 maps,
          // where a 15×15 kernel without padding does not fit.
          const conv = page.locator('[data-testid="editor-layer-4"]');
          await conv.waitFor();
          await conv.locator('select').selectOption('valid');
          await conv.locator('[data-field$="-kernel"]').fill('15');
          await page.locator('.layer-editor .error-message').waitFor();
          await page.waitForTimeout(300);
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await page.locator('.train-network-card').scrollIntoViewIfNeeded();
          await review('editor');

          // Back to the reference preset; a second run watched live, paused halfway, then finished.
          await page.locator('.train-network-card select').first().selectOption('reference');
          await page.locator('[data-field="epochs"]').fill('20');
          await page.locator('[data-field="learningRate"]').fill('0.002');
          await page.locator('[data-action="train"]').click();
          const rows = page.locator('[data-testid="epoch-table"] tbody tr');
          await rows.nth(3).waitFor({ timeout: 60_000 });
          await page.locator('[data-action="pause"]').click();
          await page.locator('[data-action="resume"]').waitFor();
          await page.waitForTimeout(400);
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await page.mouse.move(0, 0);
          await review('paused');
          await page.locator('[data-action="resume"]').click();
          await page.locator('.train-notice.success').waitFor({ timeout: 60_000 });
          await page.waitForTimeout(500);
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await review('progress');
          await docs('progress');

          // Both runs compared.
          await view(page, 2);
          await page.locator('.run-table input[type=checkbox]').nth(0).check();
          await page.locator('.run-table input[type=checkbox]').nth(1).check();
          await page.locator('.train-card-header .button.primary').click();
          await page.locator('[data-testid="compare-table"]').waitFor();
          await page.waitForTimeout(400);
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          await review('runs');
          await docs('runs');
        } finally {
          await app.close();
        }
      }
    },
    300_000,
  );
});
