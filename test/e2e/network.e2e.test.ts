import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { describeNetwork, inputSpecFor } from '../../main/services/model-description';
import { useE2eApp } from './support/e2e-test';
import { waitForCount } from './support/flows';
import { startApp } from './support/harness';
import { repoRoot } from './support/paths';

/**
 * The Train tab's network explorer in Chromium against the real `model:presets` / `model:describe` handlers:
 * the recommended preset for the project, its layers and parameter count, switching presets with the mouse and
 * the keyboard, and the number of classes following the project's labels.
 */

/** Opens a project from the sidebar, its Train tab and the Network view; returns once the network is drawn. */
async function openTrainTab(page: Page, name: string): Promise<void> {
  await page.reload();
  await page.getByRole('button', { name: `Open ${name}` }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByRole('tab', { name: 'Network' }).click();
  await page.getByRole('heading', { level: 2, name: 'Network' }).waitFor();
  await page.locator('.layer-row').first().waitFor();
}

/** Waits until the total parameter count reads `text` (the description of a newly picked preset has arrived). */
async function waitForTotal(page: Page, text: string): Promise<void> {
  const total = page.getByTestId('total-params');
  const deadline = Date.now() + 10_000;
  let last: string | null = null;
  while (Date.now() < deadline) {
    last = await total.textContent();
    if (last === text && (await page.locator('.network[aria-busy="false"]').count()) === 1) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Total parameters stayed ${JSON.stringify(last)}, expected ${text}`);
}

async function layerTitles(page: Page): Promise<string[]> {
  return page
    .locator('.layer-row .layer-title')
    .evaluateAll((els) => els.map((el) => (el.lastChild?.textContent ?? '').trim()));
}

describe('network explorer (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp();

  it('shows the recommended preset layer by layer, and switches presets with the mouse and the keyboard', async () => {
    const { page, services } = app();
    services.projects.create({ name: 'Digits', inputSize: 28, color: 'gray' });
    await openTrainTab(page, 'Digits');

    // 28 px images: Small is recommended and picked.
    const small = page.getByRole('radio', { name: /^Small/ });
    expect(await small.isChecked()).toBe(true);
    await waitForTotal(page, '98,666');
    const list = page.getByRole('list', { name: 'Layers of Small' });
    await list.waitFor();
    // Input + 17 layers (3 × conv, batchnorm, ReLU, pool; flatten, dense, ReLU, dropout, dense) + softmax.
    await waitForCount(list.locator(':scope > li'), 19);

    // The reference CNN: 206,922 parameters for 28×28×1 and 10 classes.
    await page.getByRole('radio', { name: /^Reference CNN/ }).check();
    await waitForTotal(page, '206,922');
    const reference = page.getByRole('list', { name: 'Layers of Reference CNN' });
    await waitForCount(reference.locator(':scope > li'), 12);
    expect(await layerTitles(page)).toEqual([
      'Input image',
      'Convolution',
      'ReLU',
      'Max pooling',
      'Convolution',
      'ReLU',
      'Max pooling',
      'Flatten',
      'Fully connected',
      'ReLU',
      'Fully connected',
      'Softmax',
    ]);
    const conv1 = page.getByTestId('layer-1');
    expect(await conv1.locator('.layer-chip').allTextContents()).toEqual([
      '16 filters',
      'kernel 3×3',
      'stride 1',
      'zero padding 1 px',
    ]);
    expect(await conv1.locator('.layer-shape').textContent()).toBe('16 × 28×28');
    expect(await conv1.locator('.layer-params').textContent()).toBe('160');
    expect(await conv1.locator('.layer-formula').textContent()).toBe(
      '16 filters × (3×3×1 weights + 1 bias) = 16 × 10',
    );
    expect(await page.getByTestId('layer-3').locator('.layer-shape').textContent()).toBe('16 × 14×14');
    expect(await page.getByTestId('layer-7').locator('.layer-shape').textContent()).toBe('1,568 numbers');
    expect(await page.getByTestId('layer-8').locator('.layer-params').textContent()).toBe('200,832');
    expect(await page.getByTestId('layer-10').locator('.layer-chip').allTextContents()).toEqual([
      '10 classes',
    ]);
    // Feature-map tiles shrink with the maps: 28×28 → 14×14 halves the tile.
    const tileWidth = (id: string) =>
      page
        .getByTestId(id)
        .locator('.glyph-tile')
        .first()
        .evaluate((el) => el.getBoundingClientRect().width);
    expect(await tileWidth('layer-3')).toBeCloseTo((await tileWidth('layer-1')) / 2, 0);
    // The first convolution explains itself; the second offers the explanation on demand.
    expect(await conv1.locator('.layer-explanation').isVisible()).toBe(true);
    const conv2 = page.getByTestId('layer-4');
    expect(await conv2.locator('.layer-explanation').isVisible()).toBe(false);
    await conv2.getByText('What does it do?').click();
    expect(await conv2.locator('.layer-explanation').isVisible()).toBe(true);

    // Parameter sharing: each convolution next to its fully connected equivalent, and the whole network.
    const sharing = page.getByRole('region', { name: 'Parameter sharing' });
    expect(await sharing.locator('.sharing-row').allTextContents()).toEqual([
      'Convolution 1160 instead of 9,847,04061,544× fewer',
      'Convolution 24,640 instead of 19,675,2644,240× fewer',
    ]);
    expect(await page.getByTestId('sharing-total').textContent()).toBe(
      'A fully connected layer producing the same outputs would need 144× more parameters: 29,724,426 for this network.',
    );
    // Reference CNN is not the network of the training settings (Small, recommended): it offers itself.
    await page.getByRole('heading', { name: 'Train this network' }).waitFor();
    expect(await page.getByRole('button', { name: 'Use for training' }).count()).toBe(1);

    // Keyboard: arrows move through the radio group like any other.
    await page.getByRole('radio', { name: /^Reference CNN/ }).focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByRole('radio', { name: /^Large/ }).isChecked()).toBe(true);
    await waitForTotal(page, largeTotal());
    await page.getByRole('list', { name: 'Layers of Large' }).waitFor();

    // The choice survives leaving the tab and coming back.
    await page.getByRole('tab', { name: 'Dataset' }).click();
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('list', { name: 'Layers of Large' }).waitFor();
    expect(await page.getByRole('radio', { name: /^Large/ }).isChecked()).toBe(true);

    // "Use for training" makes it the next run's network and shows the settings.
    await page.getByRole('button', { name: 'Use for training' }).click();
    await page.getByRole('tab', { name: 'Settings', selected: true }).waitFor();
    const architecture = page.getByLabel('Architecture');
    await architecture.waitFor();
    expect(await architecture.inputValue()).toBe('large');
    await page.getByRole('tab', { name: 'Network' }).click();
    await page.getByText('The training settings use this network.').waitFor();
    expect(await page.getByRole('button', { name: 'Use for training' }).count()).toBe(0);
  });

  it("follows the project's labels: one class per label once there are two", async () => {
    const { page, services } = app();
    const project = services.projects.create({ name: 'Pets', inputSize: 64, color: 'rgb' });
    services.dataset.createLabel(project.id, 'cat');
    await openTrainTab(page, 'Pets');
    // 64 px photos: Medium is recommended; one label is not enough, so 10 classes are assumed.
    expect(await page.getByRole('radio', { name: /^Medium/ }).isChecked()).toBe(true);
    await page.getByText('10 (until the dataset has two labels)').waitFor();
    expect(await page.getByTestId('layer-input').locator('.layer-chip').textContent()).toBe(
      '3 channels (RGB)',
    );
    expect(await page.getByTestId('layer-input').locator('.glyph-tile').count()).toBe(3);

    // A second label arrives (here from the backend, as an import would): the network follows without a reload.
    services.dataset.createLabel(project.id, 'dog');
    await page.getByText('2, one per label').waitFor();
    const last = page.locator('.layer-row').nth(-2);
    expect(await last.locator('.layer-chip').allTextContents()).toEqual(['2 classes']);
    expect(await page.getByTestId('layer-softmax').locator('.layer-shape').textContent()).toBe('2 numbers');
  });
});

/** The Large preset's total for a 28 px grayscale project with 10 classes, from the service the page uses. */
function largeTotal(): string {
  const d = describeNetwork('large', inputSpecFor(28, 'gray'), { numClasses: 10, classesFrom: 'default' });
  return d.description.totalParams.toLocaleString('en-US');
}

/**
 * The README screenshot (docs/screenshots/network-light.png) and a review set in test-results/screenshots:
 * `CNN_STUDIO_SCREENSHOTS=1 npx vitest run test/e2e/network` after `npm run build`.
 */
const enabled = process.env.CNN_STUDIO_SCREENSHOTS === '1';
describe('network screenshots', () => {
  it.skipIf(!enabled)(
    enabled
      ? 'takes the network explorer in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1 to take them',
    async () => {
      const reviewDir = path.join(repoRoot, 'test-results', 'screenshots');
      fs.mkdirSync(reviewDir, { recursive: true });
      for (const [locale, colorScheme] of [
        ['en-US', 'light'],
        ['en-US', 'dark'],
        ['zh-CN', 'light'],
        ['zh-CN', 'dark'],
      ] as const) {
        const app = await startApp({ locale, colorScheme, viewport: { width: 1280, height: 1360 } });
        try {
          const zh = locale === 'zh-CN';
          const name = zh ? '手写数字' : 'Handwritten digits';
          app.services.projects.create({ name, inputSize: 28, color: 'gray' });
          const { page } = app;
          await page.reload();
          await page.getByRole('button', { name: zh ? `打开 ${name}` : `Open ${name}` }).click();
          await page.getByRole('tab', { name: zh ? '训练' : 'Train' }).click();
          await page.getByRole('tab', { name: zh ? '网络' : 'Network' }).click();
          await page.getByRole('radio', { name: zh ? /^参考 CNN/ : /^Reference CNN/ }).check();
          await page.locator('.network[aria-busy="false"] [data-testid="layer-10"]').waitFor();
          await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
          const base = `${zh ? 'zh-CN' : 'en'}-${colorScheme}`;
          await page.screenshot({ path: path.join(reviewDir, `${base}-network.png`) });
          if (base === 'en-light') {
            await page.screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', 'network-light.png') });
          }
          await page.getByTestId('layer-softmax').scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(reviewDir, `${base}-network-end.png`) });
          await page.getByRole('radio', { name: zh ? /^大型/ : /^Large/ }).check();
          await page.getByRole('list', { name: zh ? '大型的各层' : 'Layers of Large' }).waitFor();
          await page.locator('.network[aria-busy="false"]').waitFor();
          // Keyboard focus on the checked preset (Shift+Tab, Tab: focus-visible), to review the focus ring.
          await page.keyboard.press('Shift+Tab');
          await page.keyboard.press('Tab');
          await page.screenshot({ path: path.join(reviewDir, `${base}-network-large.png`) });
        } finally {
          await app.close();
        }
      }
    },
    120_000,
  );
});
