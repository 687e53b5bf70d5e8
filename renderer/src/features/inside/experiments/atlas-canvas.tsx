import type { TileAtlas } from '../../../../../app/domain/inspect';
import { AtlasCanvas } from '../atlas-canvas';

/** The view's AtlasCanvas sized by its longer side in CSS pixels (the experiments lay tiles out by size). */
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
  const width = tile === undefined ? atlas.width : atlas.tileWidth;
  const height = tile === undefined ? atlas.height : atlas.tileHeight;
  return (
    <AtlasCanvas
      atlas={atlas}
      tile={tile}
      scale={size / Math.max(width, height, 1)}
      className="xp-atlas"
      label={label}
      testId={testId}
    />
  );
}
