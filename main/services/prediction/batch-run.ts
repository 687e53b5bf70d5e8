/**
 * One prediction batch running in the background: files decoded and predicted by predictFileOutcomes, items
 * streamed as 'prediction:progress' events (at most every 100 ms, with the items answered since the previous one,
 * then a final flush) and one 'prediction:finished' with the counts and images/s.
 */
import path from 'node:path';
import type { PredictionBatchStatus, PredictionItem } from '../../../app/domain/prediction';
import type { EventName, EventPayload } from '../../../app/ipc/events';
import { AppFailure } from '../../../app/ipc/result';
import type { EventSink } from '../services';
import type { InferenceClient } from './inference-client';
import { predictFileOutcomes, type FileOutcome } from './predict-files';

/** Smallest interval between two progress events of one batch. */
const PROGRESS_INTERVAL_MS = 100;

/** A batch and what it has answered so far (kept by PredictionService for CSV and copying). */
export interface Batch {
  projectId: string;
  batchId: string;
  controller: AbortController;
  items: PredictionItem[];
  state: 'running' | PredictionBatchStatus;
  promise: Promise<void>;
}

/** Runs `batch` to its end (completed, cancelled through its controller, or failed); never throws. */
export async function runBatch(
  batch: Batch,
  model: () => Promise<InferenceClient>,
  paths: string[],
  topK: number,
  events: EventSink | undefined,
): Promise<void> {
  const { projectId, batchId } = batch;
  const signal = batch.controller.signal;
  const started = performance.now();
  let total = 0;
  let pending: PredictionItem[] = [];
  let lastEmit = 0;
  let timer: NodeJS.Timeout | null = null;
  const emitProgress = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    lastEmit = performance.now();
    const items = pending.sort((a, b) => a.index - b.index);
    pending = [];
    safeEmit(events, 'prediction:progress', { projectId, batchId, done: batch.items.length, total, items });
  };
  const onResult = (index: number, o: FileOutcome) => {
    const item = toItem(index, o);
    batch.items.push(item);
    pending.push(item);
    if (timer) return;
    const wait = PROGRESS_INTERVAL_MS - (performance.now() - lastEmit);
    if (wait <= 0) emitProgress();
    else timer = setTimeout(emitProgress, wait);
  };
  let status: PredictionBatchStatus = 'completed';
  let error: { code: string; detail: string } | undefined;
  try {
    const client = await model();
    await predictFileOutcomes(client, paths, {
      topK,
      signal,
      onTotal: (n) => {
        total = n;
        emitProgress(); // the total, as soon as the scan knows it
      },
      onResult,
    });
    if (signal.aborted) status = 'cancelled';
  } catch (e) {
    status = 'failed';
    const failure = e instanceof AppFailure ? e : null;
    const code = (failure?.details as { code?: string } | undefined)?.code ?? failure?.code ?? 'internal';
    error = { code, detail: e instanceof Error ? e.message : String(e) };
  }
  emitProgress();
  batch.state = status;
  const seconds = (performance.now() - started) / 1000;
  const predicted = batch.items.filter((i) => i.ok).length;
  safeEmit(events, 'prediction:finished', {
    projectId,
    batchId,
    status,
    total,
    predicted,
    failed: batch.items.length - predicted,
    imagesPerSecond: seconds > 0 ? Math.round((batch.items.length / seconds) * 10) / 10 : 0,
    ...(error ? { error } : {}),
  });
}

/** An event sink that fails (a closed window) never stops a batch. */
function safeEmit<E extends EventName>(
  events: EventSink | undefined,
  channel: E,
  payload: EventPayload<E>,
): void {
  try {
    events?.emit(channel, payload);
  } catch {
    // the page is gone; the batch still ends and keeps its items
  }
}

function toItem(index: number, o: FileOutcome): PredictionItem {
  const base = { index, file: o.file, name: path.basename(o.file) };
  return 'top' in o
    ? { ...base, ok: true, top: o.top }
    : { ...base, ok: false, code: o.code, detail: o.error };
}
