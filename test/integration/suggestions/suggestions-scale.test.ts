/**
 * Suggestions at scale: 10,000 and then 60,000 unlabeled 28 px images (rows written straight into the database
 * with cached tensors, as an import leaves them) refreshed with a trained model, and the image list's suggestion
 * queries over 60,000 images. The figures are printed, not asserted (the machine's load varies); the results are.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listImageIds } from '../../../main/services/dataset/image-ids';
import { createServices, type Services } from '../../../main/services/services';
import { makeTempDir } from '../../support/temp-dir';
import { quickSettings } from '../training/support';
import { writeImageFolders } from './support';

/** Adds `n` unlabeled images with random 28×28 gray tensors. */
function addSyntheticImages(services: Services, projectId: string, n: number): void {
  const db = services.projects.db(projectId);
  const image = db.prepare(
    `INSERT INTO images (sha256, ext, file_name, source_path, byte_size, format, width, height, channels, import_id,
       added_at) VALUES (?, 'png', ?, ?, 784, 'png', 28, 28, 1, 'synthetic', ?)`,
  );
  const tensor = db.prepare(
    'INSERT INTO image_tensors (image_id, size, channels, pixels) VALUES (?, 28, 1, ?)',
  );
  const now = new Date().toISOString();
  db.transaction(() => {
    for (let k = 0; k < n; k++) {
      const sha = randomBytes(32).toString('hex');
      const id = image.run(sha, `${sha.slice(0, 12)}.png`, `/synthetic/${sha}.png`, now).lastInsertRowid;
      tensor.run(id, randomBytes(784));
    }
  })();
}

const seconds = (from: number) => (performance.now() - from) / 1000;

describe('suggestions at scale', () => {
  let temp: { dir: string; cleanup: () => void };
  let services: Services;
  let projectId: string;
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'cpu'}`;

  beforeAll(async () => {
    temp = makeTempDir('cnn-suggestions-scale-');
    services = createServices({
      dataDir: path.join(temp.dir, 'data'),
      workersDir: path.resolve(__dirname, '../../../out/workers'),
      mediaBaseUrl: '',
      version: '0.0.0-test',
    });
    const { labeled } = writeImageFolders(temp.dir, 30, 0);
    projectId = services.projects.create({ name: 'Scale', inputSize: 28, color: 'gray' }).id;
    await services.dataset.importAndWait(projectId, { paths: [labeled] });
    const run = services.training.start(projectId, quickSettings({ epochs: 1, workers: 1 }), 'model');
    expect((await services.training.waitFor(projectId, run.id)).run.status).toBe('completed');
  }, 180_000);

  afterAll(async () => {
    await services?.dispose();
    temp?.cleanup();
  });

  it('refreshes 10,000 unlabeled 28 px images (figure printed)', async () => {
    addSyntheticImages(services, projectId, 10_000);
    expect(services.suggestions.status(projectId)).toMatchObject({ state: 'none', unlabeled: 10_000 });
    // The worker is loaded by Predict or the previous refresh in the app; time the refresh itself.
    await services.prediction.model({ projectId });
    const started = performance.now();
    const status = await services.suggestions.refreshAndWait(projectId);
    const took = seconds(started);
    console.log(`suggestions: 10,000 unlabeled 28 px images refreshed in ${took.toFixed(2)} s (${machine})`);
    expect(status).toMatchObject({ state: 'ready', count: 10_000, unlabeled: 10_000, stale: [] });
    expect(status.histogram.reduce((a, b) => a + b, 0)).toBe(10_000);
  });

  it('refreshes and lists 60,000 images (figures printed)', async () => {
    addSyntheticImages(services, projectId, 50_000);
    expect(services.suggestions.status(projectId).stale).toEqual(['new-images']);
    let started = performance.now();
    const status = await services.suggestions.refreshAndWait(projectId);
    const refresh = seconds(started);
    expect(status.count).toBe(60_000);

    const labelId = services.dataset.listLabels(projectId)[0].id;
    const query = { sort: 'confidence' as const, descending: false, offset: 30_000, limit: 200 };
    started = performance.now();
    const page = services.dataset.listImages(projectId, { ...query, filter: { kind: 'unlabeled' } });
    const pageSeconds = seconds(started);
    expect(page.total).toBe(60_000);
    expect(page.items).toHaveLength(200);
    started = performance.now();
    const ids = listImageIds(services.projects.db(projectId), {
      ...query,
      filter: { kind: 'all' },
      offset: 0,
      limit: 100_000,
    });
    const idsSeconds = seconds(started);
    expect(ids).toHaveLength(60_000 + 120);
    started = performance.now();
    const suggested = services.dataset.listImages(projectId, {
      ...query,
      offset: 0,
      filter: { kind: 'suggested', labelId },
    });
    const suggestedSeconds = seconds(started);
    expect(suggested.total).toBe(
      services.suggestions.list(projectId).filter((s) => s.labelId === labelId).length,
    );
    started = performance.now();
    services.suggestions.status(projectId);
    const statusSeconds = seconds(started);
    console.log(
      `suggestions at 60,000 images (${machine}): refresh ${refresh.toFixed(2)} s; listImages confidence page ` +
        `${(pageSeconds * 1000).toFixed(0)} ms; imageIds of all ${(idsSeconds * 1000).toFixed(0)} ms; ` +
        `'suggested' filter page ${(suggestedSeconds * 1000).toFixed(0)} ms; status ${(statusSeconds * 1000).toFixed(0)} ms`,
    );
  }, 120_000);
});
