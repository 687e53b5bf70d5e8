/** A KernelSet wrapper that accumulates the wall time of every op (by op name and layer geometry). */
import type { KernelSet } from '../cnn/kernel-set';

export interface KernelProfile {
  /** key: `op batch×C×H×W→…`, value: [calls, total ms]. */
  readonly times: Map<string, [number, number]>;
  reset(): void;
}

const shapeKey = (s: object): string => {
  const v = s as Record<string, number>;
  if ('kernelHeight' in v)
    return `${v.inChannels}×${v.inHeight}×${v.inWidth}→${v.outChannels}×${v.outHeight}×${v.outWidth}`;
  if ('poolHeight' in v) return `${v.channels}×${v.inHeight}×${v.inWidth}→${v.outHeight}×${v.outWidth}`;
  if ('inFeatures' in v) return `${v.inFeatures}→${v.outFeatures}`;
  if ('spatial' in v) return `${v.channels}×${v.spatial}`;
  return '';
};

/** `clock` returns milliseconds (default: performance.now; a CPU-time clock makes profiles robust to a busy machine). */
export function profileKernels(
  k: KernelSet,
  clock: () => number = () => performance.now(),
): KernelSet & KernelProfile {
  const times = new Map<string, [number, number]>();
  const wrap = <F extends (...a: never[]) => void>(name: string, f: F, keyed: boolean): F =>
    ((...args: Parameters<F>) => {
      const t0 = clock();
      f(...args);
      const dt = clock() - t0;
      const key = keyed
        ? `${name} ${shapeKey(args[0] as object)}`
        : `${name} ${(args[0] as { length: number }).length / 1}`;
      const e = times.get(key);
      if (e) {
        e[0]++;
        e[1] += dt;
      } else times.set(key, [1, dt]);
    }) as F;
  return {
    times,
    reset: () => times.clear(),
    conv2dForward: wrap('conv2dForward', k.conv2dForward, true),
    ...(k.conv2dReluForward && {
      conv2dReluForward: wrap('conv2dReluForward', k.conv2dReluForward, true),
    }),
    ...(k.conv2dReluForwardWt && {
      conv2dReluForwardWt: wrap('conv2dReluForwardWt', k.conv2dReluForwardWt, true),
    }),
    ...(k.conv2dReluMaxPoolForward && {
      conv2dReluMaxPoolForward: wrap('conv2dReluMaxPoolForward', k.conv2dReluMaxPoolForward, true),
    }),
    conv2dBackward: wrap('conv2dBackward', k.conv2dBackward, true),
    denseForward: wrap('denseForward', k.denseForward, true),
    denseBackward: wrap('denseBackward', k.denseBackward, true),
    maxPool2dForward: wrap('maxPool2dForward', k.maxPool2dForward, true),
    maxPool2dBackward: wrap('maxPool2dBackward', k.maxPool2dBackward, true),
    ...(k.conv2dReluMaxPoolTrain && {
      conv2dReluMaxPoolTrain: wrap('conv2dReluMaxPoolTrain', k.conv2dReluMaxPoolTrain, true),
    }),
    ...(k.conv2dReluMaxPoolBackwardParams && {
      conv2dReluMaxPoolBackwardParams: wrap(
        'conv2dReluMaxPoolBackwardParams',
        k.conv2dReluMaxPoolBackwardParams,
        true,
      ),
    }),
    ...(k.maxPool2dReluBackward && {
      maxPool2dReluBackward: wrap('maxPool2dReluBackward', k.maxPool2dReluBackward, true),
    }),
    reluForward: wrap('reluForward', k.reluForward, false),
    reluBackward: wrap('reluBackward', k.reluBackward, false),
    // the optional batch-norm ops: without them here, a profiled model would time the reference ops instead
    ...(k.batchNormForwardTrain && {
      batchNormForwardTrain: wrap('batchNormForwardTrain', k.batchNormForwardTrain, true),
    }),
    ...(k.batchNormReluForwardTrain && {
      batchNormReluForwardTrain: wrap('batchNormReluForwardTrain', k.batchNormReluForwardTrain, true),
    }),
    ...(k.batchNormForwardEval && {
      batchNormForwardEval: wrap('batchNormForwardEval', k.batchNormForwardEval, true),
    }),
    ...(k.batchNormReluForwardEval && {
      batchNormReluForwardEval: wrap('batchNormReluForwardEval', k.batchNormReluForwardEval, true),
    }),
    ...(k.batchNormBackwardTrain && {
      batchNormBackwardTrain: wrap('batchNormBackwardTrain', k.batchNormBackwardTrain, true),
    }),
    ...(k.batchNormReluBackwardTrain && {
      batchNormReluBackwardTrain: wrap('batchNormReluBackwardTrain', k.batchNormReluBackwardTrain, true),
    }),
  };
}
