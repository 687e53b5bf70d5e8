import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../app/domain/dataset';
import type { Services } from '../../main/services/services';
import { useE2eApp } from './support/e2e-test';
import { FASHION_SMALL } from './support/flows';
import { startApp } from './support/harness';

/**
 * Label suggestions (issue 11) in Chromium against the real main handlers: a 28 px project with 25 images of each
 * class labeled (class folders) and 4 of each unlabeled (a flat folder, which imports them unlabeled), one short
 * run of the reference preset, whose completion makes the suggestions. The tests check the database through the
 * dataset service after each key and button.
 */
const CLASSES = fs.readdirSync(path.join(FASHION_SMALL, 'train')).sort();
const LABELED_PER_CLASS = 25;
const UNLABELED_PER_CLASS = 4;

let tempDir = '';
let dataDir = '';
let projectId = '';

function trainPngs(label: string, from: number, n: number): string[] {
  const dir = path.join(FASHION_SMALL, 'train', label);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.png'))
    .sort()
    .slice(from, from + n)
    .map((f) => path.join(dir, f));
}

/** Copies PNGs into a flat folder (no class subfolders: they import unlabeled). */
function flatFolder(name: string, files: (label: string) => string[]): string {
  const dir = path.join(tempDir, name);
  fs.mkdirSync(dir);
  for (const label of CLASSES) {
    files(label).forEach((file, i) => fs.copyFileSync(file, path.join(dir, `${name}-${label}-${i}.png`)));
  }
  return dir;
}

async function waitUntil<T>(what: string, probe: () => T | undefined | false, timeout = 60_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function suggestionsReady(services: Services): Promise<void> {
  await waitUntil('the suggestions', () => {
    const s = services.suggestions.status(projectId);
    return s.state === 'ready' && s.runId === s.modelRunId && s.stale.length === 0 && s.count > 0;
  });
}

/** Every unlabeled image with its suggestion, most confident first (straight from the dataset service). */
function unlabeledImages(services: Services): ImageSummary[] {
  return services.dataset.listImages(projectId, {
    filter: { kind: 'unlabeled' },
    sort: 'confidence',
    descending: true,
    offset: 0,
    limit: 1000,
  }).items;
}

function labelOf(services: Services, fileName: string): string | null {
  const image = services.dataset
    .listImages(projectId, {
      filter: { kind: 'all' },
      sort: 'name',
      descending: false,
      offset: 0,
      limit: 1000,
    })
    .items.find((i) => i.fileName === fileName);
  if (!image) throw new Error(`no image ${fileName}`);
  return image.labelName;
}

/** The file name and suggested label a cell's accessible name carries ("x.png, Unlabeled, suggested: Coat, 87%"). */
function parseCell(name: string): { file: string; label: string; percent: number } {
  const match = /^(.+?), Unlabeled, suggested: (.+), (\d+)%$/.exec(name);
  if (!match) throw new Error(`not a suggested cell: ${name}`);
  return { file: match[1], label: match[2], percent: Number(match[3]) };
}

beforeAll(async () => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-suggestions-e2e-'));
  dataDir = path.join(tempDir, 'data');
  const labeled = path.join(tempDir, 'labeled');
  for (const label of CLASSES) {
    fs.mkdirSync(path.join(labeled, label), { recursive: true });
    for (const f of trainPngs(label, 0, LABELED_PER_CLASS))
      fs.copyFileSync(f, path.join(labeled, label, path.basename(f)));
  }
  const unlabeled = flatFolder('new', (label) => trainPngs(label, 40, UNLABELED_PER_CLASS));

  const app = await startApp({ dataDir });
  try {
    const { services } = app;
    const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    projectId = project.id;
    const first = await services.dataset.importAndWait(project.id, { paths: [labeled] });
    expect(first.imported).toBe(CLASSES.length * LABELED_PER_CLASS);
    const second = await services.dataset.importAndWait(project.id, { paths: [unlabeled] });
    expect(second.unlabeled).toBe(CLASSES.length * UNLABELED_PER_CLASS);
    const settings = {
      ...services.training.defaults(project.id).settings,
      model: { kind: 'preset' as const, preset: 'reference' as const },
      epochs: 2,
      seed: 5,
      workers: 1,
    };
    const run = services.training.start(project.id, settings);
    expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
    // The run became the model: the backend makes the suggestions by itself.
    await suggestionsReady(services);
  } finally {
    await app.close();
  }
}, 240_000);

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

async function openDataset(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open Fashion' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fashion' }).waitFor();
  await page.getByRole('tab', { name: 'Dataset', selected: true }).waitFor();
  await page.getByRole('grid').getByRole('gridcell').first().waitFor();
}

describe('label suggestions (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp(() => ({ dataDir, viewport: { width: 1280, height: 900 } }));

  it('shows suggestions on unlabeled images; Enter accepts, a digit overrides, accept all ≥ N % takes the preview, Undo restores', async () => {
    const { page, services } = app();
    await openDataset(page);
    const total = CLASSES.length * UNLABELED_PER_CLASS;
    const bar = page.getByRole('region', { name: 'Label suggestions' });
    await bar.getByText(`${total} suggestions`).waitFor();

    // Unlabeled, most confident first: cells carry their suggestion, in descending confidence.
    await page.getByRole('button', { name: 'Unlabeled, most confident first' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${total} images` })
      .waitFor();
    const grid = page.getByRole('grid');
    const cells = grid.getByRole('gridcell');
    await cells.first().waitFor();
    const names = await cells.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
    const shown = names.map(parseCell);
    expect(shown.length).toBeGreaterThan(10);
    for (let i = 1; i < shown.length; i++) expect(shown[i].percent).toBeLessThanOrEqual(shown[i - 1].percent);
    const expectedTop = unlabeledImages(services)[0];
    expect(shown[0].file).toBe(expectedTop.fileName);
    expect(shown[0].label).toBe(expectedTop.suggestion?.label);

    // Click the first image and press Enter: it gets its suggested label, as one undoable action.
    await cells.first().click();
    await page.keyboard.press('Enter');
    await waitUntil('the accepted label', () => labelOf(services, shown[0].file) === shown[0].label);
    await page
      .getByRole('status')
      .filter({ hasText: `Accepted 1 suggestion: “${shown[0].label}”.` })
      .waitFor();
    expect(services.dataset.undoState(projectId).undoDescription).toBeTruthy();
    expect(await page.locator('.image-viewer').count()).toBe(0);

    // Labeling moved on to the next image; a digit key gives it another label than its suggestion.
    const selected = grid.locator('[role="gridcell"][aria-selected="true"]');
    await selected.and(page.getByRole('gridcell', { name: shown[1].file })).waitFor();
    const nextCell = parseCell((await selected.getAttribute('aria-label')) ?? '');
    const labels = services.dataset.listLabels(projectId);
    const other = labels.findIndex((l) => l.name !== nextCell.label);
    await page.keyboard.press(String(other + 1));
    await waitUntil('the digit label', () => labelOf(services, nextCell.file) === labels[other].name);

    // Accept all at or above N %: the preview is the count the backend then accepts.
    const remaining = unlabeledImages(services);
    const threshold = Math.floor(
      (remaining[Math.floor(remaining.length / 2)].suggestion?.confidence ?? 0) * 100,
    );
    const taken = remaining.filter((i) => (i.suggestion?.confidence ?? 0) >= threshold / 100);
    expect(taken.length).toBeGreaterThan(0);
    expect(taken.length).toBeLessThan(remaining.length);
    await bar.getByRole('spinbutton', { name: 'Accept all at or above' }).fill(String(threshold));
    await bar.getByText(`${taken.length} images`, { exact: true }).waitFor();
    await bar.getByRole('button', { name: `Accept ${taken.length}…` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Accept ${taken.length} suggestions?` });
    await confirm.getByRole('button', { name: 'Accept', exact: true }).click();
    await waitUntil('the accepted threshold', () =>
      services.dataset.stats(projectId).unlabeled === remaining.length - taken.length ? true : undefined,
    );
    for (const image of taken) expect(labelOf(services, image.fileName)).toBe(image.suggestion?.label);
    await page
      .getByRole('status')
      .filter({ hasText: `Accepted ${taken.length} suggestions` })
      .waitFor();

    // Undo (the toast's button) takes the whole accept back.
    await page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
    await waitUntil('the undo', () => services.dataset.stats(projectId).unlabeled === remaining.length);
    for (const image of taken) expect(labelOf(services, image.fileName)).toBeNull();
    await bar.getByText(`${remaining.length} suggestions`).waitFor();

    // Enter on an image without a suggestion opens it, as before.
    await page.locator('.label-filter').first().click();
    await cells.first().click();
    await page.keyboard.press('Enter');
    await page.locator('.image-viewer').waitFor();
  });

  it('says why suggestions are stale and refreshes them; "suggested as" accepts only that label; the image view accepts one', async () => {
    const { page, services } = app();
    await openDataset(page);
    const bar = page.getByRole('region', { name: 'Label suggestions' });
    const before = services.suggestions.status(projectId).count;
    await bar.getByText(`${before} suggestions`).waitFor();

    // New unlabeled images: the bar says the suggestions are out of date and why.
    const more = flatFolder('more', (label) => trainPngs(label, 45, 2));
    const imported = await services.dataset.importAndWait(projectId, { paths: [more] });
    expect(imported.unlabeled).toBe(CLASSES.length * 2);
    await bar.getByText('These suggestions are out of date: new images have none yet.').waitFor();
    await bar.getByRole('button', { name: 'Refresh' }).click();
    const after = before + CLASSES.length * 2;
    await bar.getByText(`${after} suggestions`).waitFor({ timeout: 60_000 });
    await bar.getByText(/out of date/).waitFor({ state: 'detached' });
    expect(services.suggestions.status(projectId).count).toBe(after);

    // Suggested as one label: the grid lists only those, and accept all takes only that label's.
    const byLabel = new Map<number, ImageSummary[]>();
    for (const image of unlabeledImages(services)) {
      const id = image.suggestion?.labelId;
      if (id) byLabel.set(id, [...(byLabel.get(id) ?? []), image]);
    }
    const [labelId, images] = [...byLabel].sort((a, b) => b[1].length - a[1].length)[0];
    const label = services.dataset.listLabels(projectId).find((l) => l.id === labelId)!;
    await page.getByRole('combobox', { name: 'Suggested as' }).selectOption(String(labelId));
    await page
      .getByRole('status')
      .filter({ hasText: `${images.length} image` })
      .waitFor();
    const spin = bar.getByRole('spinbutton', { name: 'Accept all at or above' });
    await spin.fill('0');
    await bar.getByText(`${images.length} image${images.length === 1 ? '' : 's'}`, { exact: true }).waitFor();
    await bar.getByRole('button', { name: `Accept ${images.length}…` }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByText(`suggested as “${label.name}”`).waitFor();
    await confirm.getByRole('button', { name: 'Accept', exact: true }).click();
    await waitUntil('the label accepted', () =>
      images.every((i) => labelOf(services, i.fileName) === label.name) ? true : undefined,
    );
    const left = unlabeledImages(services);
    expect(left.length).toBe(after - images.length);
    expect(left.every((i) => i.suggestion?.labelId !== labelId)).toBe(true);

    // The image view of a suggested image accepts its suggestion too.
    await page.getByRole('button', { name: 'Unlabeled, least confident first' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `${left.length} images` })
      .waitFor();
    const first = page.getByRole('grid').getByRole('gridcell').first();
    const cell = parseCell((await first.getAttribute('aria-label')) ?? '');
    expect(cell.file).toBe(left[left.length - 1].fileName);
    await first.dblclick();
    const viewer = page.getByRole('dialog', { name: cell.file });
    await viewer.getByRole('button', { name: `Accept “${cell.label}” (${cell.percent}%)` }).click();
    await waitUntil('the viewer accept', () => labelOf(services, cell.file) === cell.label);
  });
});
