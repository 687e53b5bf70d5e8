/**
 * The native kernels addon (native-workers/native, built into out/native by `npm run build`) against the readable
 * reference ops: every instruction set this CPU supports runs the same random-shape checks as the wasm kernels
 * (./kernel-checks.ts). Also: bad calls throw instead of touching memory, and worker threads load it too.
 *
 * The addon is optional for users (no C compiler: the app runs the wasm kernels), but CI must build it, so there a
 * missing addon fails instead of skipping.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { fastKernelsBackend } from '../../../native-workers/kernels/fast-kernels';
import {
  createNativeKernelSet,
  loadNativeAddon,
  nativeAddonDir,
  nativeLoadError,
} from '../../../native-workers/kernels/native-kernels';
import { ALL_KERNEL_CHECKS, expectClose, lcg, randArray, sameConv3x3 } from './kernel-checks';

const addon = loadNativeAddon();

describe('native kernels addon', () => {
  it(`is built and loads${process.env.CI ? ' (required in CI)' : ''}`, (ctx) => {
    if (!addon && !process.env.CI) {
      ctx.skip(`native kernels unavailable here: ${nativeLoadError()}`);
      return;
    }
    expect(nativeLoadError()).toBeNull();
    expect(addon!.isas().length).toBeGreaterThan(0);
    expect(addon!.isas()).toContain('v4'); // the baseline runs on every CPU
    expect(fastKernelsBackend()).toBe(`native-${addon!.useIsa()}`);
  });
});

const isas = addon?.isas() ?? [];
const best = isas[0];

describe.skipIf(!addon).each(isas)('native kernels (%s) vs reference ops', (isa) => {
  for (const [name, check] of Object.entries(ALL_KERNEL_CHECKS)) {
    it(name, () => {
      addon!.useIsa(isa);
      try {
        check(createNativeKernelSet(addon!));
      } finally {
        addon!.useIsa(best);
      }
    });
  }
});

const conv = sameConv3x3(2, 3, 9, 7, 4);
const nIn = 2 * 3 * 9 * 7;
const nOut = 2 * 4 * 9 * 7;

describe.skipIf(!addon)('native kernels: bad calls', () => {
  const k = addon ? createNativeKernelSet(addon) : ref;
  const rand = lcg(3);
  const x = randArray(rand, nIn);
  const w = randArray(rand, 4 * 27);

  it('throws a RangeError for arrays shorter than the shape needs, and writes nothing', () => {
    const out = new Float32Array(nOut - 1).fill(7);
    expect(() => k.conv2dForward(conv, x, w, null, out)).toThrow(RangeError);
    expect(out.every((v) => v === 7)).toBe(true);
    expect(() => k.conv2dForward(conv, x.subarray(1), w, null, new Float32Array(nOut))).toThrow(/shorter/);
    expect(() =>
      k.denseForward(
        { batch: 2, inFeatures: 5, outFeatures: 3 },
        x,
        w.subarray(0, 14),
        null,
        new Float32Array(6),
      ),
    ).toThrow(RangeError);
  });

  it('throws a TypeError for non-float32 tensors and an error for impossible shapes', () => {
    expect(() => addon!.conv2dForward(new Int32Array(13), x, w, null, new Float32Array(nOut), 0)).toThrow(
      /invalid convolution shape/,
    );
    expect(() =>
      addon!.reluForward(3, new Float64Array(3) as unknown as Float32Array, new Float32Array(3)),
    ).toThrow(TypeError);
    expect(() =>
      k.maxPool2dForward(
        {
          batch: 1,
          channels: 1,
          inHeight: 4,
          inWidth: 4,
          poolHeight: 2,
          poolWidth: 2,
          strideH: 2,
          strideW: 2,
          outHeight: 3, // windows would run past the input
          outWidth: 2,
        },
        new Float32Array(16),
        new Float32Array(6),
        new Int32Array(6),
      ),
    ).toThrow(/invalid pooling shape/);
  });

  it('rejects a max-pool gradient index outside dinp before adding anything', () => {
    const dinp = new Float32Array(4);
    expect(() => addon!.maxPoolBackward(2, new Float32Array([1, 2]), new Int32Array([1, 9]), dinp)).toThrow(
      /outside dinp/,
    );
    expect(Array.from(dinp)).toEqual([0, 0, 0, 0]);
  });
});

describe.skipIf(!addon)('native kernels in a worker thread', () => {
  it('loads in a worker (context-aware Node-API module) and computes the same convolution', async () => {
    const rand = lcg(11);
    const x = randArray(rand, nIn);
    const w = randArray(rand, 4 * 27);
    const b = randArray(rand, 4);
    const expected = new Float32Array(nOut);
    ref.conv2dForward(conv, x, w, b, expected);
    const file = `${nativeAddonDir()}/cnn_kernels.node`;
    const src = `
      const { parentPort, workerData: d } = require('node:worker_threads');
      const m = { exports: {} };
      process.dlopen(m, d.file);
      const out = new Float32Array(d.n);
      m.exports.conv2dForward(d.shape, d.x, d.w, d.b, out, 0);
      parentPort.postMessage({ out, isa: m.exports.useIsa() });`;
    const shape = Int32Array.from([2, 3, 9, 7, 4, 3, 3, 1, 1, 1, 1, 9, 7]);
    const res = await new Promise<{ out: Float32Array; isa: string }>((resolve, reject) => {
      const wk = new Worker(src, { eval: true, workerData: { file, n: nOut, shape, x, w, b } });
      wk.once('message', resolve);
      wk.once('error', reject);
    });
    expect(res.isa).toBe(best);
    expectClose(res.out, expected, 'conv in worker');
  });
});
