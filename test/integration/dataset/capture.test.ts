import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importCaptured } from '../../../main/services/dataset/capture';
import { makeHarness, noisePng, solidImage, tempDir, write, type Harness } from '../../unit/dataset/fixtures';

/** Webcam capture checks first and writes after: a refused capture leaves no folder anywhere. */
describe('webcam capture', () => {
  let h: Harness;
  let frames: string[];
  beforeEach(async () => {
    h = await makeHarness({ inputSize: 16 });
    frames = await Promise.all(
      [1, 2].map(
        async (seed) => `data:image/png;base64,${(await solidImage('png', { seed })).toString('base64')}`,
      ),
    );
  });
  afterEach(() => h.close());

  const projectsDir = () => path.join(h.dataDir, 'projects');
  const captures = () => path.join(h.services.projects.projectDir(h.projectId), 'captures');
  const capturedFiles = () =>
    fs.existsSync(captures()) ? (fs.readdirSync(captures(), { recursive: true }) as string[]) : null;

  it('an unknown project id is refused and creates no folder under projects/', () => {
    const before = fs.readdirSync(projectsDir()).sort();
    for (const id of ['no-such-project', '0123456789abcdef']) {
      expect(() => importCaptured(h.services, id, 'Cat', frames)).toThrow(
        expect.objectContaining({ details: expect.objectContaining({ code: 'project-missing' }) }),
      );
    }
    expect(fs.readdirSync(projectsDir()).sort()).toEqual(before);
    expect(h.services.projects.list().filter((p) => p.problem)).toEqual([]);
  });

  it('a capture refused because an import runs leaves nothing behind', async () => {
    const src = tempDir('cnn-capture-src-');
    for (let i = 0; i < 40; i++) write(path.join(src, `${i}.png`), await noisePng(24, 24, 900 + i));
    const running = h.services.dataset.importAndWait(h.projectId, { paths: [src] });
    expect(() => importCaptured(h.services, h.projectId, 'Cat', frames)).toThrow(
      expect.objectContaining({ details: { code: 'import-running' } }),
    );
    expect(capturedFiles()).toBeNull();
    await running;
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('an invalid label or a non-image frame leaves nothing behind', () => {
    for (const label of ['', 'a/b', 'x\u0000y']) {
      expect(() => importCaptured(h.services, h.projectId, label, frames)).toThrow(
        expect.objectContaining({ code: 'invalid-name' }),
      );
    }
    const notImage = Buffer.from('hello, not a picture').toString('base64');
    expect(() => importCaptured(h.services, h.projectId, 'Cat', [frames[0], notImage])).toThrow(
      expect.objectContaining({ details: { code: 'frame-not-image', frame: 2 } }),
    );
    expect(capturedFiles()).toBeNull();
  });

  it('an accepted capture keeps its frames as the source files of the import', async () => {
    const { importId } = importCaptured(h.services, h.projectId, 'Cat', frames);
    const again = importCaptured.bind(null, h.services, h.projectId, 'Cat', frames);
    expect(again).toThrow(expect.objectContaining({ details: { code: 'import-running' } }));
    let status = h.services.dataset.importStatus(h.projectId, importId);
    for (let i = 0; i < 500 && status.state === 'running'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = h.services.dataset.importStatus(h.projectId, importId);
    }
    expect(status.state === 'finished' && status.summary).toMatchObject({
      imported: 2,
      perLabel: { Cat: 2 },
    });
    expect(capturedFiles()!.filter((f) => f.endsWith('.png'))).toHaveLength(2);
  });
});
