/**
 * The machine the figures come from, and its multiply-add peak, so that figures from different machines compare:
 * the native addon's measurePeakGflops runs a register-only FMA loop on this thread at the instruction set the
 * kernels use. The peak of N workers (or N threads of a peer) is taken as N × that one-thread peak: each worker
 * runs on its own core, and the loop does not touch memory, so cores do not share it.
 */
import { cpus, loadavg } from 'node:os';
import { fastKernelsBackend } from '../../../native-workers/kernels/fast-kernels';
import { loadNativeAddon } from '../../../native-workers/kernels/native-kernels';
import { round } from './common';

export interface MachinePeak {
  cpu: string;
  cores: number;
  /** The instruction set of the native kernels (null without the addon). */
  isa: string | null;
  /** This thread's FMA peak in GFLOP/s (null when the addon or its measurePeakGflops is missing). */
  peakGflopsPerThread: number | null;
  kernels: string;
  loadavg: number[];
}

/** Measures the one-thread peak (best of a few 200 ms rounds) and describes the machine. */
export function measureMachine(): MachinePeak {
  const addon = loadNativeAddon();
  let peak: number | null = null;
  if (addon) {
    peak = 0;
    for (let i = 0; i < 3; i++) peak = Math.max(peak, addon.measurePeakGflops(200));
  }
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    isa: addon ? addon.useIsa() : null,
    peakGflopsPerThread: peak === null ? null : round(peak, 1),
    kernels: fastKernelsBackend(),
    loadavg: loadavg().map((v) => round(v, 2)),
  };
}

/** GFLOP/s as a percentage of `threads` × the one-thread peak (null without a peak). */
export function percentOfPeak(gflops: number, threads: number, m: MachinePeak): number | null {
  return m.peakGflopsPerThread ? round((100 * gflops) / (threads * m.peakGflopsPerThread), 1) : null;
}

/** One line about the machine for the printed output. */
export function describeMachine(m: MachinePeak): string {
  const peak = m.peakGflopsPerThread
    ? `${m.peakGflopsPerThread} GFLOP/s FMA peak per thread (× workers/threads for a row's %)`
    : 'peak unknown (no native addon with measurePeakGflops)';
  return `${m.cpu}, ${m.cores} cores, ISA ${m.isa ?? 'n/a'}, ${peak}; kernels ${m.kernels}; load ${m.loadavg.join(' ')}`;
}
