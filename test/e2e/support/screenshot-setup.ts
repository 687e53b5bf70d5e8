import path from 'node:path';
import type { E2eApp } from './harness';
import { repoRoot } from './paths';

/** Screenshot tests take pictures for people to review; they run only when asked to. */
export const screenshotsEnabled = process.env.CNN_STUDIO_SCREENSHOTS === '1';
/** Where review screenshots land. */
export const reviewDir = path.join(repoRoot, 'test-results', 'screenshots');
/** Every language × theme the UI supports. */
export const screenshotCombos = [
  { locale: 'en-US', colorScheme: 'light' },
  { locale: 'en-US', colorScheme: 'dark' },
  { locale: 'zh-CN', colorScheme: 'light' },
  { locale: 'zh-CN', colorScheme: 'dark' },
] as const;

/**
 * A 28 px gray "Fashion" project (named in the locale's language) with the images of `folder` imported and one
 * completed 1-epoch run of the reference preset named "first", for the screenshots of views that need a model.
 */
export async function fashionProjectWithRun(
  services: E2eApp['services'],
  locale: string,
  folder: string,
): Promise<{ projectId: string; runId: string }> {
  const zh = locale === 'zh-CN';
  const project = services.projects.create({
    name: zh ? '服装分类' : 'Fashion',
    inputSize: 28,
    color: 'gray',
  });
  await services.dataset.importAndWait(project.id, { paths: [folder] });
  const defaults = services.training.defaults(project.id).settings;
  const run = services.training.start(
    project.id,
    { ...defaults, model: { kind: 'preset', preset: 'reference' }, epochs: 1, seed: 5, workers: 1 },
    zh ? '第一次' : 'first',
  );
  const done = await services.training.waitFor(project.id, run.id);
  if (done.run.status !== 'completed') throw new Error(`the screenshot run ended ${done.run.status}`);
  return { projectId: project.id, runId: run.id };
}
