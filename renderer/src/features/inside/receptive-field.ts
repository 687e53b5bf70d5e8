/**
 * Receptive fields: which input pixels one position of a layer's output can see, from the layers' geometry
 * (window, stride, padding of each convolution and pooling layer, as `model:describe` reports it). Pure; unit-tested
 * in test/unit/renderer/inside-receptive-field.test.ts.
 */
import type { LayerType } from '../../../../app/domain/model-spec';
import type { LayerGeometry } from '../../../../app/domain/model-description';

/**
 * How output positions of a layer map to the input: output (y, x) sees input rows `start[0] + y·jump[0]` …
 * `+ size[0] − 1` (and columns likewise), before clipping to the image. `whole` = every input pixel (global
 * pooling, flatten, dense).
 */
export interface ReceptiveField {
  /** [vertical, horizontal] input pixels between neighbouring output positions. */
  jump: [number, number];
  /** [height, width] of the window in input pixels. */
  size: [number, number];
  /** [top, left] input coordinate of output (0, 0)'s window (negative: it starts in the zero padding). */
  start: [number, number];
  whole: boolean;
}

/** A layer as far as receptive fields go. */
export interface GeometryLayer {
  type: LayerType;
  geometry?: LayerGeometry;
}

const IDENTITY: ReceptiveField = { jump: [1, 1], size: [1, 1], start: [0, 0], whole: false };

/**
 * The receptive field after each layer (index i = after layer i). A sliding layer with window k, stride s and
 * padding p (top/left) grows the field by (k − 1)·jump, multiplies the jump by s and moves the start by −p·jump;
 * element-wise layers (activations, batch norm, dropout) keep it; global pooling, flatten and dense see everything.
 */
export function receptiveFields(layers: readonly GeometryLayer[]): ReceptiveField[] {
  const out: ReceptiveField[] = [];
  let rf = IDENTITY;
  for (const layer of layers) {
    if (rf.whole || layer.type === 'globalAvgPool' || layer.type === 'flatten' || layer.type === 'dense') {
      rf = { ...rf, whole: true };
    } else if (layer.geometry) {
      const { window, stride, padding } = layer.geometry;
      const pad: [number, number] = [padding.top, padding.left];
      const axis = (i: 0 | 1) => ({
        size: rf.size[i] + (window[i] - 1) * rf.jump[i],
        jump: rf.jump[i] * stride[i],
        start: rf.start[i] - pad[i] * rf.jump[i],
      });
      const v = axis(0);
      const h = axis(1);
      rf = { jump: [v.jump, h.jump], size: [v.size, h.size], start: [v.start, h.start], whole: false };
    }
    out.push(rf);
  }
  return out;
}

/** A rectangle of input pixels (clipped to the image), in input pixel coordinates. */
export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The input region output position (y, x) of a layer with field `rf` sees, clipped to a `height`×`width` input. */
export function regionOf(rf: ReceptiveField, y: number, x: number, height: number, width: number): Region {
  if (rf.whole) return { x: 0, y: 0, width, height };
  const top = rf.start[0] + y * rf.jump[0];
  const left = rf.start[1] + x * rf.jump[1];
  const y0 = Math.max(0, top);
  const x0 = Math.max(0, left);
  const y1 = Math.min(height, top + rf.size[0]);
  const x1 = Math.min(width, left + rf.size[1]);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
