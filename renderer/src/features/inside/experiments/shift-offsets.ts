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
