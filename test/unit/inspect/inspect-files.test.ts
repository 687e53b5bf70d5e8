/**
 * The CLI's PNGs (main/services/inspect/inspect-files.ts) for an RGB model with a global average pool (the medium
 * preset, untrained): colour filters of the first convolution, a [C, 1, 1] pooling output as a strip, and the
 * Grad-CAM overlay on the colour input.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inspection } from '../../../app/domain/inspect';
import { buildModel } from '../../../native-workers/cnn/model';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { inspectModel } from '../../../native-workers/inspect/inspect';
import { heatColor, writeInspectionFiles } from '../../../main/services/inspect/inspect-files';
import { makeTempDir } from '../../support/temp-dir';

describe('inspection files', () => {
  const temp = makeTempDir('cnn-inspect-files-');
  afterAll(() => temp.cleanup());

  it('writes colour filters, a global pool strip and a colour Grad-CAM overlay', async () => {
    const spec = presetSpec('medium', { channels: 3, height: 64, width: 64 }, 3);
    const model = buildModel(spec, { seed: 4, batchSize: 1 });
    const image = Float32Array.from({ length: model.inputSize }, (_, i) => ((i * 37) % 256) / 255);
    const found = inspectModel(model, image, ['a', 'b', 'c']);
    const inspection: Inspection = {
      ...found,
      heatmap: { ...found.heatmap, values: Array.from(found.heatmap.values), label: 'b' },
      runId: 'x',
      epoch: null,
      millis: 1,
    };
    const index = await writeInspectionFiles(inspection, spec, temp.dir);
    const first = index.files[0];
    expect(first.file).toBe('filters-1.png');
    expect((await sharp(path.join(temp.dir, 'filters-1.png')).metadata()).channels).toBe(3);
    const deeper = index.files.find((f) => f.file.startsWith('filters-') && f.layer > 1)!;
    expect((await sharp(path.join(temp.dir, deeper.file)).metadata()).channels).toBe(1);
    const gap = spec.layers.findIndex((l) => l.type === 'globalAvgPool');
    const strip = index.files.find((f) => f.layer === gap + 1)!;
    expect(strip).toMatchObject({ file: `maps-${gap + 1}.png`, type: 'globalAvgPool' });
    expect(strip.shape[1] * strip.shape[2]).toBe(1);
    expect(fs.existsSync(path.join(temp.dir, strip.file))).toBe(true);
    const cam = await sharp(path.join(temp.dir, 'gradcam.png')).metadata();
    expect([cam.width, cam.height, cam.channels]).toEqual([256, 256, 3]);
    expect(index.gradcamClass).toBe('b');
    expect(index.files[index.files.length - 1].layer).toBe(found.heatmap.layerIndex + 1);
  });

  it('colours the heat from blue to red', () => {
    expect(heatColor(0)).toEqual([0, 0, 128]);
    expect(heatColor(1)).toEqual([128, 0, 0]);
    expect(heatColor(0.5)).toEqual([128, 255, 128]);
  });
});
