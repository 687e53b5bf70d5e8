import { discStamp, parseColor, ringStamp, stampPoints, type PixelFrame, type Stamp } from './pixel-stamp';
import type { PointGroups } from './point-style';
import type { ViewTransform } from './view-transform';

/** What a frame draws: the points (map space), how they look, and the view. */
export interface MapFrame {
  xs: Float32Array;
  ys: Float32Array;
  groups: PointGroups;
  view: ViewTransform;
  /** Canvas size in CSS pixels and the device pixel ratio of its backing store. */
  width: number;
  height: number;
  dpr: number;
  radius: number;
  showMislabeled: boolean;
  /** Indices of selected points. */
  selected: Int32Array;
  hovered: number;
  /** The lasso or box being drawn, in CSS pixels ([x0, y0, x1, y1, …]); empty when none. */
  outline: number[];
  colors: MapColors;
}

/** Theme colours, read from CSS variables so light and dark restyle the canvas. */
export interface MapColors {
  unlabeled: string;
  mislabeled: string;
  selected: string;
  halo: string;
  outline: string;
  outlineFill: string;
}

/** The pixel buffer of each canvas, reused while its size stays the same. */
const buffers = new WeakMap<CanvasRenderingContext2D, ImageData>();

function bufferFor(ctx: CanvasRenderingContext2D): ImageData {
  const { width, height } = ctx.canvas;
  let image = buffers.get(ctx);
  if (!image || image.width !== width || image.height !== height) {
    image = ctx.createImageData(width, height);
    buffers.set(ctx, image);
  } else image.data.fill(0);
  return image;
}

/**
 * Draws one frame of the map: unlabeled, suggestions, labels, then the marks and selection on top, stamped into
 * the canvas's pixels at device resolution (see pixel-stamp.ts); the lasso or box outline is a vector path on top.
 */
export function drawMap(ctx: CanvasRenderingContext2D, frame: MapFrame): void {
  const { groups, colors, dpr, xs, ys } = frame;
  const image = bufferFor(ctx);
  const pixels: PixelFrame = { data: image.data, width: image.width, height: image.height };
  const scale = frame.view.scale * dpr;
  const tx = frame.view.tx * dpr;
  const ty = frame.view.ty * dpr;
  const r = frame.radius * dpr;
  const stamp = (indices: ArrayLike<number>, shape: Stamp, color: string) =>
    stampPoints(pixels, xs, ys, indices, scale, tx, ty, shape, parseColor(color));

  stamp(groups.unlabeled, discStamp(r * 0.8), colors.unlabeled);
  const ring = ringStamp(Math.max(r, 2 * dpr), 1.25 * dpr);
  for (const [color, indices] of groups.rings) stamp(indices, ring, color);
  const disc = discStamp(r);
  for (const [color, indices] of groups.filled) stamp(indices, disc, color);
  if (frame.showMislabeled) {
    stamp(groups.mislabeled, ringStamp(r + 2.5 * dpr, 1.5 * dpr), colors.mislabeled);
  }
  if (frame.selected.length > 0) {
    // One thin ring per selected point (no halo): a selection can hold all 60,000 points.
    stamp(frame.selected, ringStamp(r + 2 * dpr, 1.5 * dpr), colors.selected);
  }
  if (frame.hovered >= 0) {
    stamp([frame.hovered], ringStamp(r + 5 * dpr, 3.5 * dpr), colors.halo);
    stamp([frame.hovered], ringStamp(r + 4.5 * dpr, 2 * dpr), colors.selected);
  }
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawOutline(ctx, frame.outline, colors);
}

function drawOutline(ctx: CanvasRenderingContext2D, outline: number[], colors: MapColors) {
  if (outline.length < 4) return;
  ctx.beginPath();
  ctx.moveTo(outline[0], outline[1]);
  for (let i = 2; i < outline.length; i += 2) ctx.lineTo(outline[i], outline[i + 1]);
  ctx.closePath();
  ctx.fillStyle = colors.outlineFill;
  ctx.fill();
  ctx.setLineDash([5, 4]);
  ctx.strokeStyle = colors.outline;
  ctx.lineWidth = 1.5;
  ctx.stroke();
  ctx.setLineDash([]);
}

/** The theme's map colours from the CSS variables on `element` (see dataset-map.css). */
export function readMapColors(element: Element): MapColors {
  const css = getComputedStyle(element);
  const read = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    unlabeled: read('--map-unlabeled', '#9aa0ab'),
    mislabeled: read('--map-mislabeled', '#e0283a'),
    selected: read('--map-selected', '#3559e0'),
    halo: read('--map-halo', '#ffffff'),
    outline: read('--map-outline', '#3559e0'),
    outlineFill: read('--map-outline-fill', 'rgb(53 89 224 / 12%)'),
  };
}
