import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../main/services/services';
import { startApp } from './support/harness';
import { useE2eApp } from './support/e2e-test';
import { expectProjectNames, projectList } from './support/flows';
import { reviewDir, screenshotCombos, screenshotsEnabled } from './support/screenshot-setup';

/**
 * Makes `name` a damaged project with one automatic backup holding label `kept`; `lost` is added after the backup
 * and the database then truncated to 0 bytes. Answers the project's id.
 */
async function damagedProjectWithBackup(
  services: Services,
  dataDir: string,
  names: { project: string; kept: string; lost: string },
): Promise<string> {
  const p = services.projects.create({ name: names.project, inputSize: 28, color: 'gray' });
  services.dataset.createLabel(p.id, names.kept);
  await services.projects.backup(p.id, 'manual');
  services.dataset.createLabel(p.id, names.lost);
  services.projects.db(p.id).pragma('wal_checkpoint(TRUNCATE)');
  services.projects.close(p.id);
  fs.writeFileSync(path.join(dataDir, 'projects', p.id, 'project.sqlite'), Buffer.alloc(0));
  return p.id;
}

describe('a damaged project in the list (issue 13)', () => {
  const app = useE2eApp();

  it('says what is wrong and restores the newest backup, keeping the damaged file', async () => {
    const { page, services, dataDir } = app();
    services.projects.create({ name: 'Healthy', inputSize: 28, color: 'gray' });
    const id = await damagedProjectWithBackup(services, dataDir, {
      project: 'Precious',
      kept: 'cat',
      lost: 'dog',
    });
    await page.reload();

    // Named by its newest backup: the emptied file tells no name.
    const card = projectList(page).getByRole('listitem', { name: 'Precious: cannot be opened' });
    await card.waitFor();
    await card.getByText('The project’s database file is empty (0 bytes): its content was lost.').waitFor();
    await card.getByRole('button', { name: /^Restore from backup \(/ }).click();

    await expectProjectNames(page, ['Healthy', 'Precious']);
    expect(services.dataset.listLabels(id).map((l) => l.name)).toEqual(['cat']);
    const kept = fs.readdirSync(path.join(dataDir, 'projects', id)).filter((f) => f.includes('.damaged-'));
    expect(kept).toHaveLength(1);
    expect(fs.statSync(path.join(dataDir, 'projects', id, kept[0])).size).toBe(0);
  });

  it('moves a damaged project without backups to the Trash', async () => {
    const { page, services, dataDir } = app();
    const p = services.projects.create({ name: 'Broken', inputSize: 28, color: 'gray' });
    services.projects.close(p.id);
    fs.writeFileSync(path.join(dataDir, 'projects', p.id, 'project.sqlite'), Buffer.alloc(0));
    await page.reload();

    const card = projectList(page).getByRole('listitem', {
      name: `Unnamed project ${p.id.slice(0, 8)}: cannot be opened`,
    });
    await card.getByText('No automatic backup to restore from.').waitFor();
    await card.getByRole('button', { name: 'Move to Trash' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Move to Trash' }).click();
    await expectProjectNames(page, []);
    expect(services.projects.listTrash().map((t) => t.id)).toEqual([p.id]);
  });
});

describe('damaged project screenshots', () => {
  it.skipIf(!screenshotsEnabled)(
    screenshotsEnabled
      ? 'takes the damaged project card in light/dark and en/zh-CN'
      : 'skipped: set CNN_STUDIO_SCREENSHOTS=1 to take them',
    async () => {
      fs.mkdirSync(reviewDir, { recursive: true });
      for (const { locale, colorScheme } of screenshotCombos) {
        const zh = locale === 'zh-CN';
        const started = await startApp({ locale, colorScheme, viewport: { width: 1100, height: 680 } });
        try {
          const { services, dataDir, page } = started;
          services.projects.create({
            name: zh ? '手写数字' : 'Handwritten digits',
            inputSize: 28,
            color: 'gray',
          });
          await damagedProjectWithBackup(services, dataDir, {
            project: zh ? '猫和狗' : 'Cats vs dogs',
            kept: 'cat',
            lost: 'dog',
          });
          const bare = services.projects.create({
            name: zh ? '零件缺陷' : 'Part defects',
            inputSize: 28,
            color: 'rgb',
          });
          services.projects.close(bare.id);
          const file = path.join(dataDir, 'projects', bare.id, 'project.sqlite');
          const bytes = fs.readFileSync(file);
          bytes.fill(0x5a, 4096); // garbage after the header page
          fs.writeFileSync(file, bytes);
          await page.reload();
          await page.locator('.damaged-card').nth(1).waitFor({ timeout: 60_000 });
          const base = `${zh ? 'zh-CN' : 'en'}-${colorScheme}`;
          await page.screenshot({ path: path.join(reviewDir, `${base}-projects-damaged.png`) });
        } finally {
          await started.close();
        }
      }
    },
    300_000,
  );
});
