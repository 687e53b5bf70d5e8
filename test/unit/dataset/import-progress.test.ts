import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportProgress } from '../../../app/domain/dataset';
import { throttledProgress, type ImportCounters } from '../../../main/services/dataset/import-progress';
import { emptyImportSummary } from '../../../main/services/dataset/importer';

describe('throttledProgress', () => {
  const T0 = 1_700_000_000_000;
  let counters: ImportCounters;
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    counters = {
      projectId: 'p',
      importId: 'i',
      started: T0,
      done: 0,
      total: 1000,
      summary: emptyImportSummary('i', 'p', 'completed'),
    };
  });
  afterEach(() => vi.useRealTimers());

  it('sends at most one event per interval (N per second), however often it is called', () => {
    const at: number[] = [];
    const report = throttledProgress(
      () => at.push(Date.now()),
      100,
      () => counters,
    );
    // 3 seconds of one call per millisecond: at most 10 events in each second.
    for (let ms = 0; ms < 3000; ms++) {
      vi.setSystemTime(T0 + 100 + ms);
      counters.done = Math.floor(ms / 3);
      report('importing');
    }
    expect(at).toHaveLength(30);
    for (let s = 0; s < 3; s++) {
      const from = T0 + 100 + s * 1000;
      expect(at.filter((t) => t >= from && t < from + 1000)).toHaveLength(10);
    }
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(100);
  });

  it('a forced event (phase change, the end) is always sent: the final flush has the final counts', () => {
    const sent: ImportProgress[] = [];
    const report = throttledProgress(
      (p) => sent.push(p),
      1000,
      () => counters,
    );
    vi.setSystemTime(T0 + 2000);
    report('importing');
    counters.done = 1000;
    counters.summary.imported = 990;
    counters.summary.failed.push({ path: '/a', reason: 'x', code: 'corrupt' });
    report('importing'); // throttled: within 1000 ms of the last
    expect(sent).toHaveLength(1);
    report('finishing', true);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({
      projectId: 'p',
      importId: 'i',
      phase: 'finishing',
      done: 1000,
      total: 1000,
      imported: 990,
      failed: 1,
      skipped: 0,
      rate: 500,
      etaSeconds: null,
    });
  });

  it('reports the rate and an ETA while importing', () => {
    const sent: ImportProgress[] = [];
    const report = throttledProgress(
      (p) => sent.push(p),
      100,
      () => counters,
    );
    vi.setSystemTime(T0 + 4000);
    counters.done = 200;
    report('importing');
    expect(sent[0]).toMatchObject({ rate: 50, etaSeconds: 16 });
  });

  it('without a listener is a no-op that never reads the counters', () => {
    const read = vi.fn(() => counters);
    const report = throttledProgress(undefined, 100, read);
    report('importing', true);
    expect(read).not.toHaveBeenCalled();
  });
});
