import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { EvaluationReport, RunSummary, TrainingStatusEvent } from '../../app/domain/training';
import type { DesktopApi } from '../../app/ipc/contract';
import type { Services } from '../../main/services/services';
import { useE2eApp } from './support/e2e-test';
import { waitForCount } from './support/flows';
import { repoRoot } from './support/paths';

/**
 * The Evaluate section in Chromium against the real main handlers: the empty state before any model, a quick
 * training run started through the bridge (`desktop.training.start`, completion seen as a `training:status`
 * event in the page), the confusion matrix, a cell's images relabeled in place (keyboard and label menu) with the
 * label checked in the database and the matrix moving the image, undo, the likely-mislabeled list fixed in one key
 * press, and the Dataset grid's "misclassified" filter.
 */

/** 500 training and 200 test images in train/ and test/ folders (so no validation split). */
const dataset = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small');

async function poll<T>(what: string, read: () => T | Promise<T>, ok: (v: T) => boolean, timeout = 20_000) {
  const deadline = Date.now() + timeout;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/** Starts a short run from the page through the bridge and resolves when the page sees it complete. */
async function trainInPage(page: Page, projectId: string): Promise<RunSummary> {
  return page.evaluate(async (id) => {
    // The bridge's window.desktop (typed in the renderer's bridge module, which this test does not import).
    const api = (window as unknown as { desktop: DesktopApi }).desktop;
    const defaults = await api.training.defaults({ projectId: id });
    if (!defaults.ok) throw new Error(defaults.error.message);
    const settings = {
      ...defaults.value.settings,
      model: { kind: 'preset' as const, preset: 'reference' as const },
      epochs: 3,
      batchSize: 32,
      optimizer: 'adam' as const,
      learningRate: 0.002,
      seed: 7,
      workers: 1,
    };
    const completed = new Promise<void>((resolve, reject) => {
      const off = api.on('training:status', (event: TrainingStatusEvent) => {
        if (event.projectId !== id) return;
        if (event.status === 'completed') {
          off();
          resolve();
        } else if (event.status === 'failed' || event.status === 'stopped') {
          off();
          reject(new Error(`run ${event.status}: ${JSON.stringify(event.failure)}`));
        }
      });
    });
    const started = await api.training.start({ projectId: id, settings });
    if (!started.ok) throw new Error(started.error.message);
    await completed;
    return started.value;
  }, projectId);
}

async function openSection(page: Page, project: string, section: string): Promise<void> {
  await page.reload();
  await page.getByRole('button', { name: `Open ${project}` }).click();
  await page.getByRole('heading', { level: 1, name: project }).waitFor();
  await page.getByRole('tab', { name: section }).click();
}

function labelOf(services: Services, projectId: string, imageId: number): string | null {
  return services.dataset.imageDetails(projectId, imageId).labelName;
}

/** The first off-diagonal cell with images, scanning rows from the top. */
function firstMistake(report: EvaluationReport): { row: number; col: number; count: number } {
  const { matrix } = report.confusion;
  for (let row = 0; row < matrix.length; row++)
    for (let col = 0; col < matrix.length; col++)
      if (row !== col && matrix[row][col] > 0) return { row, col, count: matrix[row][col] };
  throw new Error('the model made no mistake on the test split');
}

describe('evaluate section (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp({ viewport: { width: 1280, height: 1000 } });

  it('evaluates a trained run, relabels from a confusion cell and from the mislabeled list, with undo', async () => {
    const { page, services } = app();
    const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    const projectId = project.id;
    await services.dataset.importAndWait(projectId, { paths: [dataset] });
    const labels = services.dataset.listLabels(projectId);
    expect(labels).toHaveLength(10);

    // No model yet: the empty state, whose button goes to the Train section.
    await openSection(page, 'Fashion', 'Evaluate');
    await page.getByRole('heading', { name: 'No trained model yet' }).waitFor();
    await page.getByRole('button', { name: 'Go to Train' }).click();
    await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();

    // A quick run through the bridge; the page hears training:status completed.
    const run = await trainInPage(page, projectId);
    const model = services.runs.modelRun(projectId);
    expect(model?.id).toBe(run.id);

    // Evaluate: the test split is shown first (this project has no validation images).
    await page.getByRole('tab', { name: 'Evaluate' }).click();
    const matrix = page.getByRole('grid', { name: 'Confusion matrix' });
    await matrix.waitFor();
    expect(await page.getByRole('radio', { name: 'Test' }).isChecked()).toBe(true);
    const report = await services.evaluation.evaluate(projectId, 'test');
    expect(report.count).toBe(200);
    expect(await page.getByTestId('eval-count').locator('.eval-stat-value').textContent()).toBe('200');
    expect(await page.getByTestId('eval-accuracy').locator('.eval-stat-value').textContent()).toBe(
      `${Math.round(report.accuracy * 1000) / 10}%`,
    );
    // Rows and columns carry the model's class names; every cell shows the report's count.
    expect(await matrix.getByRole('rowheader').allTextContents()).toEqual(report.confusion.labels);
    const cellTexts = await matrix.locator('td.confusion-cell').allTextContents();
    expect(cellTexts.map(Number)).toEqual(report.confusion.matrix.flat());
    // The per-class table has a row per class with its support.
    const classRows = page.locator('table.class-metrics tbody tr');
    await waitForCount(classRows, 10);
    expect(await classRows.first().locator('td').last().textContent()).toBe(
      String(report.perClass[0].support),
    );

    // The validation split is empty: said so, with no matrix.
    const segments = page.locator('.eval-segments');
    await segments.getByText('Validation', { exact: true }).click();
    await page.getByRole('heading', { name: 'No labeled images in Validation' }).waitFor();
    expect(await matrix.count()).toBe(0);
    await segments.getByText('Test', { exact: true }).click();
    await matrix.waitFor();

    // Keyboard: arrows move between cells, Enter opens one.
    const mistake = firstMistake(report);
    const trueLabel = report.confusion.labels[mistake.row];
    const predicted = report.confusion.labels[mistake.col];
    await matrix.locator('td[tabindex="0"]').focus();
    for (let i = 0; i < mistake.row; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < mistake.col; i++) await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    const panel = page.getByRole('region', { name: `${trueLabel} predicted as ${predicted}` });
    await panel.waitFor();
    const images = panel.getByRole('list').getByRole('listitem');
    await waitForCount(images, mistake.count);
    // Each image shows the predicted class and its confidence.
    expect(await images.first().locator('.cell-image-class').textContent()).toBe(predicted);
    expect(await images.first().locator('.cell-image-confidence').textContent()).toMatch(/^\d+(\.\d)?%$/);

    // Relabel the first image with its digit key: it becomes the predicted class (a correct prediction now).
    const target = labels.findIndex((l) => l.name === predicted);
    expect(target).toBeGreaterThanOrEqual(0);
    expect(target).toBeLessThan(9);
    const imageId = Number(await images.first().getAttribute('data-image-id'));
    expect(labelOf(services, projectId, imageId)).toBe(trueLabel);
    await images.first().focus();
    await page.keyboard.press(String(target + 1));
    await poll(
      'label in the database',
      () => labelOf(services, projectId, imageId),
      (l) => l === predicted,
    );
    await page.getByRole('status').filter({ hasText: 'is now' }).waitFor();
    // The matrix is fetched again: one fewer in the cell, one more on the diagonal of the predicted class.
    const cell = (r: number, c: number) => matrix.locator(`td[data-cell="${r}-${c}"]`);
    await poll(
      'the cell count',
      () => cell(mistake.row, mistake.col).textContent(),
      (t) => t === String(mistake.count - 1),
    );
    expect(await cell(mistake.col, mistake.col).textContent()).toBe(
      String(report.confusion.matrix[mistake.col][mistake.col] + 1),
    );
    await waitForCount(images, mistake.count - 1);

    // Undo (the toast's button = the dataset's undo): the label and the matrix come back.
    await page.locator('.eval-toast').getByRole('button', { name: 'Undo' }).click();
    await poll(
      'label after undo',
      () => labelOf(services, projectId, imageId),
      (l) => l === trueLabel,
    );
    await poll(
      'the cell count after undo',
      () => cell(mistake.row, mistake.col).textContent(),
      (t) => t === String(mistake.count),
    );
    await waitForCount(images, mistake.count);

    // The label menu relabels too (any label, here the tenth, which has no digit key).
    const tenth = labels[9];
    const menuImage = images.first();
    const menuImageId = Number(await menuImage.getAttribute('data-image-id'));
    await menuImage.getByRole('combobox').selectOption({ label: tenth.name });
    await poll(
      'label set from the menu',
      () => labelOf(services, projectId, menuImageId),
      (l) => l === tenth.name,
    );
    await page.keyboard.press('Control+z');
    await poll(
      'label after Ctrl+Z',
      () => labelOf(services, projectId, menuImageId),
      (l) => l === trueLabel,
    );

    // Escape closes the panel and puts focus back on the matrix.
    await images.first().focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.classList.contains('confusion-cell'))).toBe(
      true,
    );

    // The likely-mislabeled list: training images the model disagrees with, worst first; A takes its label.
    const expected = await services.evaluation.predictions(projectId, {
      split: 'train',
      order: 'loss',
      onlyWrong: true,
      limit: 40,
    });
    expect(expected.length).toBeGreaterThan(1);
    const list = page.getByRole('list', { name: 'Likely mislabeled training images' });
    const rows = list.getByRole('listitem');
    await waitForCount(rows, expected.length);
    const ids = await rows.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-image-id'))));
    expect(ids).toEqual(expected.map((p) => p.imageId));
    const [worst, next] = expected;
    await rows.first().focus();
    await page.keyboard.press('a');
    await poll(
      'accepted label',
      () => labelOf(services, projectId, worst.imageId),
      (l) => l === worst.predicted,
    );
    // The fixed image leaves the list; the next one takes its place and the focus.
    await poll(
      'the list after the fix',
      () => rows.first().getAttribute('data-image-id'),
      (id) => id === String(next.imageId),
    );
    await poll(
      'focus on the next image',
      () => page.evaluate(() => document.activeElement?.getAttribute('data-image-id') ?? null),
      (id) => id === String(next.imageId),
    );
    // One more key press fixes the next one; Ctrl+Z undoes it.
    await page.keyboard.press('Enter');
    await poll(
      'second accepted label',
      () => labelOf(services, projectId, next.imageId),
      (l) => l === next.predicted,
    );
    await page.keyboard.press('Control+z');
    await poll(
      'second label after undo',
      () => labelOf(services, projectId, next.imageId),
      (l) => l === next.label,
    );
    expect(labelOf(services, projectId, worst.imageId)).toBe(worst.predicted);

    // The Dataset grid's "misclassified" filter: offered now that there is a model, with the database's count.
    await page.getByRole('tab', { name: 'Dataset' }).click();
    const misclassified = services.dataset.listImages(projectId, {
      filter: { kind: 'misclassified' },
      sort: 'added',
      descending: false,
      offset: 0,
      limit: 1,
    }).total;
    expect(misclassified).toBeGreaterThan(0);
    const filter = page.locator('.filter-item', { hasText: 'Misclassified' });
    await poll(
      'the filter count',
      () => filter.locator('.filter-count').textContent(),
      (t) => t === misclassified.toLocaleString('en'),
    );
    await filter.click();
    await poll(
      'the grid count',
      () => page.locator('.selection-count').textContent(),
      (t) => t === `${misclassified} image${misclassified === 1 ? '' : 's'}`,
    );
  });

  it('offers the misclassified filter once the project has a model, and Evaluate follows new runs', async () => {
    const { page, services } = app();
    const project = services.projects.create({ name: 'Fresh', inputSize: 28, color: 'gray' });
    await services.dataset.importAndWait(project.id, { paths: [dataset] });
    await openSection(page, 'Fresh', 'Dataset');
    await page.getByRole('grid').getByRole('gridcell').first().waitFor();
    const filter = page.locator('.filter-item', { hasText: 'Misclassified' });
    // runs:list has answered (no model) by the time the Evaluate empty state shows; back in Dataset, no filter.
    await page.getByRole('tab', { name: 'Evaluate' }).click();
    await page.getByRole('heading', { name: 'No trained model yet' }).waitFor();
    await page.getByRole('tab', { name: 'Dataset' }).click();
    await page.getByRole('grid').getByRole('gridcell').first().waitFor();
    await page.waitForTimeout(300);
    expect(await filter.count()).toBe(0);

    // A run finishes (started in main, as the CLI or another window would): the filter appears, with its count.
    const settings = {
      ...services.training.defaults(project.id).settings,
      model: { kind: 'preset' as const, preset: 'reference' as const },
      epochs: 1,
      workers: 1,
    };
    const run = services.training.start(project.id, settings);
    const outcome = await services.training.waitFor(project.id, run.id);
    expect(outcome.run.status).toBe('completed');
    const total = services.dataset.listImages(project.id, {
      filter: { kind: 'misclassified' },
      sort: 'added',
      descending: false,
      offset: 0,
      limit: 1,
    }).total;
    await filter.waitFor();
    await poll(
      'the filter count',
      () => filter.locator('.filter-count').textContent(),
      (t) => t === total.toLocaleString('en'),
    );

    // Evaluate follows runs as they finish: with the model deleted it shows its empty state; when a new run
    // completes while it is open...
    services.runs.delete(project.id, run.id);
    await page.getByRole('tab', { name: 'Evaluate' }).click();
    await page.getByRole('heading', { name: 'No trained model yet' }).waitFor();
    const second = services.training.start(project.id, { ...settings, seed: 2 });
    expect((await services.training.waitFor(project.id, second.id)).run.status).toBe('completed');
    // ...it shows the new model's matrix without being reopened.
    await page.getByRole('grid', { name: 'Confusion matrix' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Run' }).inputValue()).toBe(second.id);
  });
});
