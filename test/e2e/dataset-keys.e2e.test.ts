import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useE2eApp } from './support/e2e-test';
import { repoRoot } from './support/paths';

/**
 * Ten or more classes (issue 12, item 4) in Chromium against the real main handlers: keys 1–9 and 0 reach the
 * first ten labels (checked in the project's database), U unlabels, the shortcut hint says how to reach the rest,
 * and the picker lists every label with its key, scrolls to the active one and finds the 12th by typing.
 */

const shared = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');
const LABELS = Array.from({ length: 12 }, (_, i) => `class-${String(i + 1).padStart(2, '0')}`);
let source: string;

beforeAll(() => {
  source = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-keys-e2e-'));
  const pngs = fs
    .readdirSync(path.join(shared, 'Bag'))
    .filter((f) => f.endsWith('.png'))
    .sort()
    .slice(0, 12);
  // Loose files, named so the name order is the labeling order: they arrive unlabeled.
  pngs.forEach((f, i) =>
    fs.copyFileSync(
      path.join(shared, 'Bag', f),
      path.join(source, `img-${String(i + 1).padStart(2, '0')}.png`),
    ),
  );
});

afterAll(() => fs.rmSync(source, { recursive: true, force: true }));

function labelsInDb(dataDir: string): Record<string, string | null> {
  const [project] = fs.readdirSync(path.join(dataDir, 'projects'));
  const db = new Database(path.join(dataDir, 'projects', project, 'project.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT i.file_name AS file, l.name AS label FROM images i LEFT JOIN labels l ON l.id = i.label_id
         ORDER BY i.file_name`,
      )
      .all() as { file: string; label: string | null }[];
    return Object.fromEntries(rows.map((r) => [r.file, r.label]));
  } finally {
    db.close();
  }
}

const file = (n: number) => `img-${String(n).padStart(2, '0')}.png`;
const grid = (page: Page) => page.getByRole('grid', { name: 'Images' });

describe('dataset keys with ten or more labels (Chromium, real main handlers)', () => {
  const app = useE2eApp({ viewport: { width: 1280, height: 800 } });

  it('labels ten images with 1–9 and 0, unlabels with U, and reaches the 12th label through the picker', async () => {
    const { page, services, dataDir } = app();
    const project = services.projects.create({ name: 'Twelve', inputSize: 28, color: 'gray' });
    await services.dataset.importAndWait(project.id, { paths: [source] });
    for (const name of LABELS) services.dataset.createLabel(project.id, name);
    await page.reload();
    await page.locator('.project-open').first().click();
    await page.getByRole('combobox', { name: 'Sort' }).selectOption('name');
    await grid(page)
      .getByRole('gridcell', { name: /^img-01\.png,/ })
      .click();

    // The label panel shows each label's key: 1–9, then 0 for the tenth, none for the 11th and 12th.
    const keys = await page
      .locator('.label-list .label-row')
      .evaluateAll((rows) => rows.map((row) => row.querySelector('kbd.label-key')?.textContent ?? null));
    expect(keys).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', null, null]);
    await expect.poll(() => page.locator('.shortcuts').textContent()).toContain('12 labels: press L');

    // Labeling moves on to the next image, so typing the keys in a row labels ten images in a row.
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0']) await page.keyboard.press(key);
    const expected: Record<string, string | null> = {};
    for (let n = 1; n <= 12; n++) expected[file(n)] = n <= 10 ? LABELS[n - 1] : null;
    await expect.poll(() => labelsInDb(dataDir), { timeout: 10_000 }).toEqual(expected);

    // Focus is on img-11 now: the picker lists all twelve labels with their keys and scrolls with the arrows.
    await page.keyboard.press('l');
    const picker = page.getByRole('listbox', { name: 'Labels' });
    await picker.waitFor();
    await expect.poll(() => picker.getByRole('option').count()).toBe(13); // twelve labels + "No label"
    await expect.poll(() => page.locator('.picker-count').textContent()).toBe('12 of 12 labels');
    const twelfth = picker.getByRole('option', { name: /class-12/ });
    expect(await isInside(twelfth, picker)).toBe(false); // below the fold: the list scrolls
    for (let i = 0; i < 11; i++) await page.keyboard.press('ArrowDown');
    await expect.poll(() => twelfth.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => isInside(twelfth, picker)).toBe(true);

    // Typing filters: "12" leaves the 12th label alone, Enter assigns it.
    await page.getByRole('combobox', { name: 'Search labels' }).fill('12');
    await expect.poll(() => page.locator('.picker-count').textContent()).toBe('1 of 12 labels');
    await page.keyboard.press('Enter');
    expected[file(11)] = 'class-12';
    await expect.poll(() => labelsInDb(dataDir), { timeout: 10_000 }).toEqual(expected);

    // U unlabels (0 no longer does): back on img-01.
    await grid(page)
      .getByRole('gridcell', { name: /^img-01\.png,/ })
      .click();
    await page.keyboard.press('u');
    expected[file(1)] = null;
    await expect.poll(() => labelsInDb(dataDir), { timeout: 10_000 }).toEqual(expected);
  });
});

/** Whether an option lies wholly inside the visible part of its scrolling list. */
async function isInside(
  option: ReturnType<Page['locator']>,
  list: ReturnType<Page['locator']>,
): Promise<boolean> {
  const [a, b] = await Promise.all([option.boundingBox(), list.boundingBox()]);
  return a !== null && b !== null && a.y >= b.y - 1 && a.y + a.height <= b.y + b.height + 1;
}
