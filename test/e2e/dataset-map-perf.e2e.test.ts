import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { DatasetMap } from '../../app/domain/dataset-map';
import { useE2eApp } from './support/e2e-test';
import { FASHION_SMALL } from './support/flows';

/**
 * How fast the map redraws with 60,000 points in Chromium: a synthetic map (ten labelled clusters, a fifth of the
 * points unlabeled, half of those with a suggestion, some marked as disagreeing) served through the real IPC path by
 * replacing only the map service's `get`. Prints p50/p90 of the redraw cost (the map's requestAnimationFrame
 * callback plus a forced raster, `getImageData`) and of frame intervals while zooming with the wheel and panning
 * with the arrow keys. No timed assertions: figures depend on the machine.
 */
const POINTS = 60_000;
const FRAMES = 90;

function syntheticMap(projectId: string, labelIds: number[]): DatasetMap {
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const gaussian = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const map: DatasetMap = {
    projectId,
    runId: '00000000-0000-4000-8000-000000000000',
    method: 'umap',
    seed: 1,
    computedAt: new Date().toISOString(),
    dims: 64,
    count: POINTS,
    imageIds: [],
    x: [],
    y: [],
    labelIds: [],
    suggestedLabelIds: [],
    disagrees: [],
    k: 10,
    missing: 0,
  };
  for (let i = 0; i < POINTS; i++) {
    const cluster = i % labelIds.length;
    const angle = (cluster / labelIds.length) * 2 * Math.PI;
    const x = 0.5 + 0.33 * Math.cos(angle) + 0.06 * gaussian();
    const y = 0.5 + 0.33 * Math.sin(angle) + 0.06 * gaussian();
    const unlabeled = random() < 0.2;
    map.imageIds.push(1_000_000 + i);
    map.x.push(Math.min(1, Math.max(0, x)));
    map.y.push(Math.min(1, Math.max(0, y)));
    map.labelIds.push(unlabeled ? 0 : labelIds[cluster]);
    map.suggestedLabelIds.push(unlabeled && random() < 0.5 ? labelIds[cluster] : 0);
    map.disagrees.push(!unlabeled && random() < 0.03 ? 1 : 0);
  }
  return map;
}

/** Runs `frames` input events, one per animation frame, and times each frame's redraw from inside the page. */
async function measure(page: Page, kind: 'wheel' | 'keys', frames: number) {
  return page.evaluate(
    async ([what, count]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('.map-canvas')!;
      const stage = canvas.parentElement!;
      const ctx = canvas.getContext('2d')!; // the map's own context (getContext returns the same one)
      const box = canvas.getBoundingClientRect();
      const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));
      const costs: number[] = [];
      const intervals: number[] = [];
      let last = await nextFrame();
      for (let i = 0; i < count; i++) {
        if (what === 'wheel') {
          const deltaY = i < count / 2 ? -60 : 60;
          canvas.dispatchEvent(
            new WheelEvent('wheel', {
              deltaY,
              clientX: box.left + box.width * 0.4,
              clientY: box.top + box.height * 0.45,
              bubbles: true,
              cancelable: true,
            }),
          );
        } else {
          const key = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'][Math.floor(i / 6) % 4];
          stage.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        }
        // Registered after the map's redraw callback, so it runs right after it in the same frame.
        const frameStart = await nextFrame();
        ctx.getImageData(0, 0, 1, 1); // forces the canvas to rasterise what was drawn
        costs.push(performance.now() - frameStart);
        intervals.push(frameStart - last);
        last = frameStart;
      }
      return { costs, intervals };
    },
    [kind, frames] as const,
  );
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

describe('dataset map performance', () => {
  const app = useE2eApp({ viewport: { width: 1400, height: 900 } });

  it('redraws 60,000 points while zooming and panning (prints frame times)', async () => {
    const { page, services } = app();
    const project = services.projects.create({ name: 'Big map', inputSize: 28, color: 'gray' });
    await services.dataset.importAndWait(project.id, { paths: [path.join(FASHION_SMALL, 'test', 'Bag')] });
    const names = ['Ankle boot', 'Bag', 'Coat', 'Dress', 'Pullover', 'Sandal', 'Shirt', 'Sneaker', 'Top'];
    const labelIds = [
      ...services.dataset.listLabels(project.id).map((l) => l.id),
      ...names.map((name) => services.dataset.createLabel(project.id, name).id),
    ];
    const map = syntheticMap(project.id, labelIds);
    services.datasetMap.get = () => map;

    await page.reload();
    await page.locator('.project-open', { hasText: 'Big map' }).click();
    await page.getByRole('button', { name: 'Map', exact: true }).click();
    await page.getByRole('img', { name: /^Map of 60,000 images \(UMAP\)/ }).waitFor();
    await page.waitForTimeout(300);

    const figures: Record<string, { p50: number; p90: number }> = {};
    for (const kind of ['wheel', 'keys'] as const) {
      await measure(page, kind, 10); // warm-up
      const { costs, intervals } = await measure(page, kind, FRAMES);
      expect(costs).toHaveLength(FRAMES);
      figures[`${kind} redraw ms`] = { p50: percentile(costs, 50), p90: percentile(costs, 90) };
      figures[`${kind} frame interval ms`] = {
        p50: percentile(intervals, 50),
        p90: percentile(intervals, 90),
      };
    }
    const rows = Object.entries(figures).map(
      ([name, f]) =>
        `${name.padEnd(26)} p50 ${f.p50.toFixed(1).padStart(6)}  p90 ${f.p90.toFixed(1).padStart(6)}`,
    );
    console.log(`dataset map, ${POINTS.toLocaleString('en')} points:\n${rows.join('\n')}`);

    // A box drawn over the canvas selects points from all 60,000 (shows in the section's selection bar).
    const box = (await page.locator('.map-canvas').boundingBox())!;
    await page.getByRole('button', { name: 'Reset view' }).click();
    await page.getByRole('button', { name: 'Box', exact: true }).click();
    const started = Date.now();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.8, { steps: 6 });
    await page.mouse.up();
    const selected = page.getByText(/^[\d,]+ selected$/);
    await selected.waitFor();
    const count = Number((await selected.textContent())!.replace(/\D/g, ''));
    console.log(
      `box over 60,000 points: ${count} selected, shown ${Date.now() - started} ms after the press`,
    );
    expect(count).toBeGreaterThan(1000);

    // Zooming again with most points selected (a ring per selected point on top).
    const { costs, intervals } = await measure(page, 'wheel', FRAMES);
    console.log(
      `wheel with ${count} selected: redraw p50 ${percentile(costs, 50).toFixed(1)} p90 ${percentile(costs, 90).toFixed(1)} ms, ` +
        `frame interval p50 ${percentile(intervals, 50).toFixed(1)} p90 ${percentile(intervals, 90).toFixed(1)} ms`,
    );
  });
});
