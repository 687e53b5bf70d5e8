import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetMap } from '../../app/domain/dataset-map';
import type { DesktopApi } from '../../app/ipc/contract';
import { boundsOf, fitBounds } from '../../renderer/src/features/dataset/map/view-transform';
import { useE2eApp } from './support/e2e-test';
import { FASHION_SMALL, trainedFashionProject } from './support/flows';
import { startApp } from './support/harness';

/**
 * The dataset map in Chromium against the real main handlers: a 28 px project trained once on fashion-mnist-small's
 * train/ (shared by the tests), its map computed from the Map view, a lasso drawn with the mouse around the points
 * of one label and labeled with a digit key (checked in the database), the hover tooltip, UMAP, the no-model state.
 */
let tempDir = '';
let dataDir = '';
let projectId = '';

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-map-e2e-'));
  dataDir = path.join(tempDir, 'data');
  const app = await startApp({ dataDir });
  try {
    const project = await trainedFashionProject(app.services, {
      name: 'Fashion',
      preset: 'small',
      epochs: 2,
      seed: 5,
    });
    projectId = project.id;
    const untrained = app.services.projects.create({ name: 'Untrained', inputSize: 28, color: 'gray' });
    await app.services.dataset.importAndWait(untrained.id, {
      paths: [path.join(FASHION_SMALL, 'test', 'Bag')],
    });
  } finally {
    await app.close();
  }
}, 300_000);

afterAll(() => {
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
});

/** Opens a project's Dataset section as the map. */
async function openMap(page: Page, projectName: string): Promise<void> {
  await page.locator('.project-open', { hasText: projectName }).click();
  await page.getByRole('button', { name: 'Map', exact: true }).click();
}

/** Computes the map with `method` from the intro panel and waits until the canvas shows it. */
async function computeFromIntro(page: Page, method: 'Quick (PCA)' | 'UMAP', methodName: string) {
  await page.getByRole('radio', { name: method }).check();
  await page.getByRole('button', { name: 'Compute map' }).click();
  await page.getByRole('img', { name: new RegExp(`^Map of [\\d,]+ images \\(${methodName}\\)`) }).waitFor({
    timeout: 120_000,
  });
}

async function readMap(page: Page, method: 'pca' | 'umap'): Promise<DatasetMap> {
  const result = await page.evaluate(
    // The bridge's window.desktop (typed in the renderer's bridge module, which this test does not import).
    ([id, m]) =>
      (window as unknown as { desktop: DesktopApi }).desktop.datasetMap.get({ projectId: id, method: m }),
    [projectId, method] as const,
  );
  if (!result.ok || !result.value.map) throw new Error(`no ${method} map: ${JSON.stringify(result)}`);
  return result.value.map;
}

/** Page coordinates of map points in the fitted view of the canvas. */
async function screenPoints(page: Page, map: DatasetMap, indices: number[]): Promise<[number, number][]> {
  const box = (await page.locator('.map-canvas').boundingBox())!;
  const view = fitBounds(box.width, box.height, boundsOf(map.x, map.y));
  return indices.map((i) => [
    box.x + map.x[i] * view.scale + view.tx,
    box.y + map.y[i] * view.scale + view.ty,
  ]);
}

/** The convex hull (monotone chain) of `points`, pushed `margin` px outwards from its centre. */
function grownHull(points: [number, number][], margin: number): [number, number][] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const cross = (o: number[], a: number[], b: number[]) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (list: [number, number][]) => {
    const out: [number, number][] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) <= 0) out.pop();
      out.push(p);
    }
    return out.slice(0, -1);
  };
  const hull = [...half(sorted), ...half([...sorted].reverse())];
  const cx = hull.reduce((s, p) => s + p[0], 0) / hull.length;
  const cy = hull.reduce((s, p) => s + p[1], 0) / hull.length;
  return hull.map(([x, y]) => {
    const d = Math.hypot(x - cx, y - cy) || 1;
    return [x + ((x - cx) / d) * margin, y + ((y - cy) / d) * margin];
  });
}

describe('dataset map', () => {
  const app = useE2eApp(() => ({ dataDir, viewport: { width: 1400, height: 900 } }));

  it('computes the map, lassos the points of one label and labels them with a digit key', async () => {
    const { page, services } = app();
    const labels = services.dataset.listLabels(projectId).sort((a, b) => a.index - b.index);
    const target = labels[1];
    const db = services.projects.db(projectId);
    const ids = db
      .prepare('SELECT id FROM images WHERE label_id = ? AND removed_at IS NULL')
      .pluck()
      .all(target.id) as number[];
    expect(ids.length).toBeGreaterThan(10);
    services.dataset.assignLabel(projectId, ids, null);
    await page.reload();

    await openMap(page, 'Fashion');
    await page.getByRole('heading', { name: 'A map of your dataset' }).waitFor();
    await computeFromIntro(page, 'Quick (PCA)', 'PCA');
    const map = await readMap(page, 'pca');
    expect(map.count).toBe(500);
    const indexOf = new Map(map.imageIds.map((id, i) => [id, i]));
    expect(ids.every((id) => map.labelIds[indexOf.get(id)!] === 0)).toBe(true);

    // Draw the lasso with the mouse around the (now unlabeled) points of the label.
    await page.getByRole('button', { name: 'Lasso', exact: true }).click();
    expect(await page.getByRole('button', { name: 'Lasso', exact: true }).getAttribute('aria-pressed')).toBe(
      'true',
    );
    const hull = grownHull(
      await screenPoints(
        page,
        map,
        ids.map((id) => indexOf.get(id)!),
      ),
      6,
    );
    await page.mouse.move(hull[0][0], hull[0][1]);
    await page.mouse.down();
    for (const [x, y] of [...hull.slice(1), hull[0]]) await page.mouse.move(x, y, { steps: 4 });
    await page.mouse.up();
    const selected = page.getByText(/^[\d,]+ selected$/);
    await selected.waitFor();
    const count = Number((await selected.textContent())!.replace(/\D/g, ''));
    expect(count).toBeGreaterThanOrEqual(ids.length);
    console.log(`map e2e: lasso around ${ids.length} ${target.name} points selected ${count} images`);

    await page.keyboard.press(String(labels.indexOf(target) + 1));
    await expect
      .poll(
        () =>
          db
            .prepare(`SELECT COUNT(*) FROM images WHERE label_id = ? AND id IN (${ids.join(',')})`)
            .pluck()
            .get(target.id),
        { timeout: 10_000 },
      )
      .toBe(ids.length);
    // Escape (the section's key, forwarded by the map) clears the selection.
    await page.keyboard.press('Escape');
    await selected.waitFor({ state: 'detached' });
    // The map re-reads its labels: the points are coloured again.
    await expect
      .poll(async () => (await readMap(page, 'pca')).labelIds[indexOf.get(ids[0])!])
      .toBe(target.id);
  });

  it('shows the hovered image with its thumbnail, file name and label', async () => {
    const { page, services } = app();
    await openMap(page, 'Fashion');
    await page.locator('.map-canvas').waitFor();
    const map = await readMap(page, 'pca');
    // The point farthest from its nearest neighbour, so the pointer is unambiguously on it.
    const nearestGap = (i: number) =>
      Math.min(...map.x.map((x, j) => (j === i ? Infinity : Math.hypot(x - map.x[i], map.y[j] - map.y[i]))));
    const loneliest = map.x.map((_, i) => i).reduce((a, b) => (nearestGap(b) > nearestGap(a) ? b : a));
    const [[x, y]] = await screenPoints(page, map, [loneliest]);
    await page.mouse.move(x + 30, y + 30);
    await page.mouse.move(x, y, { steps: 3 });
    const tooltip = page.getByRole('tooltip');
    const details = services.dataset.imageDetails(projectId, map.imageIds[loneliest]);
    await tooltip.getByText(details.fileName).waitFor();
    await tooltip.getByText(details.labelName!, { exact: true }).waitFor();
    await expect
      .poll(() => tooltip.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    // A click on a point selects that one image.
    await page.mouse.click(x, y);
    await page.getByText('1 selected', { exact: true }).waitFor();
    await page.mouse.move(5, 5);
    await tooltip.waitFor({ state: 'detached' });
  });

  it('switches to a UMAP map with progress', async () => {
    const { page } = app();
    await openMap(page, 'Fashion');
    await page.locator('.map-canvas').waitFor();
    const started = Date.now();
    await page.getByLabel('Method').selectOption('umap');
    // The progress panel names the phase in words while the worker reports it.
    await page.getByRole('heading', { name: 'Computing the map (UMAP)…' }).waitFor();
    await page
      .getByText(
        /^(Running the model over every image|Laying the images out in 2-D|Finding each image’s neighbours)$/,
      )
      .waitFor();
    await page.getByRole('img', { name: /^Map of 500 images \(UMAP\)/ }).waitFor({ timeout: 120_000 });
    console.log(`map e2e: UMAP of 500 images shown after ${Date.now() - started} ms`);
    const map = await readMap(page, 'umap');
    expect(map.method).toBe('umap');
    expect(Math.min(...map.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...map.x, ...map.y)).toBeLessThanOrEqual(1);
  });

  it('asks for a model when the project has none', async () => {
    const { page } = app();
    await openMap(page, 'Untrained');
    const intro = page.getByRole('button', { name: 'Compute map' });
    const empty = page.getByText('Train a model to see the map of your dataset');
    await intro.or(empty).first().waitFor();
    if (await intro.isVisible()) await intro.click();
    await empty.waitFor();
  });
});
