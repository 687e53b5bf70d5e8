/**
 * The arithmetic of a sliding window (convolution or pooling): output size from input, padding, window and stride,
 * and where the window sits for each output cell. Pure; unit-tested in test/unit/renderer/inside-experiments.
 */
import type { LayerGeometry } from '../../../../../app/domain/model-description';

/** out = ⌊(in + padBefore + padAfter − window) / stride⌋ + 1 (0 when the window does not fit at all). */
export function outputSize(
  input: number,
  padBefore: number,
  padAfter: number,
  window: number,
  stride: number,
): number {
  const span = input + padBefore + padAfter - window;
  if (span < 0 || stride < 1) return 0;
  return Math.floor(span / stride) + 1;
}

/** The numbers of one axis, for the formula shown beside the illustration. */
export interface AxisArithmetic {
  input: number;
  padBefore: number;
  padAfter: number;
  window: number;
  stride: number;
  output: number;
}

/** Both axes of a layer's geometry on an input of inH×inW. */
export function windowArithmetic(
  geometry: LayerGeometry,
  inH: number,
  inW: number,
): { rows: AxisArithmetic; cols: AxisArithmetic } {
  const { window, stride, padding } = geometry;
  const axis = (input: number, before: number, after: number, k: number, s: number): AxisArithmetic => ({
    input,
    padBefore: before,
    padAfter: after,
    window: k,
    stride: s,
    output: outputSize(input, before, after, k, s),
  });
  return {
    rows: axis(inH, padding.top, padding.bottom, window[0], stride[0]),
    cols: axis(inW, padding.left, padding.right, window[1], stride[1]),
  };
}

/** Where the window of output cell (row, col) sits, in input coordinates (negative: in the top/left padding). */
export interface WindowPosition {
  row: number;
  col: number;
  top: number;
  left: number;
}

/** The window of the step-th output cell, row-major (step wraps around the output). */
export function windowAt(step: number, rows: AxisArithmetic, cols: AxisArithmetic): WindowPosition {
  const cells = rows.output * cols.output;
  const i = cells > 0 ? ((step % cells) + cells) % cells : 0;
  const row = Math.floor(i / Math.max(cols.output, 1));
  const col = i % Math.max(cols.output, 1);
  return { row, col, top: row * rows.stride - rows.padBefore, left: col * cols.stride - cols.padBefore };
}

/** Every window position, row-major: what "Play" walks through. */
export function windowPositions(rows: AxisArithmetic, cols: AxisArithmetic): WindowPosition[] {
  const out: WindowPosition[] = [];
  for (let i = 0; i < rows.output * cols.output; i++) out.push(windowAt(i, rows, cols));
  return out;
}

/** How many input cells of the window fall on zero padding (outside the image). */
export function paddedCells(p: WindowPosition, rows: AxisArithmetic, cols: AxisArithmetic): number {
  let n = 0;
  for (let y = p.top; y < p.top + rows.window; y++)
    for (let x = p.left; x < p.left + cols.window; x++)
      if (y < 0 || x < 0 || y >= rows.input || x >= cols.input) n++;
  return n;
}
