/**
 * The shapes as the C kernels read them: Int32Array vectors in the field order of Conv and PoolGeom
 * (src/common.h) and of the addon's pool, dense and batch-norm vectors (native/src/addon.c), written once here for
 * the native and wasm wrappers.
 *
 * A packer fills one Int32Array it owns and returns it (no allocation per call: the kernel reads it before the
 * next call), so an op that passes two shapes at once needs two packers. Plain assignments, one function per shape:
 * a generic field loop or a shared helper costs about 70 ns more per call (measured), as its property loads and
 * calls see every shape.
 */
import type { BatchNormShape, Conv2dShape, DenseShape, Pool2dShape } from '../cnn/kernel-set';

export function convPacker(): (s: Conv2dShape) => Int32Array {
  const v = new Int32Array(13);
  return (s) => {
    v[0] = s.batch;
    v[1] = s.inChannels;
    v[2] = s.inHeight;
    v[3] = s.inWidth;
    v[4] = s.outChannels;
    v[5] = s.kernelHeight;
    v[6] = s.kernelWidth;
    v[7] = s.strideH;
    v[8] = s.strideW;
    v[9] = s.padTop;
    v[10] = s.padLeft;
    v[11] = s.outHeight;
    v[12] = s.outWidth;
    return v;
  };
}

export function poolPacker(): (s: Pool2dShape) => Int32Array {
  const v = new Int32Array(10);
  return (s) => {
    v[0] = s.batch;
    v[1] = s.channels;
    v[2] = s.inHeight;
    v[3] = s.inWidth;
    v[4] = s.poolHeight;
    v[5] = s.poolWidth;
    v[6] = s.strideH;
    v[7] = s.strideW;
    v[8] = s.outHeight;
    v[9] = s.outWidth;
    return v;
  };
}

/** The pooling of a fused conv + ReLU + max pool (its batch and channels are the conv's). */
export function poolGeomPacker(): (p: Pool2dShape) => Int32Array {
  const v = new Int32Array(6);
  return (p) => {
    v[0] = p.poolHeight;
    v[1] = p.poolWidth;
    v[2] = p.strideH;
    v[3] = p.strideW;
    v[4] = p.outHeight;
    v[5] = p.outWidth;
    return v;
  };
}

export function densePacker(): (s: DenseShape) => Int32Array {
  const v = new Int32Array(3);
  return (s) => {
    v[0] = s.batch;
    v[1] = s.inFeatures;
    v[2] = s.outFeatures;
    return v;
  };
}

export function batchNormPacker(): (s: BatchNormShape) => Int32Array {
  const v = new Int32Array(3);
  return (s) => {
    v[0] = s.batch;
    v[1] = s.channels;
    v[2] = s.spatial;
    return v;
  };
}

/** Values of a max pool's output (= its switches and dout). */
export const pooledCount = (s: Pool2dShape): number => s.batch * s.channels * s.outHeight * s.outWidth;

/** 2×2, stride 2 windows that tile the input, at least 4 per row (the 2×2 pool + relu backward that writes dinp in one ordered pass). */
export const tiles2x2 = (s: Pool2dShape): boolean =>
  s.poolHeight === 2 &&
  s.poolWidth === 2 &&
  s.strideH === 2 &&
  s.strideW === 2 &&
  s.inHeight === 2 * s.outHeight &&
  s.inWidth === 2 * s.outWidth &&
  s.outWidth >= 4;
