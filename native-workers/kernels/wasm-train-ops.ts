/**
 * The wasm module's fused training ops for a conv, relu, maxPool2d chain (as the native addon has them): the
 * forward with the pool's switches, the pool + relu backward (writing dinp where zeroFirst), and the first conv's
 * weight and bias gradients straight from the switches. With them a Model trains that chain without writing the
 * conv's output (see KernelSet). Copies in and out like the other ops of ./wasm-kernels.ts.
 */
import type { Conv2dShape, KernelSet, Pool2dShape } from '../cnn/kernel-set';
import { convPacker, poolGeomPacker, pooledCount, tiles2x2 } from './kernel-shapes';
import { type WasmKernelInstance, head } from './wasm-instance';

const convIn = (s: Conv2dShape) => s.batch * s.inChannels * s.inHeight * s.inWidth;
const convWeights = (s: Conv2dShape) => s.outChannels * s.inChannels * s.kernelHeight * s.kernelWidth;
const convOut = (s: Conv2dShape) => s.batch * s.outChannels * s.outHeight * s.outWidth;
const poolIn = (s: Pool2dShape) => s.batch * s.channels * s.inHeight * s.inWidth;

type TrainOps = Required<
  Pick<KernelSet, 'conv2dReluMaxPoolTrain' | 'maxPool2dReluBackward' | 'conv2dReluMaxPoolBackwardParams'>
>;

/** The fused training ops over one instance; conv2dBackward runs the unfused backward where the fused one declines. */
export function wasmConvPoolTrainOps(
  k: WasmKernelInstance,
  conv2dBackward: KernelSet['conv2dBackward'],
): TrainOps {
  const x = k.exports;
  const conv = convPacker();
  const geom = poolGeomPacker();
  const outside = () => new RangeError('wasm kernels: a max-pool switch is outside dinp');
  const poolReluBackward: TrainOps['maxPool2dReluBackward'] = (s, dout, argmax, out, dinp, zeroFirst) => {
    const [n, nIn] = [pooledCount(s), poolIn(s)];
    k.begin();
    const [dp, ap, op] = [k.input(dout, n), k.putInt32Array(head(argmax, n)), k.input(out, n)];
    // writing (zeroFirst): dinp is only an output, not copied in
    const bad =
      zeroFirst && tiles2x2(s)
        ? x.maxpool_relu_backward_2x2(
            s.batch * s.channels,
            s.outHeight,
            s.outWidth,
            dp,
            ap,
            op,
            k.output(dinp, nIn),
          )
        : x.maxpool_relu_backward(
            n,
            dp,
            ap,
            op,
            zeroFirst ? k.output(dinp, nIn) : k.inOut(dinp, nIn),
            nIn,
            +!!zeroFirst,
          );
    if (bad) throw outside(); // before finish(): the caller's dinp is left as it was
    k.finish();
  };
  return {
    conv2dReluMaxPoolTrain(s, p, inp, w, b, out, argmax) {
      const n = pooledCount(p);
      k.begin();
      const [sp, pp] = [k.putI32(conv(s)), k.putI32(geom(p))];
      x.conv2d_relu_maxpool_train(
        sp,
        pp,
        k.input(inp, convIn(s)),
        k.input(w, convWeights(s)),
        k.input(b, s.outChannels),
        k.output(out, n),
        k.output(argmax, n),
        k.alloc(x.conv2d_relu_maxpool_train_scratch(sp, pp)),
      );
      k.finish();
    },
    maxPool2dReluBackward: poolReluBackward,
    conv2dReluMaxPoolBackwardParams(s, p, inp, w, dout, argmax, out, dw, db) {
      const n = pooledCount(p);
      k.begin();
      const [sp, pp] = [k.putI32(conv(s)), k.putI32(geom(p))];
      const done = x.conv2d_relu_maxpool_backward_params(
        sp,
        pp,
        k.input(inp, convIn(s)),
        k.input(dout, n),
        k.putInt32Array(head(argmax, n)),
        k.input(out, n),
        k.inOut(dw, convWeights(s)),
        k.inOut(db, s.outChannels),
        k.alloc(x.conv2d_relu_maxpool_backward_params_scratch(sp, pp)),
      );
      if (done) return k.finish();
      // not applicable here: the conv output's gradient into a buffer, then the conv's backward
      const dconv = new Float32Array(convOut(s));
      poolReluBackward(p, dout, argmax, out, dconv, true);
      conv2dBackward(s, inp, w, dconv, null, dw, db);
    },
  };
}
