import { useEffect, useMemo, useRef } from 'react';
import type { TileAtlas } from '../../../../../app/domain/inspect';
import { atlasTile, decodeAtlas, toRgba } from './atlas-pixels';

/**
 * A TileAtlas, or one tile of it, on a canvas scaled up with crisp pixels. For the lead: a duplicate of HB's
 * renderer/src/features/inside/atlas-canvas.tsx, written before that one was committed; merge the two.
 */
export function XpAtlasCanvas({
  atlas,
  tile,
  size,
  label,
  testId,
}: {
  atlas: TileAtlas;
  tile?: number;
  /** CSS pixels of the longer side. */
  size: number;
  label: string;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const bytes = useMemo(() => decodeAtlas(atlas), [atlas]);
  const width = tile === undefined ? atlas.width : atlas.tileWidth;
  const height = tile === undefined ? atlas.height : atlas.tileHeight;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || width <= 0 || height <= 0) return;
    canvas.width = width;
    canvas.height = height;
    const source = tile === undefined ? bytes : atlasTile(atlas, bytes, tile);
    ctx.putImageData(new ImageData(toRgba(source, atlas.channels), width, height), 0, 0);
    canvas.dataset.drawn = 'true';
  }, [atlas, bytes, tile, width, height]);
  const scale = size / Math.max(width, height, 1);
  return (
    <canvas
      ref={ref}
      className="xp-atlas"
      style={{ width: Math.round(width * scale), height: Math.round(height * scale) }}
      role="img"
      aria-label={label}
      data-testid={testId}
    />
  );
}
