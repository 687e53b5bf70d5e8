import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useE2eApp } from './support/e2e-test';
import { startApp } from './support/harness';
import { trainedFashionProject } from './support/flows';

/**
 * The Look inside experiments in Chromium against the real inspect:* handlers: a 28 px project trained once
 * (train/ of fashion-mnist-small, the reference CNN, 2 epochs), opened at Train → Look inside on its first image.
 * Steps the stride illustration and checks the output size against the layer table, walks the pooling window,
 * moves the shift slider (the shown probability changes), applies the Laplacian in the playground.
 */
let tempDir = '';
let dataDir = '';

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-inside-xp-e2e-'));
  dataDir = path.join(tempDir, 'data');
  const app = await startApp({ dataDir });
  try {
    const { services } = app;
    await trainedFashionProject(services, {
      name: 'Fashion',
      preset: 'reference',
      epochs: 2,
      seed: 3,
    });
  } finally {
    await app.close();
  }
}, 240_000);

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

/** Opens Train → Look inside of the project; returns once the experiments are drawn for the first image. */
async function openExperiments(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open Fashion' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fashion' }).waitFor();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('tab', { name: 'Look inside' }).click();
  await page.getByTestId('inside-experiments').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="xp-stride-input"][data-drawn]').waitFor();
}

/** Polls `read` until it differs from `before` (or throws after 10 s). */
async function changed(read: () => Promise<string | null>, before: string | null): Promise<string | null> {
  const deadline = Date.now() + 10_000;
  let now = await read();
  while (now === before && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    now = await read();
  }
  if (now === before) throw new Error(`Still ${JSON.stringify(before)}`);
  return now;
}

describe('look inside experiments (renderer in Chromium, real inspect handlers)', () => {
  const app = useE2eApp(() => ({ dataDir, viewport: { width: 1280, height: 1000 } }));

  it('stride and padding: the output size equals the layer table, Step and the arrow keys move the window', async () => {
    const { page } = app();
    await openExperiments(page);
    const stride = page.getByTestId('xp-stride');
    const formula = await stride.getByTestId('xp-stride-formula').textContent();
    // Rows ⌊(28 + p + p − k) / s⌋ + 1 = out: check the arithmetic the page shows, then that it matches the table.
    const rows = /Rows\s*⌊\((\d+) \+ (\d+) \+ (\d+) − (\d+)\) \/ (\d+)⌋ \+ 1 = (\d+)/.exec(formula ?? '');
    expect(rows, formula ?? '').not.toBeNull();
    const [input, before, after, k, s, out] = rows!.slice(1).map(Number);
    expect(input).toBe(28);
    expect(out).toBe(Math.floor((input + before + after - k) / s) + 1);
    await expect.poll(() => stride.getByTestId('xp-stride-output').textContent()).toContain(`×${out}×`);
    expect(await stride.locator('.xp-check').textContent()).toContain('Same as the layer table');

    // the second convolution reads the pooled 14×14 maps
    const select = stride.getByRole('combobox', { name: 'Layer' });
    const options = await select.locator('option').allTextContents();
    expect(options.length).toBe(2);
    await select.selectOption({ index: 1 });
    await expect.poll(() => stride.getByTestId('xp-stride-formula').textContent()).toMatch(/Rows\s*⌊\(14 \+/);
    expect(await stride.locator('.xp-check').textContent()).toContain('Same as the layer table');
    await select.selectOption({ index: 0 });

    const counter = stride.locator('.xp-step');
    expect(await counter.textContent()).toBe(`Step 1 of ${out * out}`);
    await stride.getByRole('button', { name: 'Step', exact: true }).click();
    expect(await counter.textContent()).toBe(`Step 2 of ${out * out}`);
    await stride.getByTestId('xp-stride-input').focus();
    await page.keyboard.press('ArrowDown');
    expect(await counter.textContent()).toBe(`Step ${2 + out} of ${out * out}`);
    await stride.getByRole('button', { name: 'Play' }).click();
    await changed(() => counter.textContent(), `Step ${2 + out} of ${out * out}`);
    await stride.getByRole('button', { name: 'Pause' }).click();

    // pooling: a real map, the kept position of the second window
    const pooling = page.getByTestId('xp-pooling');
    await pooling.locator('[data-testid="xp-pool-input"][data-drawn]').waitFor();
    const cell = pooling.getByTestId('xp-pool-cell');
    const first = await cell.textContent();
    expect(first).toMatch(/^Output cell \(1, 1\) keeps the value at \([12], [12]\)\.$/);
    await pooling.getByRole('button', { name: 'Step', exact: true }).click();
    expect(await cell.textContent()).toMatch(/^Output cell \(1, 2\) keeps the value at \([12], [34]\)\.$/);
  });

  it('translation: moving the shift slider changes the shown probability and the chart is drawn', async () => {
    const { page } = app();
    await openExperiments(page);
    const shift = page.getByTestId('xp-shift');
    const probability = shift.getByTestId('xp-shift-probability');
    await expect.poll(() => probability.textContent(), { timeout: 20_000 }).toMatch(/\d%$/);
    await shift.locator('.line-chart canvas').first().waitFor();
    expect(await shift.getByTestId('xp-shift-stable').textContent()).toMatch(
      /stays the top class for every shift from|is not the top class/,
    );
    const atZero = await probability.textContent();
    const slider = shift.getByTestId('xp-shift-slider');
    await slider.focus();
    await page.keyboard.press('End');
    expect(await slider.inputValue()).not.toBe('0');
    await changed(() => probability.textContent(), atZero);
    await shift.locator('[data-testid="xp-shift-maps"][data-drawn]').waitFor();
    expect(await shift.getByTestId('xp-shift-top').locator('li').count()).toBeGreaterThan(0);
    // mirrored: asked again, the chart and the prediction follow
    const shifted = await probability.textContent();
    await shift.getByRole('checkbox', { name: 'Flip (mirror left–right)' }).check();
    await changed(() => probability.textContent(), shifted);
    expect(await shift.locator('[role="alert"]').count()).toBe(0);
  });

  it('playground: the Laplacian draws a response beside the most similar learned filters', async () => {
    const { page } = app();
    await openExperiments(page);
    const playground = page.getByTestId('xp-playground');
    await playground.getByRole('button', { name: 'Laplacian (edges)' }).click();
    await playground.locator('[data-testid="xp-response"][data-drawn]').waitFor({ timeout: 20_000 });
    expect(await playground.locator('.xp-similar li').count()).toBeGreaterThan(0);
    // a typed filter: the centre cell of the Laplacian made 8 is no longer a classic one
    await playground.getByRole('textbox', { name: 'Row 2, column 2' }).fill('8');
    expect(
      await playground.getByRole('button', { name: 'Laplacian (edges)' }).getAttribute('aria-pressed'),
    ).toBe('false');
    await playground.getByRole('button', { name: 'Convolve' }).click();
    await playground.locator('[data-testid="xp-response"][data-drawn]').waitFor();
  });
});
