/**
 * Predicts image files and folders with one loaded model: folders are walked recursively (scan.ts), each image is
 * read and preprocessed exactly as import does (decode.ts preprocessImage: sharp/libvips on its own threads, several
 * at once) while the worker infers earlier batches. A file that cannot be read or decoded gets a reason and a
 * PredictionFailureCode; it never stops the others.
 *
 * The pipeline streams: `concurrency` decoders pull files in scan order, decoded tensors fill the next batch of
 * `batchSize`, and a full batch goes to the worker while decoding continues (at most two batches in flight).
 * Every answer has its final position (`index`, the order of `paths`, a folder's files in path order) from the
 * moment the scan ends, so callers can stream answers in any completion order. An aborted `signal` stops
 * decoding new files; the answers given so far are returned.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PredictionFailureCode } from '../../../app/domain/prediction';
import { DecodeError, MAX_FILE_BYTES, preprocessImage } from '../dataset/decode';
import { fsReason, scanPaths } from '../dataset/scan';
import type { InferenceClient } from './inference-client';

export interface LabelProbability {
  label: string;
  probability: number;
}

/** One image file's answer (the CLI's JSON shape): its best classes, or why it could not be predicted. */
export type FilePrediction = { file: string; top: LabelProbability[] } | { file: string; error: string };

/** One image file's answer with the failure's code (the Predict view's shape before it gets its index). */
export type FileOutcome =
  { file: string; top: LabelProbability[] } | { file: string; error: string; code: PredictionFailureCode };

export interface PredictFilesOptions {
  /** Classes per file, best first (default 5; at most the model's classes). */
  topK?: number;
  /** Files decoded at once (default 8). */
  concurrency?: number;
  /** Images per request to the worker (default 32). */
  batchSize?: number;
  /** Stops decoding new files; the answers so far are returned (in order). */
  signal?: AbortSignal;
  /** Called once the scan is done, with the number of answers to come. */
  onTotal?(total: number): void;
  /** Called with each answer as it comes, and its final position (0 … total-1). */
  onResult?(index: number, outcome: FileOutcome): void;
  /** Called after each answer with the answers so far and the total. */
  onProgress?(done: number, total: number): void;
}

/** The `k` most probable classes of one row, best first (ties: lower class index first). */
export function topClasses(row: ArrayLike<number>, labels: string[], k: number): LabelProbability[] {
  const order = Array.from({ length: row.length }, (_, i) => i).sort((a, b) => row[b] - row[a] || a - b);
  return order
    .slice(0, Math.max(0, Math.min(k, row.length)))
    .map((i) => ({ label: labels[i], probability: row[i] }));
}

/** The code of a file-system error (scan or read). */
export function fsFailureCode(error: unknown): PredictionFailureCode {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : 'unreadable';
}

/** The code of a scan issue, from its reason (scan.ts words them). */
function scanFailureCode(reason: string): PredictionFailureCode {
  if (/no such file/i.test(reason)) return 'not-found';
  if (/not an image/i.test(reason)) return 'not-an-image';
  return 'unreadable';
}

/** The code of a decode.ts DecodeError, from its reason. */
export function decodeFailureCode(reason: string): PredictionFailureCode {
  if (/too large|megapixels/i.test(reason)) return 'too-large';
  if (/not an image|unsupported image format/i.test(reason)) return 'not-an-image';
  if (/empty file/i.test(reason)) return 'unreadable';
  return 'decode-failed';
}

/** Whether `bytes` start like an image format we read (then a decode error means a damaged image, not another kind of file). */
export function looksLikeImage(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 16));
  const ascii = (from: number, to: number) => b.subarray(from, to).toString('latin1');
  return (
    (b[0] === 0x89 && ascii(1, 4) === 'PNG') ||
    (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) ||
    ascii(0, 4) === 'GIF8' ||
    (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') ||
    ascii(0, 4) === 'II*\0' ||
    ascii(0, 4) === 'MM\0*' ||
    ascii(4, 8) === 'ftyp' ||
    ascii(0, 2) === 'BM'
  );
}

/** The CLI's shape of an outcome (no code: its JSON is a contract). */
export function toFilePrediction(o: FileOutcome): FilePrediction {
  return 'top' in o ? { file: o.file, top: o.top } : { file: o.file, error: o.error };
}

/** Predictions for `paths` (files and folders), one entry per image file, in the order of `paths`. */
export async function predictFiles(
  client: InferenceClient,
  paths: string[],
  options: PredictFilesOptions = {},
): Promise<FilePrediction[]> {
  return (await predictFileOutcomes(client, paths, options)).map(toFilePrediction);
}

/** Like predictFiles, with failure codes; after an abort, only the answers given (in order). */
export async function predictFileOutcomes(
  client: InferenceClient,
  paths: string[],
  options: PredictFilesOptions = {},
): Promise<FileOutcome[]> {
  const topK = options.topK ?? 5;
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const batchSize = Math.max(1, options.batchSize ?? 32);
  const signal = options.signal;
  const scan = await scanPaths(paths);
  const { inputSize, color } = client.meta.preprocessing;
  const size = client.imageSize;
  const labels = client.meta.labels;

  // Final order: by the input path each entry came from (a folder's files in path order), then scan order;
  // explicitly named files that are not images, and paths that do not exist, are answered with their reason.
  const named = new Set(paths.map((p) => path.resolve(p)));
  const roots = paths.map((p) => path.resolve(p));
  const rank = (file: string) => {
    const i = roots.findIndex((r) => file === r || file.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
    return i < 0 ? roots.length : i;
  };
  type Entry = { file: string; size: number } | { file: string; issue: string };
  // A path is answered once (a named file may also lie in a named folder).
  const seen = new Set(scan.files.map((f) => f.path));
  const once = (file: string) => !seen.has(file) && Boolean(seen.add(file));
  const entries: Entry[] = [
    ...scan.files.map((f) => ({ file: f.path, size: f.size })),
    ...scan.failed.filter((f) => once(f.path)).map((f) => ({ file: f.path, issue: f.reason })),
    ...scan.skipped
      .filter((s) => named.has(s.path) && once(s.path))
      .map((s) => ({ file: s.path, issue: s.reason })),
  ]
    .map((e, order) => ({ e, r: rank(e.file), order }))
    .sort((a, b) => a.r - b.r || a.order - b.order)
    .map(({ e }) => e);
  const total = entries.length;
  options.onTotal?.(total);

  const out: (FileOutcome | undefined)[] = new Array(total);
  let done = 0;
  const answer = (index: number, outcome: FileOutcome) => {
    out[index] = outcome;
    done++;
    options.onResult?.(index, outcome);
    options.onProgress?.(done, total);
  };

  const work: number[] = [];
  entries.forEach((e, i) => {
    if ('issue' in e) answer(i, { file: e.file, error: e.issue, code: scanFailureCode(e.issue) });
    else work.push(i);
  });

  // Decoded tensors waiting for a batch, and batches in the worker.
  let batch: { index: number; tensor: Uint8Array }[] = [];
  const inflight = new Set<Promise<void>>();
  const infer = (items: { index: number; tensor: Uint8Array }[]): Promise<void> => {
    const pixels = new Uint8Array(items.length * size);
    items.forEach((it, k) => pixels.set(it.tensor, k * size));
    const K = client.classes;
    const p = client.predict(pixels, items.length).then(
      (probabilities) =>
        items.forEach((it, k) =>
          answer(it.index, {
            file: entries[it.index].file,
            top: topClasses(probabilities.subarray(k * K, (k + 1) * K), labels, topK),
          }),
        ),
      (error: unknown) =>
        items.forEach((it) =>
          answer(it.index, {
            file: entries[it.index].file,
            error: (error as Error)?.message ?? String(error),
            code: 'inference-failed',
          }),
        ),
    );
    const tracked = p.finally(() => inflight.delete(tracked));
    inflight.add(tracked);
    return tracked;
  };

  let next = 0;
  const decoder = async (): Promise<void> => {
    while (next < work.length && !signal?.aborted) {
      const index = work[next++];
      const entry = entries[index] as { file: string; size: number };
      let tensor: Uint8Array;
      let bytes: Buffer | null = null;
      try {
        if (entry.size > MAX_FILE_BYTES) {
          answer(index, {
            file: entry.file,
            error: `file too large (${entry.size} bytes)`,
            code: 'too-large',
          });
          continue;
        }
        try {
          bytes = await fs.readFile(entry.file);
        } catch (error) {
          answer(index, { file: entry.file, error: fsReason(error), code: fsFailureCode(error) });
          continue;
        }
        tensor = await preprocessImage(bytes, inputSize, color);
      } catch (error) {
        const reason =
          error instanceof DecodeError
            ? error.message
            : `cannot decode the image (${(error as Error)?.message ?? String(error)})`;
        let code = error instanceof DecodeError ? decodeFailureCode(reason) : 'decode-failed';
        if (code === 'not-an-image' && bytes && looksLikeImage(bytes)) code = 'decode-failed';
        answer(index, { file: entry.file, error: reason, code });
        continue;
      }
      batch.push({ index, tensor });
      if (batch.length >= batchSize) {
        const full = batch;
        batch = [];
        void infer(full);
        // Back-pressure: decoding runs ahead of the network by at most two batches.
        while (inflight.size >= 2) await Promise.race(inflight);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, work.length) }, decoder));
  if (batch.length > 0) void infer(batch);
  batch = [];
  while (inflight.size > 0) await Promise.race(inflight);
  return out.filter((o): o is FileOutcome => o !== undefined);
}
