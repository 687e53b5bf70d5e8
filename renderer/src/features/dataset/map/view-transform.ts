/**
 * The map's view: map space ([0, 1] on both axes, as the backend scales it) to CSS pixels of the canvas,
 * `screen = map × scale + offset`. Pure functions, so zooming and panning are unit-tested without a canvas.
 */
export interface ViewTransform {
  scale: number;
  tx: number;
  ty: number;
}

/** Room (CSS pixels) left around the map when it is fitted to the canvas. */
export const FIT_PADDING = 24;

/** The view that shows the whole unit square centred in a `width` × `height` canvas with `padding` around it. */
export function fitView(width: number, height: number, padding = FIT_PADDING): ViewTransform {
  const side = Math.max(1, Math.min(width, height) - 2 * padding);
  return { scale: side, tx: (width - side) / 2, ty: (height - side) / 2 };
}

/** The smallest box around the points, in map space. */
export interface MapBounds {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function boundsOf(xs: ArrayLike<number>, ys: ArrayLike<number>): MapBounds {
  if (xs.length === 0) return { minX: 0, minY: 0, maxX: 1, maxY: 1 };
  const bounds = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (let i = 0; i < xs.length; i++) {
    bounds.minX = Math.min(bounds.minX, xs[i]);
    bounds.maxX = Math.max(bounds.maxX, xs[i]);
    bounds.minY = Math.min(bounds.minY, ys[i]);
    bounds.maxY = Math.max(bounds.maxY, ys[i]);
  }
  return bounds;
}

/**
 * The view that shows `bounds` as large as the canvas allows, centred, aspect kept: the map's points fill a wide
 * canvas instead of the unit square in its middle. A degenerate (single-point) box is treated as 1 unit wide.
 */
export function fitBounds(
  width: number,
  height: number,
  bounds: MapBounds,
  padding = FIT_PADDING,
): ViewTransform {
  const spanX = bounds.maxX - bounds.minX || 1;
  const spanY = bounds.maxY - bounds.minY || 1;
  const scale = Math.max(1e-6, Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY));
  return {
    scale,
    tx: width / 2 - ((bounds.minX + bounds.maxX) / 2) * scale,
    ty: height / 2 - ((bounds.minY + bounds.maxY) / 2) * scale,
  };
}

/**
 * Zooms by `factor` keeping the map point under (`px`, `py`) (CSS pixels) where it is, as a wheel zoom around the
 * cursor should; the scale stays within [`minScale`, `maxScale`].
 */
export function zoomAbout(
  view: ViewTransform,
  factor: number,
  px: number,
  py: number,
  minScale: number,
  maxScale: number,
): ViewTransform {
  const scale = Math.min(maxScale, Math.max(minScale, view.scale * factor));
  const applied = scale / view.scale;
  return { scale, tx: px - (px - view.tx) * applied, ty: py - (py - view.ty) * applied };
}

/** Moves the view by (`dx`, `dy`) CSS pixels (a drag). */
export function panBy(view: ViewTransform, dx: number, dy: number): ViewTransform {
  return { scale: view.scale, tx: view.tx + dx, ty: view.ty + dy };
}

/** The map point under a canvas pixel. */
export function toMap(view: ViewTransform, sx: number, sy: number): [number, number] {
  return [(sx - view.tx) / view.scale, (sy - view.ty) / view.scale];
}

/** The canvas pixel of a map point. */
export function toScreen(view: ViewTransform, mx: number, my: number): [number, number] {
  return [mx * view.scale + view.tx, my * view.scale + view.ty];
}

/** Zoom limits relative to the fitted view: from half of it (room around the map) to 200× (single points). */
export function zoomLimits(fitted: ViewTransform): { minScale: number; maxScale: number } {
  return { minScale: fitted.scale * 0.5, maxScale: fitted.scale * 200 };
}
