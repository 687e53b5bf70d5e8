/** The offsets of the translation experiment: −k…k pixels along one axis (inspect:shift takes at most 41). */

/** The direction the image is moved in. */
export type ShiftAxis = 'horizontal' | 'vertical';

/** The largest k the channel accepts (2k + 1 ≤ 41). */
export const MAX_SHIFT = 20;

/** −k…k in steps of one pixel along `axis`; k is clamped to 0…MAX_SHIFT. */
export function shiftOffsets(k: number, axis: ShiftAxis = 'horizontal'): { dx: number; dy: number }[] {
  const n = Math.max(0, Math.min(MAX_SHIFT, Math.floor(k)));
  const out: { dx: number; dy: number }[] = [];
  for (let d = n === 0 ? 0 : -n; d <= n; d++)
    out.push(axis === 'horizontal' ? { dx: d, dy: 0 } : { dx: 0, dy: d });
  return out;
}

/** A shift k that suits an image of `size` pixels: about a sixth of it, at least 2, at most MAX_SHIFT. */
export function defaultShift(size: number): number {
  return Math.max(2, Math.min(MAX_SHIFT, Math.round(size / 6)));
}

/**
 * The contiguous range of shifts around 0 over which the top class stays `label` ([from, to], or null when even
 * the unshifted image is predicted otherwise). `points` are (shift, top label) pairs in any order.
 */
export function stableRange(
  points: readonly { shift: number; top: string | undefined }[],
  label: string,
): [number, number] | null {
  const byShift = new Map(points.map((p) => [p.shift, p.top]));
  if (byShift.get(0) !== label) return null;
  let from = 0;
  let to = 0;
  while (byShift.get(from - 1) === label) from--;
  while (byShift.get(to + 1) === label) to++;
  return [from, to];
}
