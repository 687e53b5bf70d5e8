/**
 * The native kernels addon (native-workers/native, built into out/native by `npm run build`) against the readable
 * reference ops: every instruction set this CPU supports runs the same random-shape checks as the wasm kernels
 * (./kernel-checks.ts). Also: bad calls throw instead of touching memory, and worker threads load it too.
 *
 * The addon is optional for users (no C compiler: the app runs the wasm kernels), but CI must build it, so there a
 * missing addon fails instead of skipping.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { bundleForNode } from '../../support/bundle';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { fastKernelsBackend } from '../../../native-workers/kernels/fast-kernels';
import {
  createNativeKernelSet,
  loadNativeAddon,
  nativeAddonDir,
  nativeLoadError,
} from '../../../native-workers/kernels/native-kernels';
import { FlatAdam } from '../../../native-workers/parallel/adam';
import { sameConv3x3 } from './conv-checks';
import { expectClose, lcg, randArray } from './kernel-check-support';
import { ALL_KERNEL_CHECKS } from './kernel-checks';

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

const NATIVE_CHECKS = ALL_KERNEL_CHECKS;

describe.skipIf(!addon).each(isas)('native kernels (%s) vs reference ops', (isa) => {
  for (const [name, check] of Object.entries(NATIVE_CHECKS)) {
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

  it('batch norm: checks every array against the shape [batch, channels, spatial] and writes nothing on refusal', () => {
    const s = { batch: 2, channels: 3, spatial: 5, epsilon: 1e-5, momentum: 0.1 };
    const c = () => new Float32Array(3).fill(1);
    const [inp, out] = [randArray(rand, 30), new Float32Array(30).fill(7)];
    const [mean, invStd, rm, rv] = [c(), c(), c(), c()];
    const untouched = () =>
      expect([out, mean, invStd, rm, rv].every((a) => a.every((v) => v === (a === out ? 7 : 1)))).toBe(true);
    // each array one short in turn: a RangeError before anything is written
    const train = (args: Float32Array[]) => () =>
      k.batchNormForwardTrain!(s, args[0], args[1], args[2], args[3], args[4], args[5], args[6], args[7]);
    const full = [inp, c(), c(), out, mean, invStd, rm, rv];
    for (let i = 0; i < full.length; i++) {
      const args = full.map((a, j) => (j === i ? a.subarray(1) : a));
      expect(train(args), `argument ${i}`).toThrow(RangeError);
      untouched();
    }
    expect(() => k.batchNormForwardEval!(s, inp, c(), c(), out.subarray(1), rm, rv)).toThrow(/shorter/);
    expect(() => k.batchNormReluForwardEval!(s, inp, c(), c(), out, rm.subarray(1), rv)).toThrow(/shorter/);
    const [dgamma, dbeta] = [c(), c()];
    expect(() =>
      k.batchNormBackwardTrain!(s, inp, c(), mean, invStd, out.subarray(1), null, dgamma, dbeta),
    ).toThrow(/shorter/);
    expect(() =>
      k.batchNormBackwardTrain!(s, inp, c(), mean, invStd, out, new Float32Array(29), dgamma, dbeta),
    ).toThrow(/shorter/);
    expect(() =>
      k.batchNormReluBackwardTrain!(s, inp, c(), mean, invStd, inp.subarray(1), out, null, dgamma, dbeta),
    ).toThrow(/shorter/);
    expect([dgamma, dbeta].every((a) => a.every((v) => v === 1))).toBe(true);
    untouched();
    // impossible shapes and hyperparameters, non-float32 tensors
    const bad =
      (shape: number[], eps = 1e-5) =>
      () =>
        addon!.batchNormForwardEval!(new Int32Array(shape), eps, inp, c(), c(), out, rm, rv, 0);
    expect(bad([0, 3, 5])).toThrow(/invalid batch-norm shape/);
    expect(bad([2, -3, 5])).toThrow(/invalid batch-norm shape/);
    expect(bad([65536, 65536, 2])).toThrow(/invalid batch-norm shape/);
    expect(bad([2, 3, 5], NaN)).toThrow(/finite number/);
    expect(() =>
      addon!.batchNormBackwardTrain!(
        new Int32Array([2, 3, 5]),
        new Float64Array(30) as unknown as Float32Array,
        c(),
        mean,
        invStd,
        null,
        out,
        null,
        dgamma,
        dbeta,
      ),
    ).toThrow(TypeError);
    untouched();
  });

  it('rejects a conv + relu + pool training call whose switches array is too short, writing nothing', () => {
    const p = {
      batch: 2,
      channels: 4,
      inHeight: 9,
      inWidth: 7,
      poolHeight: 2,
      poolWidth: 2,
      strideH: 2,
      strideW: 2,
      outHeight: 4,
      outWidth: 3,
    };
    const out = new Float32Array(2 * 4 * 12).fill(7);
    expect(() => k.conv2dReluMaxPoolTrain!(conv, p, x, w, null, out, new Int32Array(2 * 4 * 12 - 1))).toThrow(
      RangeError,
    );
    expect(out.every((v) => v === 7)).toBe(true);
  });

  it('rejects a max-pool gradient index outside dinp before adding anything', () => {
    const dinp = new Float32Array(4);
    expect(() => addon!.maxPoolBackward(2, new Float32Array([1, 2]), new Int32Array([1, 9]), dinp)).toThrow(
      /outside dinp/,
    );
    expect(Array.from(dinp)).toEqual([0, 0, 0, 0]);
    const out = new Float32Array([1, 1]);
    expect(() =>
      addon!.maxPoolReluBackward!(2, new Float32Array([1, 2]), new Int32Array([1, 9]), out, dinp),
    ).toThrow(/outside dinp/);
    expect(Array.from(dinp)).toEqual([0, 0, 0, 0]);
    expect(() =>
      addon!.maxPoolReluBackward!(2, new Float32Array([1, 2]), new Int32Array([1, 2]), out.subarray(1), dinp),
    ).toThrow(RangeError);
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

// every instruction set: on AVX-512 the Adam loops run 8 doubles per vector, and must still round like JavaScript
describe.skipIf(!addon).each(isas)('native optimizer loops (%s): bit for bit the JavaScript ones', (isa) => {
  const rand = lcg(21);
  const P = 1003;
  beforeEach(() => addon!.useIsa(isa));
  afterEach(() => addon!.useIsa(best));

  it('adamSlice equals FlatAdam.stepSlice, with and without weight decay, on a slice', () => {
    for (const weightDecay of [0, 0.01]) {
      const params = randArray(rand, P);
      const m = randArray(rand, P).map((x) => x * 0.1);
      const v = randArray(rand, P).map((x) => x * x * 0.01);
      const js = { params: params.slice(), m: m.slice(), v: v.slice() };
      const nat = { params: params.slice(), m: m.slice(), v: v.slice() };
      const opts = { lr: 3e-3, beta1: 0.85, beta2: 0.995, eps: 1e-7, weightDecay };
      const a = new FlatAdam(P, opts, { m: js.m, v: js.v });
      const b = new FlatAdam(P, opts, { m: nat.m, v: nat.v }, addon!.adamSlice.bind(addon));
      for (let t = 1; t <= 3; t++) {
        const grads = randArray(rand, P);
        a.stepSlice(js.params, grads, t, 17, 900);
        b.stepSlice(nat.params, grads, t, 17, 900);
      }
      for (const k of ['params', 'm', 'v'] as const)
        expect(Buffer.from(nat[k].buffer).equals(Buffer.from(js[k].buffer)), `${k}, wd ${weightDecay}`).toBe(
          true,
        );
      expect(nat.params[16]).toBe(params[16]); // outside the slice: untouched
    }
  });

  it.skipIf(!addon?.adamMaskedSlice)(
    'adamMaskedSlice equals the masked-decay FlatAdam.stepSlice (AdamW and L2, with and without a mask), on a slice',
    () => {
      const mask = Uint8Array.from({ length: P }, (_, i) => (i % 5 < 3 ? 1 : 0));
      for (const decoupled of [true, false])
        for (const decayMask of [mask, null]) {
          const params = randArray(rand, P);
          const m = randArray(rand, P).map((x) => x * 0.1);
          const v = randArray(rand, P).map((x) => x * x * 0.01);
          const js = { params: params.slice(), m: m.slice(), v: v.slice() };
          const nat = { params: params.slice(), m: m.slice(), v: v.slice() };
          const opts = {
            lr: 3e-2,
            beta1: 0.85,
            beta2: 0.995,
            eps: 1e-7,
            weightDecay: 0.1,
            decoupled,
            decayMask,
          };
          const a = new FlatAdam(P, opts, { m: js.m, v: js.v });
          const b = new FlatAdam(P, opts, { m: nat.m, v: nat.v }, null, addon!.adamMaskedSlice!.bind(addon));
          for (let t = 1; t <= 3; t++) {
            const grads = randArray(rand, P);
            a.stepSlice(js.params, grads, t, 17, 900);
            b.stepSlice(nat.params, grads, t, 17, 900);
          }
          const what = `decoupled ${decoupled}, mask ${decayMask !== null}`;
          for (const k of ['params', 'm', 'v'] as const)
            expect(Buffer.from(nat[k].buffer).equals(Buffer.from(js[k].buffer)), `${k}, ${what}`).toBe(true);
          expect(nat.params[16]).toBe(params[16]); // outside the slice: untouched
          expect(nat.params[900]).toBe(params[900]);
        }
    },
  );

  it('reduceGradients equals the weighted sum of the worker slots (and skips zero weights)', () => {
    const N = 3;
    const grads = randArray(rand, (N + 1) * P);
    const weights = Float64Array.from([5 / 11, 0, 6 / 11]);
    const expected = grads.slice(N * P);
    for (let j = 0; j < N; j++)
      for (let i = 10; i < 700; i++) {
        const x = weights[j] * grads[j * P + i];
        if (j === 0) expected[i] = x;
        else if (weights[j] !== 0) expected[i] += x;
      }
    addon!.reduceGradients(grads, N, P, weights, 10, 700);
    expect(Buffer.from(grads.slice(N * P).buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(() => addon!.reduceGradients(grads, N, P, weights, 10, P + 1)).toThrow(/invalid reduce range/);
  });
});

describe.skipIf(!addon)('CNN_STUDIO_NATIVE_ISA', () => {
  const dir = mkdtempSync(join(tmpdir(), 'native-isa-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'native-isa-child.js');
  const run = async (isa: string) => {
    if (!existsSync(script)) await bundleForNode(join(__dirname, 'native-isa-child.ts'), script);
    const { stdout } = await promisify(execFile)(process.execPath, [script], {
      encoding: 'utf8',
      cwd: process.cwd(), // the child finds out/native/cnn_kernels.node from here
      env: { ...process.env, CNN_STUDIO_NATIVE_ISA: isa, CNN_STUDIO_KERNELS: '' },
    });
    return JSON.parse(stdout) as { backend: string; error: string | null };
  };

  it('selects that build in every thread that loads the addon', async () => {
    expect(await run('v4')).toEqual({ backend: 'native-v4', error: null });
  });

  it('an instruction set the CPU lacks leaves the addon unloaded, with the reason, and wasm runs', async () => {
    const r = await run('avx9');
    expect(r.backend).toMatch(/^wasm-/);
    expect(r.error).toMatch(/not supported by this CPU/);
  });
});
