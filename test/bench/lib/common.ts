/** Shared benchmark helpers: the reference CNN, FLOP counts, statistics, machine info. */
import { cpus, loadavg } from 'node:os';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { countFlops } from './flops';

/** 28×28×1 → conv3×3/16 same → ReLU → maxpool2 → conv3×3/32 same → ReLU → maxpool2 → dense128 → ReLU → dense10. */
export const REFERENCE_CNN: ModelSpec = {
  input: { height: 28, width: 28, channels: 1 },
  layers: [
    { type: 'conv2d', filters: 16, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'conv2d', filters: 32, kernelSize: 3, padding: 'same' },
    { type: 'relu' },
    { type: 'maxPool2d', size: 2 },
    { type: 'flatten' },
    { type: 'dense', units: 128 },
    { type: 'relu' },
    { type: 'dense', units: 10 },
  ],
  numClasses: 10,
};

export const REFERENCE_PARAMS = 206_922;
/** Forward MACs per image: conv1 112,896 + conv2 903,168 + dense1 200,704 + dense2 1,280. */
export const FWD_MACS = 28 * 28 * 16 * 9 + 14 * 14 * 32 * 144 + 1568 * 128 + 128 * 10;
/** 2.436 MFLOP per image (lib/flops.ts counts the same from the planned layers). */
export const FWD_FLOPS = 2 * FWD_MACS;
/** A training step per image by lib/flops.ts's convention: forward + backward without conv1's dx (7.082 MFLOP). */
export const TRAIN_FLOPS = countFlops(REFERENCE_CNN).training;

/**
 * Images/s of each of `windows` timed windows of `calls` calls of `run` (each on `images` images), after untimed
 * warm-up calls (a quarter of a window's, at least 3).
 */
export async function imagesPerSecondWindows(
  run: () => unknown,
  images: number,
  calls: number,
  windows: number,
): Promise<number[]> {
  const warmupCalls = Math.max(3, calls >> 2);
  for (let i = 0; i < warmupCalls; i++) await run();
  const out: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await run();
    out.push((calls * images) / ((performance.now() - t0) / 1000));
  }
  return out;
}

export function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function machineInfo(): Record<string, unknown> {
  const c = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    cpus: c.length,
    cpu: c[0]?.model,
    loadavg: loadavg().map((v) => +v.toFixed(2)),
    time: new Date().toISOString(),
  };
}

export function argValue(name: string, def: number): number;
export function argValue(name: string, def: string): string;
export function argValue(name: string, def: number | string): number | string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) return def;
  return typeof def === 'number' ? Number(process.argv[i + 1]) : process.argv[i + 1];
}

export const hasFlag = (name: string): boolean => process.argv.includes(`--${name}`);

/** CPU time of this process in ms (user + system): robust to other load on the machine when one thread works. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Peak resident set size of this process in MB (includes worker threads: they share the process). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

export const round = (v: number, d = 1): number => +v.toFixed(d);
