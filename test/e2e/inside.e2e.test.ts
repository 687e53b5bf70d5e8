import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../main/services/services';
import { useE2eApp } from './support/e2e-test';
import { waitForCount } from './support/flows';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';

/**
 * Train → Look inside in Chromium against the real main handlers (inspect:image on the CNN core in its worker): a
 * 28 px Fashion project trained once with the Small preset (1 epoch) and an untrained project, shared by the tests.
 */
const dataset = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small');

let tempDir = '';
let dataDir = '';
let projectId = '';
let runId = '';
let outside = '';

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-inside-e2e-'));
  dataDir = path.join(tempDir, 'data');
  const dir = path.join(dataset, 'test', 'Trouser');
  outside = path.join(tempDir, 'trouser.png');
  fs.copyFileSync(path.join(dir, fs.readdirSync(dir).sort()[0]), outside);
  const app = await startApp({ dataDir });
  try {
    const { services } = app;
    const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    services.projects.create({ name: 'Untrained', inputSize: 28, color: 'gray' });
    projectId = project.id;
    await services.dataset.importAndWait(project.id, { paths: [path.join(dataset, 'train')] });
    const settings = {
      ...services.training.defaults(project.id).settings,
      model: { kind: 'preset' as const, preset: 'small' as const },
      epochs: 1,
      seed: 3,
      workers: 1,
    };
    const run = services.training.start(project.id, settings);
    runId = run.id;
    expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
  } finally {
    await app.close();
  }
}, 240_000);

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

async function openInside(page: Page, project = 'Fashion'): Promise<void> {
  await page.getByRole('button', { name: `Open ${project}` }).click();
  await page.getByRole('heading', { level: 1, name: project }).waitFor();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('tab', { name: 'Look inside' }).click();
  await page.getByRole('tab', { name: 'Look inside', selected: true }).waitFor();
}

/** The layers whose output is spatial (H·W > 1), by the run's own description (`runs:show`). */
function spatialLayers(services: Services): number[] {
  return services.runs
    .show(projectId, runId)
    .description.layers.filter((l) => l.outputShape[1] * l.outputShape[2] > 1)
    .map((l) => l.index + 1);
}

/** A drop of a file (with `path`, as Electron's File has) on the Look inside view itself. */
async function dropOnView(page: Page, file: string): Promise<void> {
  await page.evaluate((p) => {
    const dt = new DataTransfer();
    const f = new File([], p.split('/').pop() ?? p);
    Object.defineProperty(f, 'path', { value: p });
    dt.items.add(f);
    const view = document.querySelector('.inside')!;
    for (const type of ['dragenter', 'dragover', 'drop'])
      view.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, file);
}

const heat = (page: Page) => page.locator('canvas.inside-heat[data-drawn]');

describe('Look inside (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp(() => ({ dataDir, viewport: { width: 1400, height: 1000 } }));

  it('shows the maps of every spatial layer, the filters, bars and Grad-CAM; a class click redraws the overlay', async () => {
    const { page } = app();
    await openInside(page);
    await page.getByTestId('inside-sections').waitFor({ timeout: 30_000 });

    // pick another image of the strip
    const thumbs = page.locator('.inside-thumb');
    await waitForCount(thumbs, 10, 15_000);
    const firstInput = await page
      .locator('.inside-input-canvas')
      .evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await thumbs.nth(3).click();
    await expect.poll(() => thumbs.nth(3).getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(() => page.locator('.inside-input-canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL()), {
        timeout: 15_000,
      })
      .not.toBe(firstInput);

    // one grid of maps per layer with a spatial output, each drawn, with C×H×W under it
    const expected = spatialLayers(app().services);
    expect(expected.length).toBeGreaterThan(3);
    const grids = page.locator('.inside-map-grid');
    await waitForCount(grids, expected.length, 15_000);
    const ids = await grids.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(ids).toEqual(expected.map((n) => `maps-${n}`));
    await waitForCount(page.locator('.inside-map-grid canvas[data-drawn]'), expected.length);
    const shapes = await page.locator('.inside-map-grid .inside-shape').allTextContents();
    expect(shapes[0]).toMatch(/^\d+×28×28$/);

    // filters of the first convolution, and the deeper ones
    await page.getByTestId('filters-1').locator('canvas[data-drawn]').waitFor();
    expect(await page.locator('.inside-filters').count()).toBeGreaterThan(1);

    // bars, the dense layer's input, parameter sharing
    const bars = page.locator('.class-bar');
    expect(await bars.count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByTestId('dense-input').textContent()).toMatch(/reads [\d,]+ numbers\./);
    await expect.poll(() => page.getByTestId('inside-sharing-ratio').textContent()).toMatch(/× as many/);

    // Grad-CAM of the predicted class, then of a class the user clicks
    await heat(page).waitFor({ timeout: 15_000 });
    const predicted = (await bars.first().locator('.class-bar-label').textContent())!;
    expect(await heat(page).getAttribute('data-drawn')).toBe(predicted);
    const before = await heat(page).evaluate((c: HTMLCanvasElement) => c.toDataURL());
    const other = (await bars.nth(2).locator('.class-bar-label').textContent())!;
    await bars.nth(2).click();
    await page.locator(`canvas.inside-heat[data-drawn="${other}"]`).waitFor({ timeout: 15_000 });
    expect(await bars.nth(2).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => page.locator('.inside-saliency-figure').getAttribute('data-label')).toBe(other);
    const after = await heat(page).evaluate((c: HTMLCanvasElement) => c.toDataURL());
    expect(after).not.toBe(before);

    // the experiments slot is filled
    await page.getByTestId('inside-experiments').waitFor();
  });

  it('a clicked map opens enlarged; hovering a pixel outlines its receptive field on the input', async () => {
    const { page } = app();
    await openInside(page);
    const first = page.locator('.inside-map-grid').first();
    await first.locator('canvas[data-drawn]').waitFor({ timeout: 30_000 });
    await first.locator('canvas').click({ position: { x: 2, y: 2 } });
    const detail = page.getByTestId('map-detail');
    await detail.waitFor();
    await expect.poll(() => detail.textContent()).toContain('Layer 1');
    const map = detail.locator('canvas.inside-detail-map');
    const box = (await map.boundingBox())!;
    // pixel (10, 10) of the 28×28 map: a 3×3 convolution with padding 1 sees input rows/columns 9–11
    await page.mouse.move(box.x + (10.5 / 28) * box.width, box.y + (10.5 / 28) * box.height);
    const mark = page.getByTestId('receptive-field');
    await mark.waitFor();
    await expect
      .poll(() => detail.getByRole('status').textContent())
      .toContain('sees 3×3 input pixels from (9, 9)');

    // a deeper layer sees more of the input
    await page.getByRole('button', { name: 'Close' }).click();
    const last = page.locator('.inside-map-grid').last();
    await last.locator('canvas').click({ position: { x: 2, y: 2 } });
    const lastLayer = (await last.getAttribute('data-testid'))!.replace('maps-', '');
    await expect.poll(() => detail.textContent()).toContain(`Layer ${lastLayer} `);
    const deepMap = (await detail.locator('canvas.inside-detail-map').boundingBox())!;
    await page.mouse.move(deepMap.x + deepMap.width / 2, deepMap.y + deepMap.height / 2);
    await mark.waitFor();
    const text = (await detail.getByRole('status').textContent()) ?? '';
    const [, h] = /sees (\d+)×(\d+)/.exec(text) ?? [];
    expect(Number(h)).toBeGreaterThan(3);
  });

  it('an image dropped on the view is looked at; a project without a model points to Train', async () => {
    const { page } = app();
    await openInside(page);
    await page.getByTestId('inside-sections').waitFor({ timeout: 30_000 });
    await dropOnView(page, outside);
    await page.locator('.inside-thumb-file', { hasText: 'trouser.png' }).waitFor();
    await expect
      .poll(() => page.locator('.class-bar').first().locator('.class-bar-label').textContent(), {
        timeout: 15_000,
      })
      .toBeTruthy();
    expect(await page.locator('dialog[open]').count()).toBe(0); // the workspace's "predict or import?" stays shut

    await openInside(page, 'Untrained');
    await page.locator('.inside-empty .empty-state').waitFor();
    await page.getByRole('button', { name: 'Go to Settings' }).click();
    await page.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
  });

  it('live: while a run trains, the running run’s newest checkpoint is shown with its epoch', async () => {
    const { page, services } = app();
    const settings = {
      ...services.training.defaults(projectId).settings,
      model: { kind: 'preset' as const, preset: 'small' as const },
      // far more epochs than the test lasts: it stops the run itself (30 epochs once ended before the second poll)
      epochs: 1000,
      seed: 4,
      workers: 1,
    };
    const run = services.training.start(projectId, settings);
    try {
      await openInside(page);
      await page.getByTestId('inside-sections').waitFor({ timeout: 30_000 });
      await page.getByTestId('inside-model').selectOption('live');
      const live = page.getByTestId('inside-live');
      await live.waitFor();
      await expect.poll(() => live.textContent(), { timeout: 90_000 }).toMatch(/weights of epoch \d+/);
      const epoch = Number(/epoch (\d+)/.exec((await live.textContent()) ?? '')?.[1]);
      await expect
        .poll(async () => Number(/epoch (\d+)/.exec((await live.textContent()) ?? '')?.[1]), {
          timeout: 90_000,
        })
        .toBeGreaterThan(epoch);
    } finally {
      await services.training.stop(projectId, run.id);
      await services.training.waitFor(projectId, run.id);
    }
  }, 240_000);
});
