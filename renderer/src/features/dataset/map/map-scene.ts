import type { DatasetMap } from '../../../../../app/domain/dataset-map';
import { groupPoints, type PointGroups } from './point-style';
import { SpatialGrid } from './spatial-grid';
import { boundsOf, type MapBounds } from './view-transform';

/** A map made ready to draw and hit-test: typed coordinates, looks, a hover index and id ↔ point lookups. */
export interface MapScene {
  map: DatasetMap;
  xs: Float32Array;
  ys: Float32Array;
  groups: PointGroups;
  /** Where the points are, for fitting the view to them. */
  bounds: MapBounds;
  grid: SpatialGrid;
  /** Point index of each image id. */
  indexOfId: Map<number, number>;
}

export function buildScene(map: DatasetMap, colors: ReadonlyMap<number, string>): MapScene {
  const xs = Float32Array.from(map.x);
  const ys = Float32Array.from(map.y);
  const indexOfId = new Map<number, number>();
  map.imageIds.forEach((id, i) => indexOfId.set(id, i));
  return {
    map,
    xs,
    ys,
    groups: groupPoints(map, colors),
    bounds: boundsOf(xs, ys),
    grid: new SpatialGrid(xs, ys),
    indexOfId,
  };
}

/** The point indices of the selected image ids that are on the map. */
export function selectedIndices(scene: MapScene, selection: ReadonlySet<number>): Int32Array {
  const found: number[] = [];
  for (const id of selection) {
    const index = scene.indexOfId.get(id);
    if (index !== undefined) found.push(index);
  }
  return Int32Array.from(found);
}
