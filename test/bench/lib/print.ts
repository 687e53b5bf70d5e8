/** The benchmark's printed tables (the --json output carries the same figures). */
import type { LayerProfile } from './layer-profile';
import type { BenchRow } from './rows';

const cell = (v: number | null | undefined, width: number): string =>
  (v === null || v === undefined ? '–' : String(v)).padStart(width);

/** One line per row: images/s, GFLOP/s and % of peak, training then inference at batch B (and batch 1). */
export function printRows(rows: BenchRow[], batch: number, log: (line: string) => void): void {
  log(
    `${'library'.padEnd(34)} ${'train img/s'.padStart(11)} ${'GFLOP/s'.padStart(8)} ${'%peak'.padStart(6)}` +
      `  ${`infer img/s@${batch}`.padStart(14)} ${'GFLOP/s'.padStart(8)} ${'%peak'.padStart(6)}  ${'infer img/s@1'.padStart(13)}`,
  );
  for (const r of rows) {
    log(
      `${r.library.padEnd(34)} ${cell(r.trainImagesPerSecond, 11)} ${cell(r.trainGflops, 8)} ${cell(r.trainPercentOfPeak, 6)}` +
        `  ${cell(r.inferImagesPerSecond, 14)} ${cell(r.inferGflops, 8)} ${cell(r.inferPercentOfPeak, 6)}  ${cell(r.inferBatch1ImagesPerSecond, 13)}`,
    );
  }
}

/** The per-layer profile as a table. */
export function printLayerProfile(p: LayerProfile, log: (line: string) => void): void {
  log(
    `per-layer profile, batch ${p.batch}, ${p.kernels}, ${p.clock}: training step ${p.stepMs} ms ` +
      `(layers ${Math.round((p.stepMs - p.otherMs) * 100) / 100} ms + loss/zeroing/glue ${p.otherMs} ms), inference ${p.inferenceMs} ms`,
  );
  log(
    `${'#'.padStart(2)} ${'layer'.padEnd(40)} ${'fwd ms'.padStart(8)} ${'bwd ms'.padStart(8)} ${'fwd MFLOP'.padStart(10)} ` +
      `${'bwd MFLOP'.padStart(10)} ${'fwd GF/s'.padStart(8)} ${'bwd GF/s'.padStart(8)} ${'share'.padStart(6)} ${'infer ms'.padStart(9)}`,
  );
  for (const l of p.layers) {
    log(
      `${String(l.index).padStart(2)} ${l.label.slice(0, 40).padEnd(40)} ${cell(l.forwardMs, 8)} ${cell(l.backwardMs, 8)} ` +
        `${cell(l.forwardMflop, 10)} ${cell(l.backwardMflop, 10)} ${cell(l.forwardGflops, 8)} ${cell(l.backwardGflops, 8)} ` +
        `${`${(l.shareOfStep * 100).toFixed(1)}%`.padStart(6)} ${cell(l.inferenceMs, 9)}`,
    );
  }
}
