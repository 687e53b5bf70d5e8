import type { DatasetMap } from '../../../../../app/domain/dataset-map';

/**
 * How each point looks, decided once per map (not per frame): a filled dot in its label's colour, a grey dot when
 * unlabeled, a hollow ring in the suggested label's colour when unlabeled with a suggestion, plus a separate mark
 * for points whose label disagrees with their neighbours. Points are grouped by colour so the renderer sets each
 * colour once and draws its points in one path.
 */
export type PointLook =
  { kind: 'label'; color: string } | { kind: 'unlabeled' } | { kind: 'suggested'; color: string };

/** The look of one point; a label id without a known colour (a label just removed) counts as unlabeled. */
export function pointLook(
  labelId: number,
  suggestedLabelId: number,
  colors: ReadonlyMap<number, string>,
): PointLook {
  const label = labelId > 0 ? colors.get(labelId) : undefined;
  if (label) return { kind: 'label', color: label };
  const suggested = suggestedLabelId > 0 ? colors.get(suggestedLabelId) : undefined;
  if (suggested) return { kind: 'suggested', color: suggested };
  return { kind: 'unlabeled' };
}

/** Point indices by how they are drawn. */
export interface PointGroups {
  /** Filled dots per label colour. */
  filled: Map<string, Int32Array>;
  /** Hollow rings per suggested label colour. */
  rings: Map<string, Int32Array>;
  unlabeled: Int32Array;
  /** Labeled points that disagree with their neighbours. */
  mislabeled: Int32Array;
}

function toGroups(lists: Map<string, number[]>): Map<string, Int32Array> {
  return new Map([...lists].map(([color, list]) => [color, Int32Array.from(list)]));
}

/** Groups every point of `map` by its look. */
export function groupPoints(
  map: Pick<DatasetMap, 'labelIds' | 'suggestedLabelIds' | 'disagrees'>,
  colors: ReadonlyMap<number, string>,
): PointGroups {
  const filled = new Map<string, number[]>();
  const rings = new Map<string, number[]>();
  const unlabeled: number[] = [];
  const mislabeled: number[] = [];
  for (let i = 0; i < map.labelIds.length; i++) {
    const look = pointLook(map.labelIds[i], map.suggestedLabelIds[i], colors);
    if (look.kind === 'unlabeled') unlabeled.push(i);
    else {
      const target = look.kind === 'label' ? filled : rings;
      const list = target.get(look.color);
      if (list) list.push(i);
      else target.set(look.color, [i]);
    }
    if (look.kind === 'label' && map.disagrees[i] === 1) mislabeled.push(i);
  }
  return {
    filled: toGroups(filled),
    rings: toGroups(rings),
    unlabeled: Int32Array.from(unlabeled),
    mislabeled: Int32Array.from(mislabeled),
  };
}

/** Points per label id (0: unlabeled), for the legend. */
export function countByLabel(labelIds: ArrayLike<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < labelIds.length; i++) counts.set(labelIds[i], (counts.get(labelIds[i]) ?? 0) + 1);
  return counts;
}

/**
 * Dot radius in CSS pixels: small when many points crowd the map, growing gently as the user zooms in (by the
 * square root, so a 100× zoom does not give giant dots).
 */
export function dotRadius(count: number, zoom: number): number {
  const base = count > 20_000 ? 1.5 : count > 3_000 ? 2.2 : 3.2;
  return Math.min(base * 4, base * Math.sqrt(Math.max(1, zoom)));
}
