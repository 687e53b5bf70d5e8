/**
 * The sample code written beside an export (predict.py, predict.mjs):
 * - predict.py's `preprocess` (Pillow + numpy, run with the first Python that has Pillow: Debian's python3-pil)
 *   and predict.mjs's `preprocess` (sharp) against the app's own tensors (preprocessImage) on real Fashion-MNIST
 *   PNGs, a small RGB JPEG with an EXIF orientation, a transparent PNG and a large EXIF-rotated JPEG;
 * - predict.mjs end to end on a trained model exported as ONNX and as TF.js, against the app's own predictions;
 * - predict.py end to end only where Python's onnxruntime exists (not on this machine: it has no Debian package
 *   and PyPI is out of reach), otherwise skipped with that reason.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColorMode } from '../../../app/domain/project';
import { preprocessImage } from '../../../main/services/dataset/decode';
import { nodeOnnxSample } from '../../../main/services/export/sample-node';
import { pythonSample } from '../../../main/services/export/sample-python';
import { argmaxRow, buildModel } from '../../../native-workers/cnn/model';
import { preprocessingFor, readModelFile } from '../../../native-workers/cnn/model-file';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { runCliCaptured } from '../../support/cli';
import { makeTempDir } from '../../support/temp-dir';
import { SMALL_SET } from '../training/support';
import { findPython } from '../../unit/export/find-python';

const ROOT = path.resolve(__dirname, '../../..');
const pil = findPython(['PIL', 'numpy']);
const pyOrt = findPython(['onnxruntime', 'PIL', 'numpy']);
if (pil.reason) console.info(`predict.py preprocessing test skipped: ${pil.reason}.`);
if (pyOrt.reason)
  console.info(
    'predict.py end-to-end test skipped: Python onnxruntime is not installed (Debian has no python3-onnxruntime ' +
      `and PyPI cannot be reached here); ${pyOrt.reason}.`,
  );

interface Case {
  file: string;
  size: number;
  color: ColorMode;
  /** Largest allowed |sample − app| in [0, 1] units. */
  tolerance: number;
}

const temp = makeTempDir('cnn-export-samples-');
afterAll(() => temp.cleanup());
/** predict.* need their imports (sharp, onnxruntime-*) resolvable from their folder, as after `npm install`. */
function linkNodeModules(dir: string): void {
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

async function makeImages(dir: string): Promise<Case[]> {
  const pngs = ['Ankle_boot', 'Bag', 'Coat', 'Sneaker', 'Trouser'].map((label) => {
    const folder = path.join(SMALL_SET, 'train', label);
    return path.join(folder, fs.readdirSync(folder).sort()[0]);
  });
  // a colourful gradient with a block, so orientation and colour mistakes show
  const gradient = (w: number, h: number) => {
    const data = Buffer.alloc(w * h * 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 3;
        const block = x < w / 3 && y < h / 4;
        data[o] = block ? 250 : Math.round((255 * x) / w);
        data[o + 1] = block ? 30 : Math.round((255 * y) / h);
        data[o + 2] = Math.round(128 + 100 * Math.sin(x / 7 + y / 11));
      }
    return sharp(data, { raw: { width: w, height: h, channels: 3 } });
  };
  const smallJpeg = path.join(dir, 'rotated-small.jpg');
  await gradient(64, 48).jpeg({ quality: 92 }).withMetadata({ orientation: 6 }).toFile(smallJpeg);
  const largeJpeg = path.join(dir, 'rotated-large.jpg');
  await gradient(900, 600).jpeg({ quality: 92 }).withMetadata({ orientation: 3 }).toFile(largeJpeg);
  const alphaPng = path.join(dir, 'transparent.png');
  const rgba = Buffer.alloc(40 * 30 * 4);
  for (let i = 0; i < 40 * 30; i++) rgba.set([(i * 7) % 256, (i * 3) % 256, 90, (i * 5) % 256], i * 4);
  await sharp(rgba, { raw: { width: 40, height: 30, channels: 4 } })
    .png()
    .toFile(alphaPng);
  const exact = 1 / 255 + 1e-6;
  return [
    ...pngs.map((file) => ({ file, size: 28, color: 'gray' as const, tolerance: exact })),
    { file: smallJpeg, size: 32, color: 'rgb', tolerance: exact },
    { file: smallJpeg, size: 28, color: 'gray', tolerance: exact },
    { file: alphaPng, size: 24, color: 'rgb', tolerance: exact },
    { file: alphaPng, size: 24, color: 'gray', tolerance: exact },
    // larger than 256×256: CNN Studio first shrinks it with libvips (JPEG shrink-on-load + Lanczos 3), Pillow
    // with its own Lanczos filter; the area-averaged 32 px result differs by one level here (2 allowed)
    { file: largeJpeg, size: 32, color: 'rgb', tolerance: 2 / 255 },
  ];
}

function compareTensors(theirs: Float32Array, app: Uint8Array) {
  expect(theirs.length).toBe(app.length);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < app.length; i++) {
    const d = Math.abs(theirs[i] - app[i] / 255);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / app.length };
}

describe('export sample code: preprocessing', () => {
  let dir: string;
  let cases: Case[];
  beforeAll(async () => {
    dir = path.join(temp.dir, 'pre');
    fs.mkdirSync(dir);
    cases = await makeImages(dir);
    const p = { ...preprocessingFor(presetSpec('small', { channels: 1, height: 28, width: 28 }, 10)) };
    fs.writeFileSync(path.join(dir, 'predict.py'), pythonSample(p));
    fs.writeFileSync(path.join(dir, 'predict.mjs'), nodeOnnxSample(p));
    fs.writeFileSync(path.join(dir, 'labels.txt'), 'a\nb\n');
    linkNodeModules(dir);
  });

  async function check(run: (c: Case, out: string) => void) {
    const report: string[] = [];
    for (const [k, c] of cases.entries()) {
      const out = path.join(dir, `out-${k}.f32`);
      run(c, out);
      const bytes = fs.readFileSync(out);
      const theirs = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const app = await preprocessImage(fs.readFileSync(c.file), c.size, c.color);
      const { max, mean } = compareTensors(theirs, app);
      report.push(`${path.basename(c.file)} ${c.size} ${c.color}: max ${(max * 255).toFixed(2)}/255`);
      expect(max, `${c.file} at ${c.size} ${c.color}`).toBeLessThanOrEqual(c.tolerance);
      expect(mean, `${c.file} at ${c.size} ${c.color}`).toBeLessThanOrEqual(0.5 / 255);
    }
    console.info(report.join('\n'));
  }

  it.skipIf(!pil.python)(
    'predict.py preprocess (Pillow) matches the app’s tensors',
    async () => {
      await check((c, out) =>
        execFileSync(pil.python!, [
          '-c',
          'import sys; sys.path.insert(0, sys.argv[1]); from predict import preprocess\n' +
            'open(sys.argv[5], "wb").write(preprocess(sys.argv[2], int(sys.argv[3]), sys.argv[4]).astype("<f4").tobytes())',
          dir,
          c.file,
          String(c.size),
          c.color,
          out,
        ]),
      );
    },
    120_000,
  );

  it('predict.mjs preprocess (sharp) matches the app’s tensors', async () => {
    const url = pathToFileURL(path.join(dir, 'predict.mjs')).href;
    await check((c, out) =>
      execFileSync(process.execPath, [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(url)});` +
          `const x = await m.preprocess(${JSON.stringify(c.file)}, ${c.size}, ${JSON.stringify(c.color)});` +
          `(await import('node:fs')).writeFileSync(${JSON.stringify(out)}, Buffer.from(x.buffer));`,
      ]),
    );
  }, 120_000);
});

describe('export sample code: end to end', () => {
  let data: string;
  let images: string[];
  let app: { probabilities: Float32Array; labels: string[] };
  const cli = (...args: string[]) => runCliCaptured(data, ...args);
  const require = createRequire(path.join(ROOT, 'package.json'));
  const hasOrtNode = (() => {
    try {
      require.resolve('onnxruntime-node');
      return true;
    } catch {
      return false;
    }
  })();

  beforeAll(async () => {
    data = path.join(temp.dir, 'data');
    expect((await cli('project', 'create', 'Samples', '--size', '28', '--color', 'gray')).code).toBe(0);
    expect((await cli('import', 'Samples', path.join(SMALL_SET, 'train'))).code).toBe(0);
    const trained = await cli(
      'train',
      'Samples',
      '--preset',
      'small',
      '--epochs',
      '1',
      '--seed',
      '3',
      '--json',
    );
    expect(trained.code, trained.err).toBe(0);
    const { runId } = trained.json();
    const projectId = (await cli('--json', 'project', 'list')).json()[0].id;
    const model = readModelFile(
      new Uint8Array(fs.readFileSync(path.join(data, 'projects', projectId, 'runs', runId, 'final.model'))),
    );
    images = ['Bag', 'Sandal', 'Shirt', 'Trouser'].map((label) => {
      const folder = path.join(SMALL_SET, 'test', label);
      return path.join(folder, fs.readdirSync(folder).sort()[0]);
    });
    // the app's own predictions: its preprocessing and its CNN core
    const size = 28 * 28;
    const x = new Float32Array(images.length * size);
    for (const [n, f] of images.entries()) {
      const t = await preprocessImage(fs.readFileSync(f), 28, 'gray');
      for (let i = 0; i < size; i++) x[n * size + i] = t[i] / 255;
    }
    const core = buildModel(model.spec, { seed: 0, batchSize: images.length, skipInit: true });
    core.loadParams(model.params, model.state);
    app = { probabilities: core.predict(x).slice(), labels: model.meta.labels };
  }, 300_000);

  function expectSameAsApp(json: string) {
    const { predictions } = JSON.parse(json) as {
      predictions: { file: string; top: { label: string; probability: number }[] }[];
    };
    const K = app.labels.length;
    expect(predictions.map((p) => p.file)).toEqual(images);
    let maxAbsDiff = 0;
    predictions.forEach((p, r) => {
      expect(p.top).toHaveLength(K);
      expect(p.top[0].label).toBe(app.labels[argmaxRow(app.probabilities, r, K)]);
      for (const t of p.top)
        maxAbsDiff = Math.max(
          maxAbsDiff,
          Math.abs(t.probability - app.probabilities[r * K + app.labels.indexOf(t.label)]),
        );
    });
    expect(maxAbsDiff).toBeLessThanOrEqual(1e-4);
    return maxAbsDiff;
  }

  it('predict.mjs beside model.onnx prints the app’s predictions', async () => {
    const out = path.join(temp.dir, 'onnx');
    expect((await cli('export', 'Samples', '--format', 'onnx', '--out', out)).code).toBe(0);
    linkNodeModules(out);
    // onnxruntime-node is not a dependency (its install script downloads GPU files); without it the sample runs
    // on onnxruntime-web through its CNN_STUDIO_ORT switch, the same code path otherwise
    const runtime = hasOrtNode ? 'onnxruntime-node' : 'onnxruntime-web';
    const json = execFileSync(
      process.execPath,
      ['predict.mjs', ...images, '--top', String(app.labels.length), '--json'],
      { cwd: out, encoding: 'utf8', env: { ...process.env, CNN_STUDIO_ORT: runtime } },
    );
    console.info(`predict.mjs (${runtime}): max abs diff ${expectSameAsApp(json).toExponential(2)}`);
    const text = execFileSync(process.execPath, ['predict.mjs', images[0], '--top', '2'], {
      cwd: out,
      encoding: 'utf8',
      env: { ...process.env, CNN_STUDIO_ORT: runtime },
    });
    expect(text.split('\n')[0]).toBe(images[0]);
    expect(text.split('\n')[1]).toMatch(/^\s+\d+\.\d\d % {2}\S/);
  }, 120_000);

  it('predict.mjs beside a TF.js model prints the app’s predictions', async () => {
    const out = path.join(temp.dir, 'tfjs');
    expect((await cli('export', 'Samples', '--format', 'tfjs', '--out', out)).code).toBe(0);
    linkNodeModules(out);
    const json = execFileSync(
      process.execPath,
      ['predict.mjs', ...images, '--top', String(app.labels.length), '--json'],
      { cwd: out, encoding: 'utf8' },
    );
    console.info(`predict.mjs (tfjs): max abs diff ${expectSameAsApp(json).toExponential(2)}`);
  }, 120_000);

  it.skipIf(!pyOrt.python)(
    'predict.py beside model.onnx prints the app’s predictions',
    async () => {
      const out = path.join(temp.dir, 'onnx-py');
      expect((await cli('export', 'Samples', '--format', 'onnx', '--out', out)).code).toBe(0);
      const json = execFileSync(
        pyOrt.python!,
        ['predict.py', ...images, '--top', String(app.labels.length), '--json'],
        { cwd: out, encoding: 'utf8' },
      );
      expectSameAsApp(json);
    },
    120_000,
  );
});
