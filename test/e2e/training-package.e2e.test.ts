import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { TrainingPackageFile, TrainingPackageProgress } from '../../app/domain/training-package';
import type { DesktopApi } from '../../app/ipc/contract';
import type { Services } from '../../main/services/services';
import { takeSnapshot } from '../../main/services/training/dataset-snapshot';
import { useE2eApp } from './support/e2e-test';
import { repoRoot } from './support/paths';

/**
 * The training package card of the Export section in Chromium against the real main handlers: before any run it
 * offers the current settings and the presets (a medium preset package into a folder picked with the scripted
 * dialog, with its progress, counts and commands); after a run, the model's run is the default source; a folder
 * that is not empty shows its error.
 */
const dataset = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'test');

async function openExport(page: Page, project: string): Promise<void> {
  await page.reload();
  await page.getByRole('button', { name: `Open ${project}` }).click();
  await page.getByRole('heading', { level: 1, name: project }).waitFor();
  await page.getByRole('tab', { name: 'Export' }).click();
  await page.getByRole('heading', { name: 'Training package (PyTorch)' }).waitFor();
}

const readPackage = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, 'training.json'), 'utf8')) as TrainingPackageFile;

function expectedCounts(services: Services, projectId: string): string {
  const images = takeSnapshot(services.projects.db(projectId)).images;
  const n = (s: string) => images.filter((i) => i.split === s).length;
  return `${n('train')} train · ${n('val')} validation · ${n('test')} test`;
}

describe('training package card (renderer in Chromium, real main handlers)', () => {
  let pickFolder = '';
  const app = useE2eApp({
    viewport: { width: 1280, height: 1100 },
    dialogs: {
      open: async (kind, multiple) => (kind === 'folder' && !multiple && pickFolder ? [pickFolder] : []),
      save: async () => null,
    },
  });

  it('writes a preset package before any run, the model run package after one, and refuses a used folder', async () => {
    const { page, services, dataDir } = app();
    const project = services.projects.create({ name: 'Fashion', inputSize: 28, color: 'gray' });
    await services.dataset.importAndWait(project.id, { paths: [dataset] });
    await openExport(page, 'Fashion');
    await page.evaluate(() => {
      const w = window as unknown as { desktop: DesktopApi; __stages: string[] };
      w.__stages = [];
      w.desktop.on('trainingPackage:progress', (p: TrainingPackageProgress) => void w.__stages.push(p.stage));
    });
    const card = page.getByTestId('training-package');
    const form = card.getByRole('form', { name: 'Training package (PyTorch)' });
    // no run yet: the current settings by default, and the presets
    expect(await form.getByRole('radio').count()).toBe(2);
    expect(await form.getByRole('radio', { name: /current training settings/ }).isChecked()).toBe(true);
    await form.getByRole('radio', { name: /A preset/ }).check();
    await form.getByRole('combobox', { name: 'Preset' }).selectOption('medium');

    const presetDir = path.join(dataDir, 'packages', 'medium');
    pickFolder = presetDir;
    await form.getByRole('button', { name: 'Choose…' }).click();
    await expect.poll(() => form.getByLabel('Output folder').inputValue()).toBe(presetDir);
    await form.getByRole('button', { name: 'Write the package' }).click();
    const result = card.getByTestId('training-package-result');
    await result.waitFor({ timeout: 60_000 });
    expect(await card.getByTestId('training-package-dir').textContent()).toBe(presetDir);
    expect(await card.getByTestId('training-package-counts').textContent()).toBe(
      expectedCounts(services, project.id),
    );
    const commands = await card.getByTestId('training-package-command').allTextContents();
    expect(commands).toEqual([
      `cd ${presetDir} && python3 train.py`,
      `cd ${presetDir} && torchrun --standalone --nproc_per_node 2 train.py`,
      `cnn-studio import-model Fashion ${presetDir}/output/model.cnnmodel`,
    ]);
    const medium = readPackage(presetDir);
    expect(medium.source).toEqual({ kind: 'preset', preset: 'medium' });
    expect(medium.modelName).toBe('medium');
    const stages = await page.evaluate(() => (window as unknown as { __stages: string[] }).__stages);
    expect(stages[0]).toBe('dataset');
    expect(stages.at(-1)).toBe('done');

    // the same folder again: not empty
    await form.getByRole('button', { name: 'Write the package' }).click();
    const error = card.locator('.training-package-error');
    await error.waitFor();
    expect(await error.getAttribute('data-code')).toBe('dir-not-empty');
    expect(await error.textContent()).toBe(`${presetDir} is not empty. Choose a new or empty folder.`);

    // after a run, the model's run is offered first and chosen by default
    const defaults = services.training.defaults(project.id).settings;
    const run = services.training.start(
      project.id,
      { ...defaults, model: { kind: 'preset', preset: 'reference' }, epochs: 1, seed: 3, workers: 1 },
      'quick',
    );
    expect((await services.training.waitFor(project.id, run.id)).run.status).toBe('completed');
    await openExport(page, 'Fashion');
    const form2 = page
      .getByTestId('training-package')
      .getByRole('form', { name: 'Training package (PyTorch)' });
    expect(await form2.getByRole('radio').count()).toBe(3);
    expect(await form2.getByRole('radio', { name: /The model: run “quick”/ }).isChecked()).toBe(true);
    const runDir = path.join(dataDir, 'packages', 'run quick');
    await form2.getByLabel('Output folder').fill(runDir);
    await form2.getByRole('button', { name: 'Write the package' }).click();
    await page.getByTestId('training-package-result').waitFor({ timeout: 60_000 });
    const fromRun = readPackage(runDir);
    expect(fromRun.source).toEqual({ kind: 'run', runId: run.id, runName: 'quick' });
    expect(fromRun.modelName).toBe('reference');
    expect((await page.getByTestId('training-package-command').first().textContent()) ?? '').toBe(
      `cd '${runDir}' && python3 train.py`,
    );
  });
});
