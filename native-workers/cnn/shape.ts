/**
 * Output sizes and padding of convolutions and pooling, computed once when a layer is built.
 */
import type { PaddingSpec, Size2d } from '../../app/domain/model-spec';

/** A [height, width] pair. */
export type Pair = [number, number];

/** Expands a size given as n or [h, w] to [h, w]. */
export function pair(s: Size2d): Pair {
  return typeof s === 'number' ? [s, s] : [s[0], s[1]];
}

/** Geometry of a convolution along one axis. */
export interface ConvAxis {
  /** Zeros before the input (top or left). */
  padBefore: number;
  /** Zeros after the input (bottom or right); may differ from padBefore for 'same'. */
  padAfter: number;
  out: number;
}

/**
 * Output size and padding of a convolution along one axis. 'same' gives out = ceil(in / stride) and splits the
 * needed padding with the odd zero after the input (TF / ONNX SAME_UPPER), so padBefore = floor(total / 2).
 */
export function convAxis(inSize: number, kernel: number, stride: number, padding: PaddingSpec): ConvAxis {
  if (padding === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + kernel - inSize, 0);
    const padBefore = Math.floor(total / 2);
    return { padBefore, padAfter: total - padBefore, out };
  }
  const pad = padding === 'valid' ? 0 : padding;
  return { padBefore: pad, padAfter: pad, out: Math.floor((inSize + 2 * pad - kernel) / stride) + 1 };
}

/** Output size of pooling along one axis (no padding; a window that would run past the edge is dropped). */
export function poolAxis(inSize: number, size: number, stride: number): number {
  return Math.floor((inSize - size) / stride) + 1;
}
