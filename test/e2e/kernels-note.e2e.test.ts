import { describe, expect, it } from 'vitest';
import { kernelsWording } from '../../renderer/src/features/kernels/kernels-note';
import { en } from '../../renderer/src/i18n/en';
import { kernelsInfo } from '../../native-workers/kernels/kernels-info';
import { useE2eApp } from './support/e2e-test';

/** The Train section says which kernels run, from the real app:info handler (renderer in Chromium). */
describe('kernels note (renderer in Chromium, real main handlers)', () => {
  const app = useE2eApp();

  it('shows the kernels this process runs under the Train section’s intro, with the details in its tooltip', async () => {
    const { page, services } = app();
    services.projects.create({ name: 'Kernels', inputSize: 28, color: 'gray' });
    await page.reload();
    await page.getByRole('button', { name: 'Open Kernels' }).click();
    await page.getByRole('tab', { name: 'Train' }).click();
    const note = page.locator('.kernels-note');
    await note.waitFor();
    const expected = kernelsWording(en.kernels, kernelsInfo());
    expect(await note.textContent()).toBe(expected.text);
    expect(await note.getAttribute('title')).toBe(expected.title);
    if (process.env.CNN_STUDIO_KERNELS_SHOT)
      await page.screenshot({ path: process.env.CNN_STUDIO_KERNELS_SHOT });
  });
});
