/**
 * Predicts image files and folders with one loaded model: folders are walked recursively (scan.ts), each image is
 * read and preprocessed exactly as import does (decode.ts preprocessImage: sharp/libvips on its own threads, several
 * at once) while the worker infers the previous batch. A file that cannot be read or decoded gets an `error`;
 * it never stops the others.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { DecodeError, MAX_FILE_BYTES, preprocessImage } from '../dataset/decode';
import { fsReason, scanPaths } from '../dataset/scan';
import type { InferenceClient } from './inference-client';

export interface LabelProbability {
  label: string;
  probability: number;
}

/** One image file's answer: its best classes, or why it could not be predicted. */
export type FilePrediction = { file: string; top: LabelProbability[] } | { file: string; error: string };

export interface PredictFilesOptions {
  /** Classes per file, best first (default 5; at most the model's classes). */
  topK?: number;
  /** Files decoded at once (default 8). */
  concurrency?: number;
  /** Images per request to the worker (default 32). */
  batchSize?: number;
  /** Called after each batch with the files done so far. */
  onProgress?(done: number, total: number): void;
}

/** The `k` most probable classes of one row, best first (ties: lower class index first). */
export function topClasses(row: ArrayLike<number>, labels: string[], k: number): LabelProbability[] {
  const order = Array.from({ length: row.length }, (_, i) => i).sort((a, b) => row[b] - row[a] || a - b);
  return order
    .slice(0, Math.max(0, Math.min(k, row.length)))
    .map((i) => ({ label: labels[i], probability: row[i] }));
}

/** Predictions for `paths` (files and folders), one entry per image file, in the order of `paths`. */
export async function predictFiles(
  client: InferenceClient,
  paths: string[],
  options: PredictFilesOptions = {},
): Promise<FilePrediction[]> {
  const topK = options.topK ?? 5;
  const concurrency = options.concurrency ?? 8;
  const batchSize = options.batchSize ?? 32;
  const scan = await scanPaths(paths);
  const { inputSize, color } = client.meta.preprocessing;
  const size = client.imageSize;
  const labels = client.meta.labels;

  // Explicitly named files that are not images, and paths that do not exist, are answered with their reason.
  const named = new Set(paths.map((p) => path.resolve(p)));
  const results: FilePrediction[] = [];
  for (const f of scan.failed) results.push({ file: f.path, error: f.reason });
  for (const s of scan.skipped) if (named.has(s.path)) results.push({ file: s.path, error: s.reason });

  const files = scan.files;
  const out: FilePrediction[] = new Array(files.length);
  const inflight: Promise<void>[] = [];
  let done = 0;
  for (let from = 0; from < files.length; from += batchSize) {
    const chunk = files.slice(from, from + batchSize);
    const tensors: (Uint8Array | null)[] = new Array(chunk.length).fill(null);
    let next = 0;
    const decodeNext = async (): Promise<void> => {
      while (next < chunk.length) {
        const i = next++;
        const file = chunk[i];
        try {
          if (file.size > MAX_FILE_BYTES) throw new DecodeError(`file too large (${file.size} bytes)`);
          tensors[i] = await preprocessImage(await fs.readFile(file.path), inputSize, color);
        } catch (error) {
          const reason =
            error instanceof DecodeError
              ? error.message
              : (error as NodeJS.ErrnoException)?.code
                ? fsReason(error)
                : `cannot decode the image (${(error as Error)?.message ?? String(error)})`;
          out[from + i] = { file: file.path, error: reason };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, chunk.length) }, decodeNext));
    const ok = tensors.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
    if (ok.length === 0) {
      done += chunk.length;
      options.onProgress?.(done, files.length);
      continue;
    }
    const pixels = new Uint8Array(ok.length * size);
    ok.forEach((i, k) => pixels.set(tensors[i] as Uint8Array, k * size));
    // Inference of this batch overlaps the decoding of the next one.
    inflight.push(
      client.predict(pixels, ok.length).then(
        (probabilities) => {
          const K = client.classes;
          ok.forEach((i, k) => {
            const row = probabilities.subarray(k * K, (k + 1) * K);
            out[from + i] = { file: chunk[i].path, top: topClasses(row, labels, topK) };
          });
          done += chunk.length;
          options.onProgress?.(done, files.length);
        },
        (error: unknown) => {
          ok.forEach((i) => (out[from + i] = { file: chunk[i].path, error: (error as Error).message }));
          done += chunk.length;
          options.onProgress?.(done, files.length);
        },
      ),
    );
  }
  await Promise.all(inflight);
  // In the order of `paths` (a folder's files in path order), unreadable inputs in their place.
  const roots = paths.map((p) => path.resolve(p));
  const rank = (file: string) => {
    const i = roots.findIndex((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
    return i < 0 ? roots.length : i;
  };
  return [...out, ...results]
    .map((p) => ({ p, r: rank(p.file) }))
    .sort((a, b) => a.r - b.r)
    .map(({ p }) => p);
}
