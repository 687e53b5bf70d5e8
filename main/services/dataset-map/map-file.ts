/**
 * A computed map on disk: `<runDir>/map-<method>.bin`, written atomically (temp file + rename). Layout: the magic
 * "CNNMAP1\n", a uint32 (little-endian) header length, the header as UTF-8 JSON padded with spaces to a multiple of
 * 4 bytes, then int32 ids[count], float32 x[count], float32 y[count] and int32 neighbours[count·k] (row indices,
 * nearest first). Binary because 60,000 points with 10 neighbours each are 3 MB this way and ~8 MB as JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DatasetMapMethod } from '../../../app/domain/dataset-map';
import { writeFileAtomic } from '../prediction/batch-output';

const MAGIC = 'CNNMAP1\n';

export interface MapHeader {
  runId: string;
  method: DatasetMapMethod;
  seed: number;
  /** Embedding width. */
  dims: number;
  /** PCA width kNN and UMAP ran in. */
  reducedDims: number;
  k: number;
  count: number;
  computedAt: string;
  /** The model file the embeddings came from (size and mtime): another file means another map. */
  model: { size: number; mtimeMs: number };
  timings: { embedding: number; pca: number; knn: number; umap: number };
}

export interface StoredMap {
  header: MapHeader;
  ids: Int32Array;
  x: Float32Array;
  y: Float32Array;
  /** [count, k] row indices. */
  neighbours: Int32Array;
}

export const mapFilePath = (runDir: string, method: DatasetMapMethod): string =>
  path.join(runDir, `map-${method}.bin`);

export function writeMapFile(file: string, map: StoredMap): void {
  const { header, ids, x, y, neighbours } = map;
  const { count, k } = header;
  if (ids.length !== count || x.length !== count || y.length !== count || neighbours.length !== count * k)
    throw new Error('map arrays do not match the header');
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (4 - ((MAGIC.length + 4 + json.length) % 4)) % 4;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(json.length);
  const bytes = (a: Int32Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  writeFileAtomic(
    file,
    Buffer.concat([Buffer.from(MAGIC), size, json, bytes(ids), bytes(x), bytes(y), bytes(neighbours)]),
  );
}

/** The stored map, or null when there is none or it cannot be read (then it is simply recomputed). */
export function readMapFile(file: string): StoredMap | null {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return null;
  }
  try {
    if (buf.subarray(0, MAGIC.length).toString('latin1') !== MAGIC) return null;
    const length = buf.readUInt32LE(MAGIC.length);
    let at = MAGIC.length + 4;
    const header = JSON.parse(buf.subarray(at, at + length).toString('utf8')) as MapHeader;
    at += length;
    const { count, k } = header;
    if (buf.length !== at + 4 * (3 * count + count * k)) return null;
    // copy into aligned buffers (a Buffer from the pool may start at any offset)
    const take = <T extends Int32Array | Float32Array>(Kind: new (n: number) => T, n: number): T => {
      const out = new Kind(n);
      new Uint8Array(out.buffer).set(buf.subarray(at, at + 4 * n));
      at += 4 * n;
      return out;
    };
    return {
      header,
      ids: take(Int32Array, count),
      x: take(Float32Array, count),
      y: take(Float32Array, count),
      neighbours: take(Int32Array, count * k),
    };
  } catch {
    return null;
  }
}
