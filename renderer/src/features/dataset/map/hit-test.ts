/**
 * Which points a lasso or a box encloses, in map space over every point (not only the visible ones). A polygon is
 * a flat list [x0, y0, x1, y1, …], closed implicitly. A bounding-box check skips most points before the exact test,
 * so a small lasso over 60,000 points costs about one pass over the arrays.
 */

/** Even-odd rule: is (x, y) inside `polygon`? Points exactly on an edge may fall either way. */
export function pointInPolygon(x: number, y: number, polygon: ArrayLike<number>): boolean {
  const n = polygon.length >> 1;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = polygon[2 * i];
    const yi = polygon[2 * i + 1];
    const xj = polygon[2 * j];
    const yj = polygon[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices of the points inside `polygon` (fewer than 3 vertices encloses nothing). */
export function pointsInPolygon(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  polygon: ArrayLike<number>,
): number[] {
  if (polygon.length < 6) return [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < polygon.length; i += 2) {
    minX = Math.min(minX, polygon[i]);
    maxX = Math.max(maxX, polygon[i]);
    minY = Math.min(minY, polygon[i + 1]);
    maxY = Math.max(maxY, polygon[i + 1]);
  }
  const found: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (pointInPolygon(x, y, polygon)) found.push(i);
  }
  return found;
}

/** Indices of the points inside the box with corners (x0, y0) and (x1, y1), in any order; edges included. */
export function pointsInBox(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): number[] {
  const left = Math.min(x0, x1);
  const right = Math.max(x0, x1);
  const top = Math.min(y0, y1);
  const bottom = Math.max(y0, y1);
  const found: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (xs[i] >= left && xs[i] <= right && ys[i] >= top && ys[i] <= bottom) found.push(i);
  }
  return found;
}
