import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useE2eApp } from './support/e2e-test';
import { createProjectViaUi, createRenameDeleteFlow, expectProjectNames, projectList } from './support/flows';

describe('projects (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp();

  it('creates, renames and deletes a project, and the disk agrees', async () => {
    const { page, dataDir } = app();
    await page.getByRole('heading', { name: 'Welcome to CNN Studio' }).waitFor();

    await createRenameDeleteFlow(page, { first: 'Digits', renamed: 'Handwritten digits' });

    // The folder moved to <dataDir>/trash/<id>, and its own database carries the new name and settings.
    const trashed = fs.readdirSync(path.join(dataDir, 'trash'));
    expect(trashed).toHaveLength(1);
    expect(fs.readdirSync(path.join(dataDir, 'projects'))).toEqual([]);
    const id = trashed[0];
    const db = new Database(path.join(dataDir, 'trash', id, 'project.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT id, name, input_size, color FROM project').get();
      expect(row).toEqual({ id, name: 'Handwritten digits', input_size: 32, color: 'rgb' });
    } finally {
      db.close();
    }
    const meta = JSON.parse(fs.readFileSync(path.join(dataDir, 'trash', id, 'deleted.json'), 'utf8'));
    expect(meta.name).toBe('Handwritten digits');
  });

  it('restores a project from the Trash', async () => {
    const { page, dataDir } = app();
    await createProjectViaUi(page, { name: 'Cats vs dogs' });
    await expectProjectNames(page, ['Cats vs dogs']);
    await page.getByRole('button', { name: 'Delete Cats vs dogs' }).click();
    await page.getByRole('button', { name: 'Move to Trash' }).click();
    await expectProjectNames(page, []);

    await page.getByRole('button', { name: /^Trash/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Trash' }).waitFor();
    await page.getByRole('button', { name: 'Restore Cats vs dogs' }).click();
    await expectProjectNames(page, ['Cats vs dogs']);
    await page.getByRole('heading', { level: 1, name: 'Cats vs dogs' }).waitFor();
    expect(fs.readdirSync(path.join(dataDir, 'trash'))).toEqual([]);
    expect(fs.readdirSync(path.join(dataDir, 'projects'))).toHaveLength(1);
  });

  it('shows main’s error for an empty, a duplicate and a path-like name, and keeps the dialog open', async () => {
    const { page, services } = app();
    services.projects.create({ name: 'Existing', inputSize: 28, color: 'gray' });
    await page.reload();
    await expectProjectNames(page, ['Existing']);

    // The sentence is worded by the page; main's English is only the collapsed Details line.
    const cases: [string, string, RegExp][] = [
      ['', 'Enter a name.', /Project name "" is empty\./],
      ['existing', 'A project with this name already exists.', /A project named "existing" already exists\./],
      ['../x', 'A name cannot contain “..”.', /Project name "\.\.\/x" looks like a path\./],
    ];
    for (const [name, worded, message] of cases) {
      const dialog = await createProjectViaUi(page, { name });
      const alert = dialog.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/^Could not create the project\./);
      expect(await alert.locator('.error-reason').textContent()).toBe(worded);
      expect(await alert.locator('.error-reason').textContent()).not.toMatch(message);
      expect(await alert.locator('.error-detail').textContent()).toMatch(message);
      expect(await dialog.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }
    await expectProjectNames(page, ['Existing']);
    expect(services.projects.list().map((p) => p.name)).toEqual(['Existing']);
  });

  it('shows main’s error when an inline rename is refused, and Escape cancels it', async () => {
    const { page, services } = app();
    services.projects.create({ name: 'One', inputSize: 28, color: 'gray' });
    services.projects.create({ name: 'Two', inputSize: 28, color: 'gray' });
    await page.reload();
    await expectProjectNames(page, ['One', 'Two']);

    await page.getByRole('button', { name: 'Rename Two' }).click();
    const input = page.getByRole('textbox', { name: 'New project name' });
    await input.fill('ONE');
    await input.press('Enter');
    const alert = projectList(page).getByRole('alert');
    await alert.waitFor();
    expect(await alert.locator('.error-reason').textContent()).toBe(
      'A project with this name already exists.',
    );
    expect(await alert.locator('.error-detail').textContent()).toContain(
      'A project named "ONE" already exists.',
    );
    await input.press('Escape');
    await input.waitFor({ state: 'detached' });
    await expectProjectNames(page, ['One', 'Two']);
    // Focus went back to the row's rename button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Rename Two');
  });

  it('follows projects:changed pushed by main (e.g. the CLI created a project)', async () => {
    const { page, services } = app();
    await page.getByRole('heading', { name: 'Welcome to CNN Studio' }).waitFor();
    services.projects.create({ name: 'From the CLI', inputSize: 28, color: 'gray' });
    services.events.emit('projects:changed', { reason: 'created' });
    await expectProjectNames(page, ['From the CLI']);
  });

  it('can be driven by keyboard alone: tab order, focus and arrow keys in the section tabs', async () => {
    const { page, services } = app();
    services.projects.create({ name: 'Keyboard', inputSize: 28, color: 'gray' });
    await page.reload();
    await expectProjectNames(page, ['Keyboard']);
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        return el?.getAttribute('aria-label') ?? el?.textContent ?? '';
      });
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('New project');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Open Keyboard');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard' }).waitFor();
    await page.getByRole('tab', { name: 'Dataset' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByRole('tab', { name: 'Train', selected: true }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Training' }).waitFor();
    await page.keyboard.press('End');
    await page.getByRole('tab', { name: 'Export', selected: true }).waitFor();
    expect(await focused()).toBe('Export');
  });
});

describe('the e2e harness itself', () => {
  const app = useE2eApp();

  it('serves the renderer with the strict CSP, which blocks inline scripts and is reported as a problem', async () => {
    const { page, origin, problems } = app();
    await page.getByRole('heading', { name: 'Welcome to CNN Studio' }).waitFor();
    const response = await page.request.get(`${origin}/`);
    expect(response.headers()['content-security-policy']).toContain("script-src 'self'");
    expect((await page.request.get(`${origin}/..%2f..%2fpackage.json`)).status()).toBe(404);

    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      await new Promise((r) => setTimeout(r, 100));
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => problems.some((p) => /Content Security Policy|CSP violation/.test(p))).toBe(true);
    problems.length = 0; // seen and expected: do not fail this test in afterEach
  });
});
