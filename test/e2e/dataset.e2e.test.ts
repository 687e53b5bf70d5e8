import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useE2eApp } from './support/e2e-test';
import { createProjectViaUi, waitForCount, dropPaths } from './support/flows';
import { artifactsDir, repoRoot } from './support/paths';

/**
 * The Dataset section in Chromium against the real main handlers: import by drag and drop, keyboard labeling,
 * undo/redo through the backend, selection, removal and restore, the image view, label management and health.
 *
 * Drag and drop: in Electron a dropped File's path comes from the preload (`desktop.files.pathForFile`, i.e.
 * webUtils.getPathForFile). Headless Chromium has no OS drag source and the e2e bridge no `files`, so the test
 * creates real files on disk, builds File objects in the page with a `path` property pointing at them (the drop
 * handler's fallback, see renderer/src/features/dataset/drop.ts) and dispatches synthetic dragenter/dragover/drop
 * events carrying them in a DataTransfer: from the window's drop listener on, the same code path a real drop takes.
 */

const shared = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');
let tempDir: string;
let folder: string;

function pickPngs(className: string, n: number): string[] {
  return fs
    .readdirSync(path.join(shared, className))
    .filter((f) => f.endsWith('.png'))
    .sort()
    .slice(0, n)
    .map((f) => path.join(shared, className, f));
}

beforeAll(() => {
  fs.mkdirSync(artifactsDir, { recursive: true });
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-dataset-e2e-'));
  folder = path.join(tempDir, 'fashion');
  fs.mkdirSync(folder);
  // Loose files (no class folders): the images arrive unlabeled and are labeled by keyboard.
  pickPngs('Bag', 3).forEach((f, i) => fs.copyFileSync(f, path.join(folder, `bag-${i + 1}.png`)));
  pickPngs('Ankle_boot', 3).forEach((f, i) => fs.copyFileSync(f, path.join(folder, `boot-${i + 1}.png`)));
  // Not an image at all, with an image extension: must be listed as failed.
  fs.writeFileSync(path.join(folder, 'broken.png'), Buffer.from('this is not a png file, just text'));
});

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

function dbRows(dataDir: string): { file: string; label: string | null; removed: boolean }[] {
  const projects = fs.readdirSync(path.join(dataDir, 'projects'));
  expect(projects).toHaveLength(1);
  const db = new Database(path.join(dataDir, 'projects', projects[0], 'project.sqlite'), { readonly: true });
  try {
    return (
      db
        .prepare(
          `SELECT i.file_name AS file, l.name AS label, i.removed_at IS NOT NULL AS removed
           FROM images i LEFT JOIN labels l ON l.id = i.label_id ORDER BY i.file_name`,
        )
        .all() as { file: string; label: string | null; removed: number }[]
    ).map((r) => ({ ...r, removed: r.removed === 1 }));
  } finally {
    db.close();
  }
}

function labelsOf(dataDir: string): Record<string, string | null> {
  return Object.fromEntries(dbRows(dataDir).map((r) => [r.file, r.label]));
}

async function expectDb(dataDir: string, expected: Record<string, string | null>): Promise<void> {
  await expect.poll(() => labelsOf(dataDir), { timeout: 5000 }).toEqual(expected);
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Images' });
const cells = (page: Page) => grid(page).getByRole('gridcell');
const cell = (page: Page, file: string) =>
  grid(page).getByRole('gridcell', { name: new RegExp(`^${file},`) });

async function importByDrop(page: Page): Promise<void> {
  await createProjectViaUi(page, { name: 'Fashion', inputSize: 28 });
  await page.getByText('Import images to start').waitFor();
  await dropPaths(page, [folder]);
  const summary = page.getByRole('region', { name: 'Import finished' });
  await summary.waitFor({ timeout: 30_000 });
  expect(await summary.textContent()).toContain('6 imported');
  const failed = summary.getByRole('list', { name: '1 file failed' });
  await failed.waitFor();
  expect(await failed.textContent()).toContain('broken.png');
  await waitForCount(cells(page), 6);
}

async function createLabel(page: Page, name: string): Promise<void> {
  const field = page.getByRole('textbox', { name: 'New label name' });
  await field.fill(name);
  await field.press('Enter');
  await page.getByRole('button', { name: new RegExp(`^${name}, \\d+ images$`) }).waitFor();
}

describe('dataset (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp({ viewport: { width: 1280, height: 820 } });

  it('imports a folder by drag and drop, labels by keyboard, undoes and redoes, and the database agrees', async () => {
    const { page, dataDir } = app();
    await importByDrop(page);

    await createLabel(page, 'Ankle boot');
    await createLabel(page, 'Bag');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
    await expect.poll(() => cells(page).first().getAttribute('aria-label')).toMatch(/^bag-1\.png,/);

    // Click the first image, then 2 = "Bag" three times (each moves on to the next image), 1 = "Ankle boot" three times.
    await cell(page, 'bag-1.png').click();
    expect(await cell(page, 'bag-1.png').getAttribute('aria-selected')).toBe('true');
    for (const key of ['2', '2', '2', '1', '1', '1']) {
      await page.keyboard.press(key);
      await page.waitForTimeout(150); // each key is one backend call, like a fast labeler
    }
    const labeled = {
      'bag-1.png': 'Bag',
      'bag-2.png': 'Bag',
      'bag-3.png': 'Bag',
      'boot-1.png': 'Ankle boot',
      'boot-2.png': 'Ankle boot',
      'boot-3.png': 'Ankle boot',
    };
    await expectDb(dataDir, labeled);
    await expect
      .poll(() => cell(page, 'boot-3.png').getAttribute('aria-label'))
      .toBe('boot-3.png, Ankle boot');
    // The side panel counts follow.
    await page.getByRole('button', { name: 'Bag, 3 images' }).waitFor();
    await page.getByRole('button', { name: 'Ankle boot, 3 images' }).waitFor();

    // Undo the last label, then redo it, with the keyboard (the grid keeps focus).
    await page.keyboard.press('ControlOrMeta+z');
    await expectDb(dataDir, { ...labeled, 'boot-3.png': null });
    await expect
      .poll(() => cell(page, 'boot-3.png').getAttribute('aria-label'))
      .toBe('boot-3.png, Unlabeled');
    await page.getByRole('button', { name: 'Ankle boot, 2 images' }).waitFor();
    await page.keyboard.press('ControlOrMeta+Shift+z');
    await expectDb(dataDir, labeled);
    await expect
      .poll(() => cell(page, 'boot-3.png').getAttribute('aria-label'))
      .toBe('boot-3.png, Ankle boot');

    // Shift-click a range and relabel it with the searchable picker (L): two boots become "Bag".
    await cell(page, 'boot-1.png').click();
    await cell(page, 'boot-2.png').click({ modifiers: ['Shift'] });
    await page.getByText('2 selected').waitFor();
    await page.keyboard.press('l');
    const picker = page.getByRole('dialog', { name: 'Label the selection' });
    await picker.waitFor();
    await page.keyboard.type('ba');
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expectDb(dataDir, { ...labeled, 'boot-1.png': 'Bag', 'boot-2.png': 'Bag' });
    // ...and undo that too (one action for both images).
    await page.keyboard.press('ControlOrMeta+z');
    await expectDb(dataDir, labeled);

    // The picker creates a label that does not exist yet; the toolbar's Undo button takes the labeling back.
    await page.keyboard.press('ControlOrMeta+k');
    await picker.waitFor();
    await page.keyboard.type('Sandal');
    await page.keyboard.press('Enter');
    await expectDb(dataDir, { ...labeled, 'boot-1.png': 'Sandal', 'boot-2.png': 'Sandal' });
    await page.getByRole('button', { name: 'Sandal, 2 images' }).waitFor();
    await page.locator('.dataset-toolbar').getByRole('button', { name: 'Undo' }).click();
    await expectDb(dataDir, labeled);

    // Shift+arrows extend the selection from the clicked image; Escape clears it.
    await cell(page, 'bag-1.png').click();
    await page.keyboard.press('Shift+ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    await page.getByText('3 selected').waitFor();
    await page.keyboard.press('Escape');
    await page.getByText('6 images', { exact: true }).waitFor();

    await page.screenshot({ path: path.join(artifactsDir, 'dataset-labeled.png') });
  });

  it('selects all, removes and restores, filters, opens the image view, manages labels and shows health', async () => {
    const { page, dataDir } = app();
    await importByDrop(page);
    await createLabel(page, 'Bag');
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
    await expect.poll(() => cells(page).first().getAttribute('aria-label')).toMatch(/^bag-1\.png,/);

    // Ctrl+A selects everything in the filter; 1 labels it all.
    await cell(page, 'bag-1.png').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.getByText('6 selected').waitFor();
    await page.keyboard.press('1');
    await expect.poll(() => Object.values(labelsOf(dataDir)).filter((l) => l === 'Bag').length).toBe(6);

    // Ctrl-click toggles; Delete removes (recoverable).
    await cell(page, 'boot-1.png').click();
    await cell(page, 'boot-2.png').click({ modifiers: ['ControlOrMeta'] });
    await page.getByText('2 selected').waitFor();
    await page.keyboard.press('Delete');
    await waitForCount(cells(page), 4);
    await expect
      .poll(() =>
        dbRows(dataDir)
          .filter((r) => r.removed)
          .map((r) => r.file),
      )
      .toEqual(['boot-1.png', 'boot-2.png']);
    await page.getByRole('button', { name: /^Removed/ }).click();
    await waitForCount(cells(page), 2);
    await cell(page, 'boot-1.png').click();
    await page.getByRole('button', { name: 'Restore', exact: true }).click();
    await waitForCount(cells(page), 1);
    await expect
      .poll(() =>
        dbRows(dataDir)
          .filter((r) => r.removed)
          .map((r) => r.file),
      )
      .toEqual(['boot-2.png']);

    // Arrow keys move the focus; Enter opens the image view with its metadata.
    await page.getByRole('button', { name: /^All images/ }).click();
    await waitForCount(cells(page), 5);
    await cell(page, 'bag-1.png').click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => cell(page, 'bag-2.png').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    const viewer = page.getByRole('dialog', { name: 'bag-2.png' });
    await viewer.waitFor();
    await viewer.getByText(path.join(folder, 'bag-2.png')).waitFor();
    await viewer.getByText('28 × 28 px', { exact: false }).waitFor();
    expect(
      await viewer
        .getByRole('img', { name: 'bag-2.png' })
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    ).toBe(28);
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    // Labels: rename, merge, delete.
    await createLabel(page, 'Boot');
    await page.getByRole('button', { name: 'Rename Bag' }).click();
    const rename = page.getByRole('textbox', { name: 'New label name' }).first();
    await rename.fill('Handbag');
    await rename.press('Enter');
    await page.getByRole('button', { name: 'Handbag, 5 images' }).waitFor();
    await page.getByRole('button', { name: 'Merge Handbag into another label' }).click();
    const merge = page.getByRole('dialog', { name: /Merge “Handbag” into/ });
    await merge.getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('button', { name: 'Boot, 5 images' }).waitFor();
    await page.getByRole('button', { name: 'Delete Boot' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Delete label' }).click();
    await page.getByRole('button', { name: /^Unlabeled/ }).waitFor();
    await expect.poll(() => Object.values(labelsOf(dataDir)).every((l) => l === null)).toBe(true);

    // Splits & health.
    await page.getByRole('button', { name: 'Splits & health' }).click();
    const panel = page.getByRole('complementary', { name: 'Splits & health' });
    await panel.getByText('Training needs at least two labels with images.').waitFor();
    await panel.getByRole('button', { name: 'Assign splits' }).click();
    await panel.getByText('Splits assigned.').waitFor();

    // Export to class folders + CSV ("Export dataset": the model's export is the Export tab).
    await page.getByRole('button', { name: /^Export( dataset)?$/ }).click();
    const exportPanel = page.getByRole('complementary', { name: /^Export( dataset)?$/ });
    const out = path.join(tempDir, 'export');
    await exportPanel.getByLabel('Destination folder').fill(out);
    await exportPanel.getByLabel('Include unlabeled images').check();
    await exportPanel.getByRole('button', { name: 'Export', exact: true }).click();
    await exportPanel.getByText(/^Exported 5 images to /).waitFor();
    expect(fs.readdirSync(out).length).toBeGreaterThan(0);
  });
});

describe('webcam capture (Chromium fake camera, real main handlers)', () => {
  // Chromium's own fake device: a real MediaStream through getUserMedia, with the permission prompt auto-accepted.
  const camApp = useE2eApp({
    viewport: { width: 1280, height: 820 },
    chromiumArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  });

  it('records a webcam burst into a label while the button is held', async () => {
    const { page, dataDir } = camApp();
    await importByDrop(page);
    await page.getByRole('button', { name: 'Webcam' }).click();
    const panel = page.getByRole('complementary', { name: 'Webcam' });
    await panel.getByLabel('Label for the new images').fill('Waving hand');
    const hold = panel.getByRole('button', { name: 'Hold to record' });
    await expect.poll(() => hold.isEnabled()).toBe(true);
    await hold.hover();
    await page.mouse.down();
    await panel.getByRole('button', { name: /^Recording… [3-9] frames$/ }).waitFor();
    await page.mouse.up();
    await panel.getByText(/frames sent to import as “Waving hand”/).waitFor();
    await page.getByRole('button', { name: /^Waving hand, [3-9] images$/ }).waitFor({ timeout: 20_000 });
    await page.screenshot({ path: path.join(artifactsDir, 'dataset-webcam.png') });
    const captured = dbRows(dataDir).filter((r) => r.label === 'Waving hand');
    expect(captured.length).toBeGreaterThanOrEqual(3);
    expect(captured.every((r) => r.file.startsWith('capture-'))).toBe(true);
  });
});
