/**
 * The disagreement marks of a map, from the stored kNN and the CURRENT labels (so relabeling updates them): a
 * labeled point disagrees when its label is not a most frequent one among its labeled neighbours (neighbours that
 * are unlabeled or gone are skipped; a tie that includes its own label is agreement; no labeled neighbour: 0).
 */

/**
 * labels[i] is point i's label id (0: unlabeled), present[i] 0 for points to skip (removed images);
 * neighbours [count, k] row indices. Returns 1/0 per point.
 */
export function disagreements(
  labels: ArrayLike<number>,
  present: ArrayLike<number>,
  neighbours: ArrayLike<number>,
  k: number,
): Uint8Array {
  const count = labels.length;
  const out = new Uint8Array(count);
  const votes = new Map<number, number>();
  for (let p = 0; p < count; p++) {
    const own = labels[p];
    if (own === 0 || !present[p]) continue;
    votes.clear();
    let best = 0;
    for (let i = 0; i < k; i++) {
      const q = neighbours[p * k + i];
      const label = labels[q];
      if (label === 0 || !present[q]) continue;
      const v = (votes.get(label) ?? 0) + 1;
      votes.set(label, v);
      if (v > best) best = v;
    }
    if (best > 0 && (votes.get(own) ?? 0) < best) out[p] = 1;
  }
  return out;
}

/** Share of labeled points' labeled neighbours that carry the same label (the map's neighbour agreement). */
export function neighbourAgreement(
  labels: ArrayLike<number>,
  neighbours: ArrayLike<number>,
  k: number,
): { agreement: number; pairs: number } {
  let same = 0;
  let pairs = 0;
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] === 0) continue;
    for (let i = 0; i < k; i++) {
      const label = labels[neighbours[p * k + i]];
      if (label === 0) continue;
      pairs++;
      if (label === labels[p]) same++;
    }
  }
  return { agreement: pairs ? same / pairs : 0, pairs };
}
