import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_SMALL } from './support/flows';
import { startApp } from './support/harness';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Review screenshots of label suggestions (issue 11) in the Dataset view: the grid with suggested and real labels
 * and the suggestions bar, the least-confident order, the accept-all confirmation, a "suggested as" label, and
 * the stale notice, progress and a failure, in light/dark and en/zh-CN: `CNN_STUDIO_SCREENSHOTS=1 npx vitest run
 * test/e2e/suggestions-screenshots` after `npm run build`. They land in test-results/screenshots/suggestions-*.png.
 */
const enabled = screenshotsEnabled;
const train = path.join(FASHION_SMALL, 'train');

function copyPngs(label: string, from: number, n: number, to: (file: string, i: number) => string): void {
  const files = fs
    .readdirSync(path.join(train, label))
    .sort()
    .slice(from, from + n);
  files.forEach((f, i) => fs.copyFileSync(path.join(train, label, f), to(f, i)));
}

describe('suggestions screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes suggestions screenshots in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-suggestion-shots-'));
      const classes = fs.readdirSync(train).sort();
      const labeled = path.join(temp, 'labeled');
      const fresh = path.join(temp, 'fresh');
      const later = path.join(temp, 'later');
      for (const dir of [fresh, later]) fs.mkdirSync(dir);
      for (const label of classes) {
        fs.mkdirSync(path.join(labeled, label), { recursive: true });
        copyPngs(label, 0, 30, (f) => path.join(labeled, label, f));
        copyPngs(label, 40, 3, (_f, i) => path.join(fresh, `${label.toLowerCase()}-${i}.png`));
        copyPngs(label, 45, 1, (_f, i) => path.join(later, `later-${label.toLowerCase()}-${i}.png`));
      }
      const baseData = path.join(temp, 'base');
      try {
        // One trained project with suggestions, copied for each language × theme (the stale shot changes it).
        const setup = await startApp({ dataDir: baseData });
        try {
          const { services } = setup;
          const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
          await services.dataset.importAndWait(project.id, { paths: [labeled] });
          await services.dataset.importAndWait(project.id, { paths: [fresh] });
          const settings = {
            ...services.training.defaults(project.id).settings,
            model: { kind: 'preset' as const, preset: 'reference' as const },
            epochs: 3,
            seed: 7,
            workers: 1,
          };
          const run = services.training.start(project.id, settings);
          expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
          const deadline = Date.now() + 60_000;
          while (services.suggestions.status(project.id).state !== 'ready' && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
          }
          expect(services.suggestions.status(project.id).count).toBe(classes.length * 3);
        } finally {
          await setup.close();
        }

        for (const { locale, colorScheme } of screenshotCombos) {
          const dataDir = path.join(temp, `${locale}-${colorScheme}`);
          fs.cpSync(baseData, dataDir, { recursive: true });
          const app = await startApp({
            dataDir,
            locale,
            colorScheme,
            viewport: { width: 1280, height: 800 },
          });
          const shot = (what: string) =>
            app.page.screenshot({
              path: path.join(reviewDir, `suggestions-${what}-${locale}-${colorScheme}.png`),
            });
          try {
            const { page, services } = app;
            const projectId = services.projects.list()[0].id;
            await page.locator('.project-open').first().click();
            const grid = page.getByRole('grid');
            await grid.getByRole('gridcell').first().waitFor();
            // Newest first: the unlabeled images with their suggestions, then labeled ones.
            await page.locator('.sort-direction').click();
            await page.locator('.suggestions-bar').waitFor();
            await page.waitForTimeout(300);
            await grid.getByRole('gridcell').nth(2).click();
            await page.waitForTimeout(200);
            await shot('grid');
            // Where the suggested images end and the labeled ones begin: dashed suggestions beside solid labels.
            await grid.evaluate((el) => {
              const row = el.querySelector('[role="row"]')?.getBoundingClientRect().height ?? 170;
              el.scrollTop = row * 4.6;
            });
            await page.waitForTimeout(400);
            await shot('grid-mixed');
            await grid.evaluate((el) => (el.scrollTop = 0));

            await page.locator('.suggestion-filters .filter-item').first().click();
            await page.locator('.suggestion-filters .filter-item').first().hover();
            await page.waitForTimeout(400);
            await shot('least-confident');

            await page.locator('.suggestions-number input').fill('40');
            await page.locator('.suggestions-bar .button.primary').click();
            await page.getByRole('alertdialog').waitFor();
            await page.waitForTimeout(200);
            await shot('confirm');
            await page.keyboard.press('Escape');

            const select = page.locator('.suggested-as select');
            const firstLabel = await select.locator('option').nth(1).getAttribute('value');
            await select.selectOption(firstLabel ?? '');
            await page.waitForTimeout(500);
            await shot('suggested-as');

            await services.dataset.importAndWait(projectId, { paths: [later] });
            await page.locator('.suggestions-stale').waitFor();
            await page.waitForTimeout(200);
            await shot('stale');

            // Running and failed, pushed as main pushes them (a real refresh of 40 images ends before a picture).
            const status = services.suggestions.status(projectId);
            const emit = (channel: string, payload: unknown) =>
              page.evaluate(([c, p]) => window.__desktopEmit?.(c, p), [channel, payload] as const);
            await emit('suggestions:progress', { projectId, done: 1234, total: 10000 });
            await page.locator('.suggestions-progress').waitFor();
            await shot('running');
            await emit('suggestions:finished', {
              ...status,
              state: 'failed',
              error: { code: 'inference-failed', detail: 'The inference worker exited with code 1.' },
            });
            await page.locator('.suggestions-failed').waitFor();
            await page.locator('.suggestions-detail summary').click();
            await shot('failed');
          } finally {
            await app.close();
          }
        }
      } finally {
        fs.rmSync(temp, { recursive: true, force: true });
      }
    },
    400_000,
  );
});
