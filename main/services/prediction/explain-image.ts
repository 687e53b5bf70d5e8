/**
 * One image explained (`prediction:explain`): its top classes, a preview and the Grad-CAM map of one class.
 *
 *   1. the file is checked (a regular file, at most MAX_FILE_BYTES) and read;
 *   2. the network input is made exactly as for prediction and training (decode.ts preprocessImage, with the
 *      model's input size and colour), and sent to the model's inference worker (`explain`: an unfused eval-mode
 *      forward and one backward pass, native-workers/cnn/explain/grad-cam.ts);
 *   3. meanwhile the preview is made from the same bytes: EXIF orientation applied, transparency on white,
 *      centre-cropped to a square like the network input (so the map, which covers the network's square, lies on
 *      it as is), at most 256 px, WebP, as a data: URL. It is decoded alongside the network input (two libvips
 *      pipelines: with a free core it adds nothing to the latency; on a saturated 2-core machine it slowed the input
 *      down about as much as decoding it after the input would have cost, test/integration/prediction/
 *      explain-latency.test.ts).
 *
 * millis.decode is the time until the network input is ready (read + decode); millis.network is the worker's time.
 * Failures are AppFailures: an unknown `label` is 'invalid-payload'; a file that cannot be read or decoded carries
 * `details: { code: PredictionFailureCode, detail }` ('not-found' as the error code when the file is missing).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageExplanation, PredictionFailureCode } from '../../../app/domain/prediction';
import { AppFailure, type ErrorCode } from '../../../app/ipc/result';
import {
  DecodeError,
  MAX_FILE_BYTES,
  MAX_INPUT_PIXELS,
  preprocessImage,
  probeImage,
  type ProbedImage,
} from '../dataset/decode';
import { fsReason } from '../dataset/scan';
import type { InferenceClient } from './inference-client';
import { topClasses } from './predict-files';

export interface ExplainOptions {
  /** Explain this class (default: the top one). */
  label?: string;
  topK: number;
}

/** Longest side of the preview. */
export const EXPLAIN_THUMB_SIZE = 256;

/** One image's top classes, preview and Grad-CAM overlay. */
export async function explainImage(
  client: InferenceClient,
  file: string,
  options: ExplainOptions,
): Promise<ImageExplanation> {
  const labels = client.meta.labels;
  let classIndex: number | undefined;
  if (options.label !== undefined) {
    classIndex = labels.indexOf(options.label);
    if (classIndex < 0)
      throw new AppFailure('invalid-payload', `The model has no class "${options.label}".`, {
        code: 'unknown-class',
        label: options.label,
        labels,
      });
  }
  const abs = path.resolve(file);
  const started = performance.now();
  const bytes = await readImageFile(abs);
  const probed = await decoding(abs, () => probeImage(bytes));
  const { inputSize, color } = client.meta.preprocessing;
  const thumbnail = makeThumbnail(bytes, probed);
  thumbnail.catch(() => undefined); // awaited below; not an unhandled rejection if decoding fails first
  const tensor = await decoding(abs, () => preprocessImage(bytes, inputSize, color, probed));
  const decodeMillis = performance.now() - started;
  let answer;
  try {
    answer = await client.explain(tensor, classIndex);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new AppFailure('internal', detail, { code: 'inference-failed', detail });
  }
  return {
    file: abs,
    top: topClasses(answer.probabilities, labels, options.topK),
    thumbnail: await decoding(abs, () => thumbnail),
    width: probed.width,
    height: probed.height,
    heatmap: {
      width: answer.heatmap.width,
      height: answer.heatmap.height,
      // 4 decimals are plenty for an 8-bit overlay, and keep the IPC payload short
      values: Array.from(answer.heatmap.values, (v) => Math.round(v * 1e4) / 1e4),
      label: labels[answer.classIndex],
      layerIndex: answer.heatmap.layerIndex,
    },
    millis: { decode: decodeMillis, network: answer.millis },
  };
}

/** A failure about the image file itself. */
function fileFailure(code: PredictionFailureCode, detail: string, file?: string): AppFailure {
  const errorCode: ErrorCode = code === 'not-found' ? 'not-found' : 'invalid-payload';
  return new AppFailure(errorCode, file ? `${file}: ${detail}` : detail, { code, detail });
}

async function readImageFile(file: string): Promise<Buffer> {
  try {
    const stat = await fs.stat(file);
    if (stat.isDirectory()) throw fileFailure('unreadable', 'is a folder, not an image file', file);
    if (!stat.isFile()) throw fileFailure('unreadable', 'not a regular file', file);
    if (stat.size > MAX_FILE_BYTES)
      throw fileFailure('too-large', `file too large (${stat.size} bytes, limit ${MAX_FILE_BYTES})`, file);
    return await fs.readFile(file);
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    const code = (error as NodeJS.ErrnoException)?.code === 'ENOENT' ? 'not-found' : 'unreadable';
    throw fileFailure(code, fsReason(error), file);
  }
}

/** Runs a decoding step, turning its errors into file failures with a PredictionFailureCode. */
async function decoding<T>(file: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const detail =
      error instanceof DecodeError
        ? error.message
        : `cannot decode the image (${error instanceof Error ? error.message : String(error)})`;
    throw fileFailure(decodeFailureCode(detail), detail, file);
  }
}

/** The failure code of a decode.ts reason. */
function decodeFailureCode(reason: string): PredictionFailureCode {
  if (/too large/i.test(reason)) return 'too-large';
  if (/not an image|unsupported image format|empty file/i.test(reason)) return 'not-an-image';
  return 'decode-failed';
}

/** The preview (see the module comment), as a data: URL. */
async function makeThumbnail(bytes: Buffer, probed: ProbedImage): Promise<string> {
  const side = Math.max(1, Math.min(EXPLAIN_THUMB_SIZE, probed.width, probed.height));
  try {
    const webp = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated', pages: 1 })
      .rotate()
      .flatten({ background: '#ffffff' })
      .resize(side, side, { fit: 'cover', position: 'centre' })
      .webp({ quality: 80, effort: 1 })
      .toBuffer();
    return `data:image/webp;base64,${webp.toString('base64')}`;
  } catch (error) {
    throw new DecodeError(`cannot make a preview: ${error instanceof Error ? error.message : String(error)}`);
  }
}
