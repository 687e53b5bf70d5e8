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

const TAU = Math.PI * 2;

/**
 * Adds the visible points of `indices` to the current path: squares when dots are tiny (much cheaper than arcs and
 * indistinguishable at that size), circles otherwise. Points outside the canvas are skipped.
 */
function tracePoints(ctx: CanvasRenderingContext2D, frame: MapFrame, indices: Int32Array, radius: number) {
  const { xs, ys, view, width, height } = frame;
  const { scale, tx, ty } = view;
  const square = radius < 2;
  const side = radius * 2;
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    const sx = xs[i] * scale + tx;
    const sy = ys[i] * scale + ty;
    if (sx < -radius || sy < -radius || sx > width + radius || sy > height + radius) continue;
    if (square) ctx.rect(sx - radius, sy - radius, side, side);
    else {
      ctx.moveTo(sx + radius, sy);
      ctx.arc(sx, sy, radius, 0, TAU);
    }
  }
}

function strokeRings(
  ctx: CanvasRenderingContext2D,
  frame: MapFrame,
  indices: Int32Array,
  radius: number,
  color: string,
  lineWidth: number,
) {
  if (indices.length === 0) return;
  ctx.strokeStyle = color;
  ctx.lineWidth = lineWidth;
  ctx.beginPath();
  tracePoints(ctx, frame, indices, radius);
  ctx.stroke();
}

/** Draws one frame of the map: unlabeled, suggestions, labels, then the marks and selection on top. */
export function drawMap(ctx: CanvasRenderingContext2D, frame: MapFrame): void {
  const { groups, radius, colors, dpr } = frame;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, frame.width, frame.height);

  ctx.fillStyle = colors.unlabeled;
  ctx.beginPath();
  tracePoints(ctx, frame, groups.unlabeled, radius * 0.8);
  ctx.fill();
  for (const [color, indices] of groups.rings) {
    strokeRings(ctx, frame, indices, Math.max(radius, 2), color, 1.25);
  }
  for (const [color, indices] of groups.filled) {
    ctx.fillStyle = color;
    ctx.beginPath();
    tracePoints(ctx, frame, indices, radius);
    ctx.fill();
  }
  if (frame.showMislabeled) {
    strokeRings(ctx, frame, groups.mislabeled, radius + 2, colors.mislabeled, 1.5);
  }
  if (frame.selected.length > 0) {
    strokeRings(ctx, frame, frame.selected, radius + 1.5, colors.halo, 3.5);
    strokeRings(ctx, frame, frame.selected, radius + 1.5, colors.selected, 1.75);
  }
  if (frame.hovered >= 0) {
    strokeRings(ctx, frame, Int32Array.of(frame.hovered), radius + 3, colors.selected, 2);
  }
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
