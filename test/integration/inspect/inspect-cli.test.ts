/**
 * `cnn-studio inspect PROJECT IMAGE [--run R] [--class LABEL] --out DIR [--json]` on a quickly trained 28 px
 * project: the PNGs it writes and index.json's exact shape, numbered like `model describe`.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG_GAP } from '../../../main/services/inspect/inspect-files';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { SMALL_SET } from '../training/support';

const CLASSES = ['Bag', 'Sneaker', 'Trouser', 'Dress'];

describe('CLI: inspect', () => {
  let temp: { dir: string; cleanup: () => void };
  let data: string;
  let image: string;
  const cli = (...args: string[]) => runCliCaptured(data, ...args);

  beforeAll(async () => {
    temp = makeTempDir('cnn-inspect-cli-');
    data = path.join(temp.dir, 'data');
    const src = path.join(temp.dir, 'src');
    for (const cls of CLASSES) {
      fs.mkdirSync(path.join(src, cls), { recursive: true });
      for (const f of fs
        .readdirSync(path.join(SMALL_SET, 'train', cls))
        .sort()
        .slice(0, 20))
        fs.copyFileSync(path.join(SMALL_SET, 'train', cls, f), path.join(src, cls, f));
    }
    const test = path.join(SMALL_SET, 'test', 'Trouser');
    image = path.join(test, fs.readdirSync(test).sort()[0]);
    expect((await cli('project', 'create', 'Clothes')).code).toBe(0);
    expect((await cli('import', 'Clothes', src, '--json')).code).toBe(0);
    const r = await cli('train', 'Clothes', '--epochs', '1', '--workers', '1', '--name', 'one', '--json');
    expect(r.code, r.err + r.out).toBe(0);
  }, 120_000);
  afterAll(() => temp?.cleanup());

  it('writes filters, maps and gradcam PNGs and index.json exactly; --json prints the same index', async () => {
    const out = path.join(temp.dir, 'inside');
    fs.mkdirSync(out); // an existing empty folder is fine
    const r = await cli('inspect', 'Clothes', image, '--out', out, '--json');
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.err).toBe('');
    const printed = JSON.parse(r.out);
    const index = JSON.parse(fs.readFileSync(path.join(out, 'index.json'), 'utf8'));
    expect(printed).toEqual(index);
    expect(Object.keys(index).sort()).toEqual(['files', 'gradcamClass', 'prediction']);
    expect(Object.keys(index.prediction)).toEqual(['top']);

    // `model describe` numbers the layers 1.. in this order
    const described = JSON.parse((await cli('model', 'describe', '--project', 'Clothes', '--json')).out);
    const layers = described.description.layers as { index: number; type: string; outputShape: number[] }[];
    const expected: { file: string; layer: number; type: string; shape: number[] }[] = [];
    for (const l of layers) {
      const L = l.index + 1;
      if (l.type === 'conv2d') {
        const conv = described.spec.layers[l.index];
        expected.push({ file: `filters-${L}.png`, layer: L, type: 'conv2d', shape: [conv.filters, 3, 3] });
      }
      if (['conv2d', 'maxPool2d', 'avgPool2d', 'globalAvgPool'].includes(l.type))
        expected.push({ file: `maps-${L}.png`, layer: L, type: l.type, shape: l.outputShape });
    }
    expect(index.files.slice(0, -1)).toEqual(expected);
    const cam = index.files[index.files.length - 1];
    expect(Object.keys(cam).sort()).toEqual(['file', 'layer', 'shape', 'type']);
    expect(cam.file).toBe('gradcam.png');
    expect(cam.shape).toEqual(layers[cam.layer - 1].outputShape);
    expect(cam.type).toBe(layers[cam.layer - 1].type);
    expect(index.files.every((f: object) => Object.keys(f).sort().join() === 'file,layer,shape,type')).toBe(
      true,
    );

    expect(index.prediction.top).toHaveLength(4);
    for (const t of index.prediction.top) {
      expect(Object.keys(t).sort()).toEqual(['label', 'probability']);
      expect(CLASSES).toContain(t.label);
    }
    expect(index.gradcamClass).toBe(index.prediction.top[0].label);
    expect(fs.readdirSync(out).sort()).toEqual(
      [...index.files.map((f: { file: string }) => f.file), 'index.json'].sort(),
    );

    // each PNG is a grid of its tiles: C tiles of H×W (enlarged by an integer factor s), PNG_GAP pixels apart
    for (const f of index.files as { file: string; shape: [number, number, number] }[]) {
      const meta = await sharp(path.join(out, f.file)).metadata();
      expect(meta.format).toBe('png');
      if (f.file === 'gradcam.png') {
        expect(meta.width).toBe(256);
        expect(meta.channels).toBe(3);
        continue;
      }
      const [C, H, W] = f.shape;
      const columns = Math.ceil(Math.sqrt(C));
      const rows = Math.ceil(C / columns);
      const s = (meta.width! + PNG_GAP) / columns / W - PNG_GAP / W;
      expect(Number.isInteger(s) && s >= 1, `${f.file} ${meta.width}`).toBe(true);
      expect(meta.height).toBe(rows * (H * s + PNG_GAP) - PNG_GAP);
    }
  });

  it('explains --class, uses --run, and refuses a folder that is not empty or an unknown class', async () => {
    const out = path.join(temp.dir, 'dress');
    const r = await cli(
      'inspect',
      'Clothes',
      image,
      '--run',
      'one',
      '--class',
      'Dress',
      '--out',
      out,
      '--json',
    );
    expect(r.code, r.err + r.out).toBe(0);
    expect(JSON.parse(r.out).gradcamClass).toBe('Dress');

    const human = await cli('inspect', 'Clothes', image, '--out', path.join(temp.dir, 'human'));
    expect(human.code, human.err).toBe(0);
    expect(human.out).toContain('gradcam.png');

    const again = await cli('inspect', 'Clothes', image, '--out', out);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/not empty/);

    const unknown = await cli(
      'inspect',
      'Clothes',
      image,
      '--class',
      'Hat',
      '--out',
      path.join(temp.dir, 'hat'),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no class "Hat"/);
    expect(fs.existsSync(path.join(temp.dir, 'hat'))).toBe(false);

    const missing = await cli(
      'inspect',
      'Clothes',
      path.join(temp.dir, 'nope.png'),
      '--out',
      path.join(temp.dir, 'x'),
    );
    expect(missing.code).toBe(1);
    expect((await cli('inspect', 'Clothes', image)).code).toBe(2); // --out is required
  });
});
