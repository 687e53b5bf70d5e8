import { useEffect, useMemo, useRef, type MouseEvent } from 'react';
import type { TileAtlas } from '../../../../app/domain/inspect';
import { atlasPixels, base64ToBytes, tileAt, tilePixels, tileRect } from './atlas';

/**
 * A TileAtlas (or one tile of it) drawn on a canvas at its own pixel size and scaled up by CSS with crisp pixels.
 * `onTile` gets the tile under a click; `onHover` the tile pixel (row, column) under the pointer.
 */
export function AtlasCanvas({
  atlas,
  tile,
  scale,
  className,
  label,
  onTile,
  onHover,
  testId,
}: {
  atlas: TileAtlas;
  /** Draw only this tile (enlarged maps); the whole atlas otherwise. */
  tile?: number;
  /** CSS pixels per atlas pixel. */
  scale: number;
  className?: string;
  label?: string;
  onTile?(k: number): void;
  onHover?(at: { y: number; x: number } | null): void;
  testId?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const bytes = useMemo(() => base64ToBytes(atlas.data), [atlas.data]);
  const size =
    tile === undefined
      ? { width: atlas.width, height: atlas.height }
      : { width: atlas.tileWidth, height: atlas.tileHeight };
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context || size.width <= 0 || size.height <= 0) return;
    canvas.width = size.width;
    canvas.height = size.height;
    const pixels = tile === undefined ? atlasPixels(atlas, bytes) : tilePixels(atlas, tile, bytes);
    context.putImageData(new ImageData(pixels, size.width, size.height), 0, 0);
    canvas.dataset.drawn = 'true';
  }, [atlas, bytes, tile, size.width, size.height]);

  /** The atlas pixel under the pointer. */
  const pointAt = (event: MouseEvent<HTMLCanvasElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return {
      x: Math.floor(((event.clientX - box.left) / box.width) * size.width),
      y: Math.floor(((event.clientY - box.top) / box.height) * size.height),
    };
  };
  const click = (event: MouseEvent<HTMLCanvasElement>) => {
    if (!onTile) return;
    const { x, y } = pointAt(event);
    const k = tile ?? tileAt(atlas, x, y);
    if (k !== null) onTile(k);
  };
  const move = (event: MouseEvent<HTMLCanvasElement>) => {
    if (!onHover) return;
    const { x, y } = pointAt(event);
    if (tile !== undefined) return onHover({ y, x });
    const k = tileAt(atlas, x, y);
    if (k === null) return onHover(null);
    const r = tileRect(atlas, k);
    onHover({ y: y - r.y, x: x - r.x });
  };
  return (
    <canvas
      ref={ref}
      className={`inside-canvas${className ? ` ${className}` : ''}`}
      style={{ width: size.width * scale, height: size.height * scale }}
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      data-testid={testId}
      onClick={onTile ? click : undefined}
      tabIndex={onTile ? 0 : undefined}
      onKeyDown={
        onTile
          ? (event) => {
              if (event.key !== 'Enter' && event.key !== ' ') return;
              event.preventDefault();
              onTile(tile ?? 0);
            }
          : undefined
      }
      onMouseMove={onHover ? move : undefined}
      onMouseLeave={onHover ? () => onHover(null) : undefined}
    />
  );
}
