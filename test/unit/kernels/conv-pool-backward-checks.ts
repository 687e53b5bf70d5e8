/**
 * conv2dReluMaxPoolBackwardParams (the first conv's weight and bias gradients straight from its pool's output
 * gradient) against its definition in the reference ops: maxPool2dBackward where the pool's output is > 0 into a
 * zeroed buffer, then conv2dBackward without dinp. Switches from the reference pool over the reference relu output
 * (ties and all-zero windows included); gradients start non-zero (the op accumulates).
 */
import type { Conv2dShape, KernelSet, Pool2dShape } from '../../../native-workers/cnn/kernel-set';
import { referenceKernels as ref } from '../../../native-workers/cnn/reference-kernels';
import { randomConvShape, refCnnConvShapes, sameConv3x3 } from './conv-checks';
import { pool2x2Over } from './conv-pool-checks';
import { expectClose, lcg, randArray } from './kernel-check-support';

/** What a case changes after the forward: nothing, a switch moved out of its window, a non-finite input. */
type Twist = 'none' | 'switch outside its window' | 'infinite input';

/** Finite values within tolerance; NaN and infinities where the definition has them. */
function expectCloseOrSame(actual: Float32Array, expected: Float32Array, what: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (Number.isFinite(expected[i])) continue;
    if (!Object.is(actual[i], expected[i]))
      throw new Error(`${what}: ${actual[i]} at ${i}, expected ${expected[i]}`);
  }
  const finite = (a: Float32Array) => a.map((v, i) => (Number.isFinite(expected[i]) ? v : 0));
  expectClose(finite(actual), finite(expected), what);
}

function checkOne(
  k: KernelSet,
  s: Conv2dShape,
  p: Pool2dShape,
  rand: () => number,
  bias: boolean,
  twist: Twist,
) {
  const nIn = s.batch * s.inChannels * s.inHeight * s.inWidth;
  const nConv = s.batch * s.outChannels * s.outHeight * s.outWidth;
  const nOut = p.batch * p.channels * p.outHeight * p.outWidth;
  const inp = randArray(rand, nIn);
  const w = randArray(rand, s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth);
  const b = randArray(rand, s.outChannels).map((v) => v - 0.3); // some whole windows at 0 after the relu
  const act = new Float32Array(nConv);
  ref.conv2dForward(s, inp, w, b, act);
  ref.reluForward(act, act);
  const out = new Float32Array(nOut);
  const argmax = new Int32Array(nOut);
  ref.maxPool2dForward(p, act, out, argmax);
  if (twist === 'switch outside its window') {
    const j = Math.floor(rand() * nOut);
    argmax[j] = (argmax[j] + 2 * s.outWidth + 2) % nConv; // two rows and columns on (another window)
    out[j] = 1;
  }
  if (twist === 'infinite input') inp[Math.floor(rand() * nIn)] = rand() < 0.5 ? Infinity : -Infinity;
  const dout = randArray(rand, nOut);
  const dconv = new Float32Array(nConv);
  for (let j = 0; j < nOut; j++) if (out[j] > 0) dconv[argmax[j]] += dout[j];
  const dw0 = randArray(rand, w.length);
  const db0 = randArray(rand, s.outChannels);
  const [dwR, dbR, dwF, dbF] = [dw0.slice(), db0.slice(), dw0.slice(), db0.slice()];
  ref.conv2dBackward(s, inp, w, dconv, null, dwR, bias ? dbR : null);
  k.conv2dReluMaxPoolBackwardParams!(s, p, inp, w, dout, argmax, out, dwF, bias ? dbF : null);
  const tag = `${twist} ${JSON.stringify(s)} ${JSON.stringify(p)}`;
  expectCloseOrSame(dwF, dwR, `conv2dReluMaxPoolBackwardParams dweight ${tag}`);
  expectCloseOrSame(dbF, dbR, `conv2dReluMaxPoolBackwardParams dbias ${tag}`);
}

/** A 2×2/2 pool over a stride-1 conv of random kernel, padding and size, made to tile it (even output sizes). */
function tiledStride1(rand: () => number): Conv2dShape {
  const s = randomConvShape(rand);
  s.strideH = s.strideW = 1;
  const evenH = 2 + 2 * Math.floor(rand() * 8);
  const evenW = 2 + 2 * Math.floor(rand() * 9);
  // inHeight so that the conv's output has evenH rows (padBottom = 0)
  return {
    ...s,
    inHeight: evenH + s.kernelHeight - 1 - s.padTop,
    inWidth: evenW + s.kernelWidth - 1 - s.padLeft,
    outHeight: evenH,
    outWidth: evenW,
  };
}

export function checkConvReluMaxPoolBackwardParams(k: KernelSet): void {
  if (!k.conv2dReluMaxPoolBackwardParams)
    throw new Error('this KernelSet has no conv2dReluMaxPoolBackwardParams');
  const rand = lcg(61);
  const twists: Twist[] = ['none', 'none', 'switch outside its window', 'infinite input'];
  for (let t = 0; t < 120; t++) {
    const twist = twists[t % 4];
    let s: Conv2dShape;
    if (t % 3 === 0) s = tiledStride1(rand);
    else {
      const h = 2 + Math.floor(rand() * 17);
      const w = 2 + Math.floor(rand() * 19);
      s = sameConv3x3(1 + (t % 4), 1 + (t % 3), h, w, 1 + Math.floor(rand() * 20)); // odd sizes do not tile
    }
    if (s.outHeight >= 2 && s.outWidth >= 2) checkOne(k, s, pool2x2Over(s), rand, t % 5 !== 0, twist);
  }
  // other pools (not 2×2/2) and strides: the unfused path inside the op
  for (let t = 0; t < 30; t++) {
    const s = randomConvShape(rand);
    if (s.outHeight < 2 || s.outWidth < 2) continue;
    const p = { ...pool2x2Over(s), poolHeight: 1, strideH: 1, outHeight: s.outHeight };
    checkOne(k, s, t % 2 ? p : pool2x2Over(s), rand, true, t % 3 === 0 ? 'infinite input' : 'none');
  }
  const [first] = refCnnConvShapes();
  for (const batch of [64, 32, 1])
    checkOne(k, { ...first, batch }, pool2x2Over({ ...first, batch }), rand, true, 'none');
}
