/**
 * The shapes as the C kernels read them: Int32Array vectors in the field order of Conv and PoolGeom
 * (src/common.h) and of the addon's pool, dense and batch-norm vectors (native/src/addon.c). The native and wasm
 * wrappers both pack through these lists, so each order is written once.
 */
import type { BatchNormShape, Conv2dShape, DenseShape, Pool2dShape } from '../cnn/kernel-set';

type Fields<S> = readonly (keyof S & string)[];

export const CONV_FIELDS: Fields<Conv2dShape> = [
  'batch',
  'inChannels',
  'inHeight',
  'inWidth',
  'outChannels',
  'kernelHeight',
  'kernelWidth',
  'strideH',
  'strideW',
  'padTop',
  'padLeft',
  'outHeight',
  'outWidth',
];
export const POOL_FIELDS: Fields<Pool2dShape> = [
  'batch',
  'channels',
  'inHeight',
  'inWidth',
  'poolHeight',
  'poolWidth',
  'strideH',
  'strideW',
  'outHeight',
  'outWidth',
];
/** The pooling of a fused conv + ReLU + max pool (its batch and channels are the conv's). */
export const POOL_GEOM_FIELDS: Fields<Pool2dShape> = [
  'poolHeight',
  'poolWidth',
  'strideH',
  'strideW',
  'outHeight',
  'outWidth',
];
export const DENSE_FIELDS: Fields<DenseShape> = ['batch', 'inFeatures', 'outFeatures'];
export const BATCH_NORM_FIELDS: Fields<BatchNormShape> = ['batch', 'channels', 'spatial'];

/**
 * A packer writing a shape's fields into one Int32Array it reuses (no allocation per call; the vector is read
 * before the call returns). Each op that passes two shapes at once needs two packers.
 */
export function shapePacker<S>(fields: Fields<S>): (s: S) => Int32Array {
  const v = new Int32Array(fields.length);
  return (s) => {
    for (let i = 0; i < fields.length; i++) v[i] = s[fields[i]] as number;
    return v;
  };
}

/** Values of a max pool's output (= its switches and dout). */
export const pooledCount = (s: Pool2dShape): number => s.batch * s.channels * s.outHeight * s.outWidth;
