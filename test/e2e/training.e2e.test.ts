import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useE2eApp } from './support/e2e-test';
import { waitForCount } from './support/flows';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';

/**
 * The Train section in Chromium against the real training service (worker threads, checkpoints, SQLite): import
 * Fashion-MNIST (small) through the Dataset section, explore the settings (layer editor errors, field
 * validation, the augmentation preview, left-out labels), train, watch the curves and the epoch table grow, pause,
 * resume, stop, and manage runs (compare, rename, use as model, delete).
 */

const source = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');

/** Polls `read` until `accept` holds (Playwright's auto-waiting for values, without its test runner). */
async function waitUntil<T>(
  read: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeout = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await read();
  }
  return last;
}

/**
 * How many pixels of a chart's canvas are painted in the training series colour (the app's --chart-train): grows
 * as uPlot draws more of the curve, so it shows that the chart itself (not only the table) updates.
 */
async function curvePixels(chart: Locator): Promise<number> {
  return chart.evaluate((figure) => {
    const canvas = figure.querySelector('canvas');
    const host = figure.closest('.training');
    if (!canvas || !host) return -1;
    const hex = getComputedStyle(host).getPropertyValue('--chart-train').trim();
    const rgb = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const { data } = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(
      0,
      0,
      canvas.width,
      canvas.height,
    );
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] > 200 && rgb.every((c, k) => Math.abs(data[i + k] - c) < 40)) count++;
    }
    return count;
  });
}

/** Whether a canvas has any non-black opaque pixel (the augmentation preview painted an image). */
async function painted(canvas: Locator): Promise<boolean> {
  return canvas.evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const { data } = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height);
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255 && data[i] > 30) return true;
    return false;
  });
}

async function openTrain(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('heading', { level: 2, name: 'Training' }).waitFor();
}

describe('training (renderer in Chromium, real training service)', () => {
  const app = useE2eApp({ viewport: { width: 1280, height: 900 } });

  it('trains from the Train section: curves and epochs update live, pause, resume, stop, runs compared and managed', async () => {
    const { page, services } = app();
    const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    services.dataset.createLabel(project.id, 'Unused');
    await page.reload();

    // Import the class folders through the Dataset section's path field.
    await page.getByRole('button', { name: 'Open Fashion' }).click();
    await page.getByRole('textbox', { name: 'Path of a folder or image to import' }).fill(source);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByText('Import finished').waitFor({ timeout: 30_000 });

    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
    // Ten classes are trained; the label without training images is left out, and the page says so.
    await page.getByText('10 classes will be trained:').waitFor();
    const leftOut = page.getByTestId('left-out');
    await leftOut.getByText('1 label has no training images and is left out:').waitFor();
    expect(await leftOut.locator('.chip').allTextContents()).toEqual(['Unused']);

    // The augmentation preview paints the project's own images (raw pixels on canvases), 4 rows of 1 + 5.
    const grid = page.getByTestId('augment-grid');
    await waitForCount(grid.locator('canvas'), 24);
    expect(await painted(grid.locator('canvas').first())).toBe(true);
    await page.getByRole('checkbox', { name: 'Mirror left–right' }).check();
    await page.getByRole('textbox', { name: 'Shift up to (px)' }).fill('2');
    await waitForCount(grid.locator('canvas'), 24);

    // A learning rate of 0 is refused before anything is sent, and Train waits for a valid one.
    const train = page.getByRole('button', { name: 'Train', exact: true });
    const rate = page.getByRole('textbox', { name: 'Learning rate' });
    await rate.fill('0');
    expect(await rate.getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Enter a number from 0 to 10.').waitFor();
    expect(await train.isDisabled()).toBe(true);
    await page.getByText('Fix the settings marked in red before training.').waitFor();
    await rate.fill('0.002');
    expect(await rate.getAttribute('aria-invalid')).toBe('false');

    // The layer editor starts from the chosen preset's layers; the classifier is fixed.
    const architecture = page.getByLabel('Architecture');
    await architecture.selectOption('reference');
    // (model:describe counts every label of the project, here 11, so the total is not the usual 206,922.)
    const presetTotal = await waitUntil(
      () => page.getByTestId('settings-total').textContent(),
      (text) => /^[\d,]+ parameters to learn$/.test(text ?? ''),
      'the reference preset to be measured',
    );
    const params = presetTotal?.split(' ')[0];
    await page.getByRole('button', { name: 'Edit these layers' }).click();
    const editor = page.getByRole('list', { name: 'Custom layers' });
    await editor.waitFor();
    expect(await architecture.inputValue()).toBe('custom');
    // conv, ReLU, pool, conv, ReLU, pool, flatten, dense, ReLU; then the classifier main adds.
    await waitForCount(editor.locator('[data-testid^="editor-layer-"]'), 9);
    await page.getByTestId('editor-total').getByText(`${params} parameters in total`).waitFor();
    expect(await page.getByTestId('editor-classifier').textContent()).toContain('Fixed');
    const conv1 = page.getByTestId('editor-layer-1');
    expect(await conv1.locator('.editor-shape').textContent()).toContain('16 × 28×28');

    // An impossible kernel in the second convolution (it reads 14×14 maps): explained, its layer highlighted,
    // the layers before it still measured, Train disabled until it is fixed.
    const conv2 = page.getByTestId('editor-layer-4');
    await conv2.getByLabel('Padding', { exact: true }).selectOption('valid');
    await conv2.getByRole('textbox', { name: 'Kernel' }).fill('15');
    const problem = page.getByRole('alert').filter({ hasText: 'Layer 4 (Convolution) does not fit:' });
    await problem.waitFor();
    expect(await problem.textContent()).toContain('its kernel is larger than its input');
    expect(await problem.textContent()).toContain('kernel 15×15 is larger than the padded input 14×14');
    expect(await conv2.getAttribute('aria-invalid')).toBe('true');
    expect(await conv1.getAttribute('aria-invalid')).toBeNull();
    await waitUntil(
      () => page.getByTestId('editor-layer-3').locator('.editor-shape').textContent(),
      (text) => text?.includes('16 × 14×14') ?? false,
      'the layers before the problem to keep their shapes',
    );
    expect(await page.getByTestId('editor-layer-5').locator('.editor-shape').textContent()).toContain('—');
    expect(await train.isDisabled()).toBe(true);
    await conv2.getByRole('textbox', { name: 'Kernel' }).fill('3');
    await problem.waitFor({ state: 'detached' });
    await waitUntil(
      () => conv2.locator('.editor-shape').textContent(),
      (text) => text?.includes('32 × 12×12') ?? false,
      'the valid 3×3 convolution to shrink the maps to 12×12',
    );
    expect(await conv2.getAttribute('aria-invalid')).toBeNull();

    // Reordering by keyboard: "move down" keeps focus on the moved layer's button.
    await page.getByRole('button', { name: 'Move layer 2 down' }).focus();
    await page.keyboard.press('Enter');
    await waitUntil(
      () => page.getByTestId('editor-layer-3').locator('.editor-type').textContent(),
      (text) => text?.endsWith('ReLU') ?? false,
      'ReLU to move to place 3',
    );
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Move layer 3 down',
    );
    // Adding a dropout layer at the end adds no parameters; removing it again.
    await page.getByLabel('Layer type').selectOption('dropout');
    await page.getByRole('button', { name: 'Add layer' }).click();
    await waitForCount(editor.locator('[data-testid^="editor-layer-"]'), 10);
    await page.getByRole('button', { name: 'Remove layer 10' }).click();
    await waitForCount(editor.locator('[data-testid^="editor-layer-"]'), 9);

    // Train the reference preset: many short epochs, one worker thread.
    await architecture.selectOption('reference');
    await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('30');
    await page.getByRole('textbox', { name: 'Batch size' }).fill('16');
    await page.getByLabel('Worker threads').selectOption('1');
    await train.click();

    await page.getByRole('tab', { name: 'Progress', selected: true }).waitFor();
    const status = page.getByTestId('training-status');
    await status.getByText('Running').waitFor();
    const rows = page.getByTestId('epoch-table').locator('tbody tr');
    const loss = page.getByTestId('chart-loss');
    await waitUntil(
      () => rows.count(),
      (n) => n >= 1,
      'the first epoch row',
      30_000,
    );
    const earlyPixels = await waitUntil(
      () => curvePixels(loss),
      (n) => n > 0,
      'the training curve',
    );
    // Batch samples from the progress events feed the chart too (at least one per epoch here).
    expect(Number(await loss.getAttribute('data-samples'))).toBeGreaterThan(0);
    await waitUntil(
      () => rows.count(),
      (n) => n >= 3,
      'three epoch rows',
      30_000,
    );
    // The curve grew with the epochs (the chart is redrawn, not only the table).
    await waitUntil(
      () => curvePixels(loss),
      (n) => n > earlyPixels,
      'the curve to grow',
    );
    expect(await loss.locator('.line-chart').getAttribute('aria-label')).toMatch(/^Loss after \d+ epochs/);
    expect(
      Number((await page.getByTestId('images-per-second').textContent())?.replace(/,/g, '')),
    ).toBeGreaterThan(0);
    expect(Number(await page.getByTestId('run-progress').getAttribute('aria-valuenow'))).toBeGreaterThan(0);

    // Pause (by keyboard): the run stops growing; its checkpoint makes it resumable.
    await page.getByRole('button', { name: 'Pause' }).focus();
    await page.keyboard.press('Enter');
    await status.getByText('run-1 is paused.', { exact: false }).waitFor();
    const pausedAt = await rows.count();
    await new Promise((r) => setTimeout(r, 800));
    expect(await rows.count()).toBe(pausedAt);
    expect(services.training.status(project.id).active?.status).toBe('paused');

    // Resume: more epochs arrive.
    await page.getByRole('button', { name: 'Resume' }).click();
    await status.getByText('Running').waitFor();
    await waitUntil(
      () => rows.count(),
      (n) => n >= pausedAt + 1,
      'an epoch after resuming',
      30_000,
    );

    // Stop: the weights so far are kept and the run is listed as stopped.
    await page.getByRole('button', { name: 'Stop' }).click();
    await status.getByText('run-1 was stopped; its weights so far are kept.').waitFor();
    expect(await page.getByTestId('dashboard-status').textContent()).toBe('Stopped');
    const stopped = services.runs.list(project.id)[0];
    expect(stopped.status).toBe('stopped');
    expect(stopped.epochsDone).toBeGreaterThan(pausedAt);
    expect(stopped.epochsDone).toBeLessThan(30);

    // A second, short run with the defaults of a new seed completes.
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('2');
    await page.getByRole('textbox', { name: 'Batch size' }).fill('64');
    await train.click();
    await status.getByText(/^run-2 finished: \d+\.\d% validation accuracy\.$/).waitFor({ timeout: 30_000 });

    // The run list: both runs, the completed one is the project's model.
    await page.getByRole('tab', { name: 'Runs' }).click();
    const table = page.getByTestId('run-table');
    await waitForCount(table.locator('tbody tr'), 2);
    const row = (name: string) => table.locator(`tbody tr[data-run="${name}"]`);
    expect(await row('run-1').locator('.status-pill').textContent()).toBe('Stopped');
    expect(await row('run-2').locator('.status-pill').textContent()).toBe('Completed');
    expect(await row('run-2').getByText('Project model').count()).toBe(1);
    expect(await row('run-1').locator('td').nth(3).textContent()).toBe(`${stopped.epochsDone} / 30`);

    // Compare: both validation curves and the results side by side.
    await page.getByRole('checkbox', { name: 'Select run-1 for comparison' }).check();
    await page.getByRole('checkbox', { name: 'Select run-2 for comparison' }).check();
    await page.getByRole('button', { name: 'Compare 2 runs' }).click();
    const compare = page.getByTestId('compare-table');
    await compare.waitFor();
    expect(await compare.locator('thead th').allTextContents()).toEqual(['Result', 'run-2', 'run-1']);
    const batchRow = compare.locator('tbody tr').filter({ hasText: 'Batch size' });
    expect(await batchRow.locator('td').allTextContents()).toEqual(['64', '16']);
    expect(await page.getByTestId('compare-accuracy').locator('canvas').count()).toBeGreaterThan(0);

    // Use the stopped run as the model, rename it, then delete the other one (with a confirmation).
    await row('run-1').getByRole('button', { name: 'Use as model' }).click();
    await row('run-1').getByText('Project model').waitFor();
    expect(services.runs.modelRun(project.id)?.name).toBe('run-1');
    await page.getByRole('button', { name: 'Rename run-1' }).click();
    const renameInput = page.getByRole('textbox', { name: 'New run name' });
    await renameInput.fill('thirty-epochs');
    await renameInput.press('Enter');
    await row('thirty-epochs').waitFor();
    await page.getByRole('button', { name: 'Delete run-2' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Delete this run?' });
    await confirm.getByRole('button', { name: 'Delete run' }).click();
    await waitForCount(table.locator('tbody tr'), 1);
    expect(services.runs.list(project.id).map((r) => r.name)).toEqual(['thirty-epochs']);
    // The comparison closes itself when fewer than two of its runs remain.
    await page.getByTestId('run-compare').waitFor({ state: 'detached' });

    // The run's curves stay available from the list.
    await page.getByRole('button', { name: 'Show the curves of thirty-epochs' }).click();
    await page.getByRole('tab', { name: 'Progress', selected: true }).waitFor();
    await waitForCount(rows, stopped.epochsDone);
  }, 90_000);

  it('explains why a project cannot train yet', async () => {
    const { page, services } = app();
    const project = services.projects.create({ name: 'Empty', inputSize: 28, color: 'gray' });
    services.dataset.createLabel(project.id, 'cat');
    await page.reload();
    await openTrain(page, 'Empty');
    await page.getByTestId('too-few-classes').waitFor();
    expect(await page.getByRole('button', { name: 'Train', exact: true }).isDisabled()).toBe(true);
    expect(await page.locator('.train-blocked').textContent()).toContain('at least two labels');
    await page.getByText('No training images to preview yet.').waitFor();
    await page.getByRole('tab', { name: 'Progress' }).click();
    await page.getByRole('heading', { name: 'No runs yet' }).waitFor();
    await page.getByRole('tab', { name: 'Runs' }).click();
    await page.getByText('No runs yet. Every training run will be listed here.').waitFor();
  });

  it("waits in the queue behind another project's run, then trains", async () => {
    const { page, services } = app();
    const other = services.projects.create({ name: 'Other', inputSize: 28, color: 'gray' });
    const mine = services.projects.create({ name: 'Mine', inputSize: 28, color: 'gray' });
    await services.dataset.importAndWait(other.id, { paths: [source] });
    await services.dataset.importAndWait(mine.id, { paths: [source] });
    // Another project trains (long enough to queue behind it).
    const base = services.training.defaults(other.id).settings;
    const busy = services.training.start(other.id, {
      ...base,
      model: { kind: 'preset', preset: 'reference' },
      epochs: 200,
      batchSize: 8,
      workers: 1,
    });
    await page.reload();
    await openTrain(page, 'Mine');
    await page.getByLabel('Architecture').selectOption('reference');
    await page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('2');
    await page.getByRole('button', { name: 'Train', exact: true }).click();
    const status = page.getByTestId('training-status');
    await status.getByText('Queued').waitFor();
    await status.getByText('run-1 is waiting for another project’s run to finish (next in line).').waitFor();
    expect(services.training.status(mine.id).queuePosition).toBe(1);
    // The other run ends: this one starts and completes.
    await services.training.stop(other.id, busy.id);
    await status.getByText(/^run-1 finished: /).waitFor({ timeout: 30_000 });
  }, 60_000);

  it('offers Resume for a run the app was closed during, and continues it after a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-train-restart-'));
    try {
      const first = await startApp({ dataDir });
      let projectId: string;
      try {
        const project = first.services.projects.create({ name: 'Restart', inputSize: 28, color: 'gray' });
        projectId = project.id;
        await first.services.dataset.importAndWait(project.id, { paths: [source] });
        await first.page.reload();
        await openTrain(first.page, 'Restart');
        await first.page.getByLabel('Architecture').selectOption('reference');
        await first.page.getByRole('textbox', { name: 'Epochs', exact: true }).fill('40');
        await first.page.getByRole('textbox', { name: 'Batch size' }).fill('16');
        await first.page.getByRole('button', { name: 'Train', exact: true }).click();
        const rows = first.page.getByTestId('epoch-table').locator('tbody tr');
        await waitUntil(
          () => rows.count(),
          (n) => n >= 2,
          'two epochs',
          30_000,
        );
        expect(first.problems).toEqual([]);
      } finally {
        // Closing the app while the run trains: it is checkpointed and marked interrupted.
        await first.close();
      }
      const second = await startApp({ dataDir });
      try {
        const { page, services } = second;
        await openTrain(page, 'Restart');
        const interrupted = services.runs.list(projectId)[0];
        expect(interrupted.status).toBe('interrupted');
        expect(interrupted.resumable).toBe(true);
        const status = page.getByTestId('training-status');
        await status
          .getByText(/^run-1 was interrupted \(the app closed or crashed\)\. It can continue/)
          .waitFor();
        await page.getByRole('button', { name: 'Resume' }).click();
        await status.getByText('Running').waitFor();
        // The dashboard continues the run's table from its stored epochs.
        await page.getByRole('tab', { name: 'Progress' }).click();
        const rows = page.getByTestId('epoch-table').locator('tbody tr');
        await waitUntil(
          () => rows.count(),
          (n) => n > interrupted.epochsDone,
          'an epoch after resuming',
          30_000,
        );
        // epoch 1 may also be the best so far (a star with a visually hidden "best")
        expect(await rows.first().locator('th').textContent()).toMatch(/^1(best)?$/);
        await page.getByRole('button', { name: 'Stop' }).click();
        await status.getByText('run-1 was stopped; its weights so far are kept.').waitFor();
        expect(second.problems).toEqual([]);
      } finally {
        await second.close();
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
