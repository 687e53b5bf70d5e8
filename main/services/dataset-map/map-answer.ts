/**
 * A stored map plus the project's current state → the DatasetMap the page gets: points of removed images dropped,
 * current labels and suggestions (suggestions only for unlabeled points), disagreement marks from the stored kNN,
 * and `missing` (non-removed images the map lacks).
 */
import type { DatasetMap } from '../../../app/domain/dataset-map';
import { disagreements } from './disagreement';
import type { StoredMap } from './map-file';

export function mapAnswer(
  projectId: string,
  stored: StoredMap,
  current: { labelOf: Map<number, number>; suggestedOf: Map<number, number> },
): DatasetMap {
  const { header, ids, x, y, neighbours } = stored;
  const count = ids.length;
  const labels = new Int32Array(count);
  const present = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = current.labelOf.get(ids[i]);
    if (label === undefined) continue;
    present[i] = 1;
    labels[i] = label;
  }
  const disagrees = disagreements(labels, present, neighbours, header.k);
  const map: DatasetMap = {
    projectId,
    runId: header.runId,
    method: header.method,
    seed: header.seed,
    computedAt: header.computedAt,
    dims: header.dims,
    count: 0,
    imageIds: [],
    x: [],
    y: [],
    labelIds: [],
    suggestedLabelIds: [],
    disagrees: [],
    k: header.k,
    missing: 0,
  };
  for (let i = 0; i < count; i++) {
    if (!present[i]) continue;
    map.imageIds.push(ids[i]);
    map.x.push(x[i]);
    map.y.push(y[i]);
    map.labelIds.push(labels[i]);
    map.suggestedLabelIds.push(labels[i] === 0 ? (current.suggestedOf.get(ids[i]) ?? 0) : 0);
    map.disagrees.push(disagrees[i]);
  }
  map.count = map.imageIds.length;
  map.missing = current.labelOf.size - map.count;
  return map;
}
