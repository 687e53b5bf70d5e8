/**
 * The map's disagreement marks (main/services/dataset-map/disagreement.ts), its answer (current labels, removed
 * points dropped, missing) and its cache file (round trip, corrupt files read as none).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { disagreements, neighbourAgreement } from '../../../main/services/dataset-map/disagreement';
import { mapAnswer } from '../../../main/services/dataset-map/map-answer';
import { readMapFile, writeMapFile, type StoredMap } from '../../../main/services/dataset-map/map-file';
import { makeTempDir } from '../../support/temp-dir';

// 6 points, k = 3: rows are each point's neighbours
const neighbours = [
  [1, 2, 3], // 0
  [0, 2, 3], // 1
  [0, 1, 4], // 2
  [0, 1, 2], // 3
  [5, 2, 3], // 4
  [4, 3, 2], // 5
].flat();

describe('disagreements', () => {
  it('marks a labeled point whose label is not the majority of its labeled neighbours', () => {
    const labels = [1, 1, 1, 2, 0, 3];
    const present = [1, 1, 1, 1, 1, 1];
    expect(Array.from(disagreements(labels, present, neighbours, 3))).toEqual([
      0, // neighbours 1, 1, 2: majority 1
      0,
      0, // 1, 1, unlabeled
      1, // 3 is labeled 2 among 1, 1, 1
      0, // unlabeled: never marked
      1, // neighbours: unlabeled, 2, 1 → a tie of 2 and 1 without its own 3
    ]);
  });

  it('treats a tie that includes its own label as agreement, and no labeled neighbour as no mark', () => {
    // point 5: neighbours 4 (unlabeled), 3 (label 3), 2 (label 1): 3 ties with 1 → agreement
    expect(disagreements([1, 1, 1, 3, 0, 3], [1, 1, 1, 1, 1, 1], neighbours, 3)[5]).toBe(0);
    // point 4: neighbours 5, 2, 3 all unlabeled
    expect(disagreements([1, 1, 0, 0, 2, 0], [1, 1, 1, 1, 1, 1], neighbours, 3)[4]).toBe(0);
  });

  it('skips neighbours that are gone (removed images)', () => {
    const labels = [1, 1, 1, 2, 0, 3];
    // without points 0 and 1, point 3's only labeled neighbour is 2 (label 1): still marked
    expect(disagreements(labels, [0, 0, 1, 1, 1, 1], neighbours, 3)[3]).toBe(1);
    // without points 0, 1 and 2 it has none: not marked; a removed point is never marked
    const d = disagreements(labels, [0, 0, 0, 1, 1, 1], neighbours, 3);
    expect(d[3]).toBe(0);
    expect(disagreements(labels, [1, 1, 1, 0, 1, 1], neighbours, 3)[3]).toBe(0);
  });

  it('neighbour agreement counts labeled pairs', () => {
    expect(neighbourAgreement([1, 1, 1, 2, 0, 3], neighbours, 3)).toEqual({ agreement: 6 / 13, pairs: 13 });
  });
});

function storedMap(): StoredMap {
  return {
    header: {
      runId: '00000000-0000-4000-8000-000000000000',
      method: 'umap',
      seed: 1,
      dims: 128,
      reducedDims: 50,
      k: 3,
      count: 6,
      computedAt: '2026-01-01T00:00:00.000Z',
      model: { size: 10, mtimeMs: 1.5 },
      timings: { embedding: 1, pca: 2, knn: 3, umap: 4 },
    },
    ids: Int32Array.from([10, 11, 12, 13, 14, 15]),
    x: Float32Array.from([0, 0.2, 0.4, 0.6, 0.8, 1]),
    y: Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.25]),
    neighbours: Int32Array.from(neighbours),
  };
}

describe('map answer', () => {
  it('joins current labels and suggestions, drops removed points and counts missing images', () => {
    const stored = storedMap();
    // image 14 removed (absent), 16 and 17 imported later; 15 unlabeled with a suggestion; 13 relabeled to 2
    const labelOf = new Map([
      [10, 1],
      [11, 1],
      [12, 1],
      [13, 2],
      [15, 0],
      [16, 1],
      [17, 0],
    ]);
    const suggestedOf = new Map([
      [15, 3],
      [10, 2], // labeled: its suggestion is not shown
    ]);
    const map = mapAnswer('p', stored, { labelOf, suggestedOf });
    expect(map.imageIds).toEqual([10, 11, 12, 13, 15]);
    expect(map.count).toBe(5);
    expect(map.missing).toBe(2);
    expect(map.labelIds).toEqual([1, 1, 1, 2, 0]);
    expect(map.suggestedLabelIds).toEqual([0, 0, 0, 0, 3]);
    expect(map.disagrees).toEqual([0, 0, 0, 1, 0]);
    expect(map.x).toEqual([0, 0.2, 0.4, 0.6, 1].map((v) => Math.fround(v)));
    expect(map).toMatchObject({ projectId: 'p', method: 'umap', seed: 1, dims: 128, k: 3 });
  });
});

describe('map file', () => {
  it('round-trips, and reads a truncated or foreign file as none', () => {
    const temp = makeTempDir('cnn-map-file-');
    try {
      const file = path.join(temp.dir, 'map-umap.bin');
      const map = storedMap();
      writeMapFile(file, map);
      const back = readMapFile(file)!;
      expect(back.header).toEqual(map.header);
      expect(back.ids).toEqual(map.ids);
      expect(back.x).toEqual(map.x);
      expect(back.y).toEqual(map.y);
      expect(back.neighbours).toEqual(map.neighbours);
      expect(fs.readdirSync(temp.dir)).toEqual(['map-umap.bin']); // no temp file left behind
      fs.writeFileSync(file, fs.readFileSync(file).subarray(0, 60));
      expect(readMapFile(file)).toBeNull();
      fs.writeFileSync(file, 'not a map');
      expect(readMapFile(file)).toBeNull();
      expect(readMapFile(path.join(temp.dir, 'none.bin'))).toBeNull();
    } finally {
      temp.cleanup();
    }
  });
});
