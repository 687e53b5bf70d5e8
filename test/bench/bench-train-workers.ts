/**
 * Where a data-parallel training step's wall time goes on a small network:
 * `node out/bench/bench-train-workers.js [--preset reference|medium] [--workers 2] [--windows 12] [--steps 100]`.
 * Windows alternate between awaiting each step before publishing the next (as the training loop did) and keeping
 * one step queued behind the running one (DataParallelTrainer's pipelining). Per window: img/s, cores busy (process CPU / wall), and per step the slowest worker's forward/backward, its
 * reduce + Adam, and the rest (waking the workers and the coordinator, and the barriers' waits).
 */
import { cpuUsage } from 'node:process';
import { type PresetName, presetSpec } from '../../native-workers/cnn/presets';
import { DataParallelTrainer, type StepResult } from '../../native-workers/parallel/data-parallel-trainer';
import { REFERENCE_CNN, argValue, median } from './lib/common';

const preset = argValue('preset', 'reference');
const workers = argValue('workers', 2);
const windows = argValue('windows', 12);
const steps = argValue('steps', 100);
const batch = argValue('batch', preset === 'reference' ? 64 : 32);
const spec =
  preset === 'reference'
    ? REFERENCE_CNN
    : presetSpec(preset as PresetName, { height: 96, width: 96, channels: 3 }, 10);

async function main(): Promise<void> {
  const t = await DataParallelTrainer.create({ spec, seed: 1, maxBatch: batch, workers });
  try {
    const x = t.inputBuffer().subarray(0, batch * t.inputSize);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37) * 0.5 + 0.5;
    const labels = Array.from({ length: batch }, (_, i) => i % 10);
    for (let i = 0; i < 20; i++) await t.trainStep(x, labels, batch);
    // odd windows await every step before publishing the next; even ones keep one step queued behind the running one
    const rates: number[][] = [[], []];
    for (let w = 0; w < windows; w++) {
      const queued = w % 2 === 1 ? 1 : 0;
      const compute: number[] = [];
      const reduce: number[] = [];
      const c0 = cpuUsage();
      const t0 = performance.now();
      let inFlight: Promise<StepResult> | null = null;
      const record = (r: StepResult) => {
        compute.push(r.computeMs);
        reduce.push(r.reduceMs);
      };
      for (let i = 0; i < steps; i++) {
        const next = t.trainStep(x, labels, batch);
        if (inFlight) record(await inFlight);
        inFlight = next;
        if (!queued) {
          record(await inFlight);
          inFlight = null;
        }
      }
      if (inFlight) record(await inFlight);
      const ms = performance.now() - t0;
      const cpu = cpuUsage(c0);
      const rate = (steps * batch * 1000) / ms;
      rates[queued].push(rate);
      const perStep = ms / steps;
      const [mc, mr] = [median(compute), median(reduce)];
      console.log(
        `window ${w + 1} (${queued ? 'one step queued' : 'each step awaited'}): ${rate.toFixed(0)} img/s, ` +
          `${((cpu.user + cpu.system) / 1000 / ms).toFixed(2)} cores busy; per step ${perStep.toFixed(3)} ms = ` +
          `compute ${mc.toFixed(3)} + reduce ${mr.toFixed(3)} + rest ${(perStep - mc - mr).toFixed(3)}`,
      );
    }
    const [awaited, queuedRate] = rates.map((r) => median(r));
    console.log(
      `median ${awaited.toFixed(0)} img/s with each step awaited, ${queuedRate.toFixed(0)} with one queued ` +
        `(${(queuedRate / awaited).toFixed(3)}×; ${preset}, ${workers} workers, batch ${batch})`,
    );
  } finally {
    await t.close();
  }
}

void main();
