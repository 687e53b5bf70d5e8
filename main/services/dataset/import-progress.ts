import type { ImportProgress, ImportSummary } from '../../../app/domain/dataset';

/** What a progress event is computed from, read at the moment it is sent. */
export interface ImportCounters {
  projectId: string;
  importId: string;
  /** Date.now() when the import started. */
  started: number;
  /** Files handled so far and found by the scan. */
  done: number;
  total: number;
  summary: ImportSummary;
}

/**
 * A progress reporter that sends at most one event per `intervalMs` (the page redraws on each; a fast import
 * handles thousands of files a second), unless forced (phase changes and the end). Without a listener: no-op.
 */
export function throttledProgress(
  onProgress: ((progress: ImportProgress) => void) | undefined,
  intervalMs: number,
  counters: () => ImportCounters,
): (phase: ImportProgress['phase'], force?: boolean) => void {
  let lastSent = 0;
  return (phase, force = false) => {
    if (!onProgress) return;
    const now = Date.now();
    if (!force && now - lastSent < intervalMs) return;
    lastSent = now;
    const { projectId, importId, started, done, total, summary } = counters();
    const secs = (now - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    onProgress({
      projectId,
      importId,
      phase,
      done,
      total,
      imported: summary.imported,
      duplicates: summary.duplicates,
      conflicts: summary.conflicts,
      failed: summary.failed.length,
      skipped: summary.skipped.length,
      rate: Math.round(rate * 10) / 10,
      etaSeconds: phase === 'importing' && rate > 0 ? Math.round((total - done) / rate) : null,
    });
  };
}
