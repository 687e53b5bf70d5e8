import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDialogKind } from '../../main/services/dialogs';
import { useE2eApp } from './support/e2e-test';
import { waitForCount } from './support/flows';
import { repoRoot } from './support/paths';

/**
 * The whole dataset flow in Chinese (Chromium, real main handlers): an invalid input size worded in Chinese, an
 * import through the folder picker that fails (styled as failed), a partly failed one, Health with the unreadable
 * files worded and dismissed (kept in the import log), labeling and undo. After each step the visible text of the
 * page is scanned for runs of Latin letters that are not user data: an English sentence fails the test.
 */

const shared = path.resolve(repoRoot, '..', 'shared', 'datasets', 'fashion-mnist-small', 'train');
let tempDir: string;
let brokenOnly: string;
let classes: string;
const dialogAnswers: Partial<Record<OpenDialogKind, string[][]>> = {};

/** User data and units the scan allows (file, label and project names, formats, units, the app's name). */
const ALLOWED = [
  'CNN Studio',
  // The language menu names each language in itself.
  'English',
  'Ankle_boot',
  'Bag',
  'broken',
  'notes',
  'png',
  'PNG',
  'txt',
  'RGB',
  'px',
  'MB',
  'SHA-256',
  'Grad-CAM',
  'Ctrl',
  'Shift',
  'Enter',
  'Del',
  'Esc',
  'Space',
  'tmp',
  'cnn-studio-dataset-i18n',
];

/** Visible text of the page (closed <details> and hidden elements excluded) with the allowed words removed. */
async function englishLeft(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  let rest = text;
  // Paths (temporary folders) are user data.
  rest = rest.replace(/\/[^\s]*/g, ' ');
  for (const word of ALLOWED) rest = rest.split(word).join(' ');
  // Keyboard keys shown as single letters (L, U, Z) are allowed; a run of two or more Latin letters is not.
  return [...new Set(rest.match(/[A-Za-z][A-Za-z'’]+(?:[ -][A-Za-z][A-Za-z'’]*)*/g) ?? [])];
}

async function expectNoEnglish(page: Page, where: string): Promise<void> {
  expect(await englishLeft(page), where).toEqual([]);
}

function pngs(className: string, n: number): string[] {
  return fs
    .readdirSync(path.join(shared, className))
    .filter((f) => f.endsWith('.png'))
    .sort()
    .slice(0, n)
    .map((f) => path.join(shared, className, f));
}

beforeAll(() => {
  tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-studio-dataset-i18n-'));
  brokenOnly = path.join(tempDir, 'only-broken');
  fs.mkdirSync(brokenOnly);
  fs.writeFileSync(path.join(brokenOnly, 'broken.png'), 'this is not a png file, just text');
  classes = path.join(tempDir, 'classes');
  for (const name of ['Bag', 'Ankle_boot']) {
    fs.mkdirSync(path.join(classes, name), { recursive: true });
    pngs(name, 3).forEach((f, i) => fs.copyFileSync(f, path.join(classes, name, `${name}-${i + 1}.png`)));
  }
  fs.writeFileSync(path.join(classes, 'Bag', 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
});

afterAll(() => {
  fs.rmSync(tempDir, { recursive: true, force: true });
});

describe('dataset in zh-CN (Chromium, real main handlers)', () => {
  const app = useE2eApp({
    locale: 'zh-CN',
    viewport: { width: 1280, height: 800 },
    dialogs: { open: async (kind) => dialogAnswers[kind]?.shift() ?? [], save: async () => null },
  });

  it('create with an invalid size, a failed and a partly failed import through the picker, health, dismiss, label, undo: no English', async () => {
    const { page, services } = app();
    await page.getByRole('button', { name: '新建项目', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '新建项目' });
    await dialog.waitFor();
    await page.keyboard.type('衣物');
    await dialog.getByLabel('输入尺寸').fill('300');
    // Checked as the user types, with the contract's limit.
    await dialog.locator('.field-error').filter({ hasText: '256' }).waitFor();
    // Main refuses it too: its zod issue worded in Chinese, the English only as a collapsed detail.
    await dialog.getByRole('button', { name: '创建项目' }).click();
    const alert = dialog.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('输入尺寸不能大于 256。');
    expect(await alert.innerText()).not.toContain('Too big');
    await expectNoEnglish(page, 'new project form with an error');
    await dialog.getByLabel('输入尺寸').fill('28');
    await dialog.getByRole('button', { name: '创建项目' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: '衣物' }).waitFor();

    // A folder with only a broken file, through the picker: a failure, styled as one, its reason in Chinese.
    dialogAnswers.folder = [[brokenOnly]];
    await page.getByRole('button', { name: '选择文件夹…' }).click();
    const failed = page.locator('.import-status.done');
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.getAttribute('data-outcome')).toBe('failed');
    expect(await failed.getByTestId('import-counts').innerText()).toBe('已导入 0 张 · 失败 1 个');
    expect(await failed.locator('.issue-reason').first().innerText()).not.toMatch(/sharp|image/i);
    await expectNoEnglish(page, 'failed import');

    // Class folders with one broken file: partly failed.
    dialogAnswers.folder = [[classes]];
    await page.getByRole('button', { name: '选择文件夹…' }).first().click();
    await expect
      .poll(() => page.locator('.import-status.done').getAttribute('data-outcome'), { timeout: 20_000 })
      .toBe('partial');
    expect(await page.getByTestId('import-counts').innerText()).toContain('已导入 6 张 · 失败 1 个');
    await expectNoEnglish(page, 'partly failed import');

    // Health: the unreadable files worded, dismissed, and still in the import log.
    await page.getByRole('button', { name: '划分与健康检查' }).click();
    const unreadable = page.locator('.health-unreadable');
    await unreadable.waitFor();
    await expectNoEnglish(page, 'health with failures');
    await unreadable.getByRole('button', { name: '忽略这些失败' }).click();
    await unreadable.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: '导入记录' }).click();
    const log = page.getByRole('dialog', { name: '以往的导入' });
    await log.waitFor();
    await waitForCount(log.locator('tbody tr:not(.import-log-failures)'), 2);
    await waitForCount(log.locator('tbody tr.has-failures'), 2);
    await expectNoEnglish(page, 'import log');
    await log.getByRole('button', { name: '关闭' }).click();
    await log.waitFor({ state: 'detached' });

    // Label one image with its key and undo it: both worded in Chinese.
    const grid = page.getByRole('grid', { name: '图片' });
    const first = grid.getByRole('gridcell').first();
    await first.click();
    await page.keyboard.press('2');
    const toast = page.locator('.toast');
    await toast.waitFor();
    await expectNoEnglish(page, 'labeled');
    await page.keyboard.press('Control+z');
    await expect.poll(() => toast.innerText()).toContain('撤销');
    await expectNoEnglish(page, 'undone');
    expect(services.projects.list()).toHaveLength(1);
  });
});
