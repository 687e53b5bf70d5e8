/**
 * Max pooling, step by step, on one feature map: for each output cell its window and the position it kept (the
 * first maximum in row-major order, as native-workers/cnn/ops/max-pool2d.ts breaks ties). Pure; unit-tested.
 */
import { outputSize } from './window-geometry';

/** One output cell of the pooling walk. */
export interface PoolStep {
  row: number;
  col: number;
  top: number;
  left: number;
  /** The kept position in the input map. */
  maxY: number;
  maxX: number;
  value: number;
}

/**
 * Walks a window×window pool with the given stride over a h×w map (row-major values). The page gives it a uint8
 * tile, scaled monotonically from the real values, so the kept positions are the real ones unless two values round
 * to the same byte.
 */
export function poolingWalk(
  values: ArrayLike<number>,
  h: number,
  w: number,
  window: [number, number],
  stride: [number, number],
): PoolStep[] {
  const outH = outputSize(h, 0, 0, window[0], stride[0]);
  const outW = outputSize(w, 0, 0, window[1], stride[1]);
  const steps: PoolStep[] = [];
  for (let row = 0; row < outH; row++) {
    for (let col = 0; col < outW; col++) {
      const top = row * stride[0];
      const left = col * stride[1];
      let maxY = top;
      let maxX = left;
      let value = -Infinity;
      for (let y = top; y < top + window[0]; y++) {
        for (let x = left; x < left + window[1]; x++) {
          const v = values[y * w + x];
          if (v > value) {
            value = v;
            maxY = y;
            maxX = x;
          }
        }
      }
      steps.push({ row, col, top, left, maxY, maxX, value });
    }
  }
  return steps;
}
