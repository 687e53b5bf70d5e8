import { expect } from 'vitest';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ProjectSummary } from '../../../app/domain/project';
import type { Services } from '../../../main/services/services';
import { repoRoot } from './paths';

/** Waits until `locator` matches exactly `count` elements (Playwright's auto-waiting, without its test runner). */
export async function waitForCount(locator: Locator, count: number, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = -1;
  while (Date.now() < deadline) {
    last = await locator.count();
    if (last === count) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Expected ${count} match(es) for ${locator.toString()}, found ${last}`);
}

/** The sidebar list of projects. */
export function projectList(page: Page): Locator {
  return page.getByRole('list', { name: 'Projects' });
}

/** Opens the New project dialog with the keyboard-reachable sidebar button and fills it by keyboard. */
export async function createProjectViaUi(
  page: Page,
  project: { name: string; inputSize?: number; color?: 'gray' | 'rgb' },
): Promise<Locator> {
  await page.getByRole('button', { name: 'New project', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.waitFor();
  // The name field has focus when the dialog opens: type straight away, like a user.
  await page.keyboard.type(project.name);
  if (project.inputSize !== undefined) await dialog.getByLabel('Input size').fill(String(project.inputSize));
  if (project.color === 'rgb') await dialog.getByRole('radio', { name: /RGB/ }).check();
  await dialog.getByLabel('Name').press('Enter');
  return dialog;
}

/** Asserts the list shows exactly these project names, in any order. */
export async function expectProjectNames(page: Page, names: string[]): Promise<void> {
  const rows = projectList(page).getByRole('listitem');
  await waitForCount(rows, names.length);
  const open = projectList(page).getByRole('button', { name: /^Open / });
  const labels = await open.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  expect(labels.map((l) => l.replace(/^Open /, '')).sort()).toEqual([...names].sort());
}

/** The full happy path the Chromium and the Electron tests share: create, see, rename, delete with confirmation. */
export async function createRenameDeleteFlow(
  page: Page,
  names: { first: string; renamed: string },
): Promise<void> {
  // Create.
  const dialog = await createProjectViaUi(page, { name: names.first, inputSize: 32, color: 'rgb' });
  await dialog.waitFor({ state: 'detached' });
  await expectProjectNames(page, [names.first]);
  await page.getByRole('heading', { level: 1, name: names.first }).waitFor();
  await page.getByRole('tab', { name: 'Dataset', selected: true }).waitFor();
  await page.getByText('Import images to start').waitFor();
  expect(await page.getByText('32×32').first().isVisible()).toBe(true);

  // Rename inline: the pencil button, select-all, type, Enter.
  await page.getByRole('button', { name: `Rename ${names.first}` }).click();
  const input = page.getByRole('textbox', { name: 'New project name' });
  await input.waitFor();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(names.renamed);
  await input.press('Enter');
  await input.waitFor({ state: 'detached' });
  await expectProjectNames(page, [names.renamed]);
  await page.getByRole('heading', { level: 1, name: names.renamed }).waitFor();

  // Delete: Escape cancels the confirmation, then confirm for real.
  await page.getByRole('button', { name: `Delete ${names.renamed}` }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Move project to the Trash?' });
  await confirm.waitFor();
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  await expectProjectNames(page, [names.renamed]);
  await page.getByRole('button', { name: `Delete ${names.renamed}` }).click();
  await confirm.getByRole('button', { name: 'Move to Trash' }).click();
  await confirm.waitFor({ state: 'detached' });
  await expectProjectNames(page, []);
  await page.getByText('No projects yet.').waitFor();
}

/**
 * Drops files/folders on the window the way Chromium delivers a real drop: a DataTransfer of File objects that
 * carry a `path` (what the page's pathsForDrop reads when no Electron preload is there).
 */
export async function dropPaths(page: Page, paths: string[]): Promise<void> {
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const p of items) {
      const file = new File([], p.split('/').pop() ?? p);
      Object.defineProperty(file, 'path', { value: p });
      dt.items.add(file);
    }
    const fire = (type: string) =>
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
    fire('dragenter');
    fire('dragover');
    fire('drop');
  }, paths);
}

/** The small Fashion-MNIST set of PNG class folders (train/, test/). */
export const FASHION_SMALL = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small');

/**
 * A 28 px gray project of fashion-mnist-small's train/ folder with one completed run of `preset` (one worker, a
 * fixed seed): the trained model the Predict, Export and Look inside tests start from.
 */
export async function trainedFashionProject(
  services: Services,
  options: { name: string; preset: 'small' | 'reference'; epochs: number; seed: number },
): Promise<ProjectSummary> {
  const project = services.projects.create({ name: options.name, inputSize: 28, color: 'gray' });
  await services.dataset.importAndWait(project.id, { paths: [path.join(FASHION_SMALL, 'train')] });
  const settings = {
    ...services.training.defaults(project.id).settings,
    model: { kind: 'preset' as const, preset: options.preset },
    epochs: options.epochs,
    seed: options.seed,
    workers: 1,
  };
  const run = services.training.start(project.id, settings);
  expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
  return project;
}
