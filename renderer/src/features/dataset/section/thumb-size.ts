import { useState } from 'react';

/** Thumbnail sizes of the grid: small suits 28-px images (many per screen), large suits photos. */
export const THUMB_SIZES = ['small', 'medium', 'large'] as const;
export type ThumbSize = (typeof THUMB_SIZES)[number];

/** The narrowest a cell gets at each size, in CSS pixels (the grid fills the row with cells about this wide). */
export const CELL_MIN: Record<ThumbSize, number> = { small: 72, medium: 128, large: 192 };

/** Small thumbnails for small images (28-px images gain nothing from 120-px cells), medium otherwise. */
export function defaultThumbSize(inputSize: number): ThumbSize {
  return inputSize <= 32 ? 'small' : 'medium';
}

export function thumbSizeKey(projectId: string): string {
  return `cnn-studio:thumb-size:${projectId}`;
}

/** The stored choice, or the default when there is none (or it is not a size we know). */
export function readThumbSize(
  storage: Pick<Storage, 'getItem'> | undefined,
  projectId: string,
  fallback: ThumbSize,
): ThumbSize {
  const stored = storage?.getItem(thumbSizeKey(projectId));
  return (THUMB_SIZES as readonly string[]).includes(stored ?? '') ? (stored as ThumbSize) : fallback;
}

function localStore(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled: the choice lasts the session only
  }
}

/** The grid's thumbnail size, remembered per project in localStorage; until chosen, from the project's image size. */
export function useThumbSize(projectId: string, inputSize: number): [ThumbSize, (size: ThumbSize) => void] {
  const fallback = defaultThumbSize(inputSize);
  const [state, setState] = useState(() => ({
    projectId,
    size: readThumbSize(localStore(), projectId, fallback),
  }));
  // Another project opened in the same section instance: read its choice.
  const size = state.projectId === projectId ? state.size : readThumbSize(localStore(), projectId, fallback);
  const set = (next: ThumbSize) => {
    setState({ projectId, size: next });
    try {
      localStore()?.setItem(thumbSizeKey(projectId), next);
    } catch {
      // quota or disabled storage: keep the choice for this session
    }
  };
  return [size, set];
}
