import { pointsInBox, pointsInPolygon } from './hit-test';
import { toMap, type ViewTransform } from './view-transform';

/** The tool chosen in the toolbar; plain drags do what it says. */
export type MapTool = 'pan' | 'lasso' | 'box';

/** What a drag does: the tool, unless Shift (box) or Alt (lasso) asks for a selection from any tool. */
export function dragMode(tool: MapTool, keys: { shiftKey: boolean; altKey: boolean }): MapTool {
  if (keys.shiftKey) return 'box';
  if (keys.altKey) return 'lasso';
  return tool;
}

/** Ctrl (or Cmd) adds to the selection instead of replacing it. */
export function isAdditive(keys: { ctrlKey: boolean; metaKey: boolean }): boolean {
  return keys.ctrlKey || keys.metaKey;
}

/** The four corners of the box from (x0, y0) to (x1, y1), as an outline. */
export function boxOutline(x0: number, y0: number, x1: number, y1: number): number[] {
  return [x0, y0, x1, y0, x1, y1, x0, y1];
}

/**
 * The points a finished lasso or box encloses. `outline` is in canvas pixels; it is mapped into map space, so the
 * test runs over every point whatever is on screen.
 */
export function enclosedPoints(
  mode: 'lasso' | 'box',
  outline: number[],
  view: ViewTransform,
  xs: Float32Array,
  ys: Float32Array,
): number[] {
  const mapped: number[] = [];
  for (let i = 0; i < outline.length; i += 2) mapped.push(...toMap(view, outline[i], outline[i + 1]));
  if (mode === 'box') return pointsInBox(xs, ys, mapped[0], mapped[1], mapped[4], mapped[5]);
  return pointsInPolygon(xs, ys, mapped);
}
