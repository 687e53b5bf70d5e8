/** The ratios the issue's goals are stated in, from one run's rows (ours = the default kernels' rows). */
import { round } from './common';
import type { BenchRow } from './rows';

const threadsOf = (r: BenchRow): number => r.workers ?? r.threads ?? 1;

/** Per-thread CPU figures of the reference run's kernel profiles (native, and wasm for comparison). */
export interface ProfileFigures {
  imgPerCpuSecondSingleThread: number;
  inferImgPerCpuSecondSingleThread: number;
}

export function benchRatios(
  rows: BenchRow[],
  profiles?: { native: ProfileFigures; wasm?: ProfileFigures },
): Record<string, number> {
  const ours = rows.filter((r) => r.library.startsWith('cnn-studio ('));
  const byLib = (prefix: string) => rows.filter((r) => r.library.startsWith(prefix));
  const torch = byLib('pytorch (');
  const ort = byLib('onnxruntime-node (');
  const out: Record<string, number> = {};
  const put = (name: string, a: number | null | undefined, b: number | null | undefined, d = 2) => {
    if (a && b) out[name] = round(a / b, d);
  };
  const bestTrain = (rs: BenchRow[]) => Math.max(0, ...rs.map((r) => r.trainImagesPerSecond ?? 0));
  const one = ours.find((r) => threadsOf(r) === 1);
  const many = ours.filter((r) => threadsOf(r) > 1).sort((a, b) => threadsOf(b) - threadsOf(a))[0];
  put('trainScalingNWorkersVs1', many?.trainImagesPerSecond, one?.trainImagesPerSecond);
  put('trainVsBestPytorch', bestTrain(ours), bestTrain(torch));
  for (const r of ours) {
    const n = threadsOf(r);
    const t = torch.find((p) => threadsOf(p) === n);
    const o = ort.find((p) => threadsOf(p) === n);
    put(`train${n}VsPytorch${n}`, r.trainImagesPerSecond, t?.trainImagesPerSecond);
    put(`infer${n}VsPytorch${n}`, r.inferImagesPerSecond, t?.inferImagesPerSecond);
    put(`infer${n}VsOnnxruntime${n}`, r.inferImagesPerSecond, o?.inferImagesPerSecond);
    put(`inferBatch1_${n}VsOnnxruntime${n}`, r.inferBatch1ImagesPerSecond, o?.inferBatch1ImagesPerSecond);
    put(`inferBatch1_${n}VsPytorch${n}`, r.inferBatch1ImagesPerSecond, t?.inferBatch1ImagesPerSecond);
  }
  const tfjs = rows.find((r) => r.library === '@tensorflow/tfjs');
  const cnj = rows.find((r) => r.library === 'convnetjs');
  const bestInfer = Math.max(0, ...ours.map((r) => r.inferImagesPerSecond));
  put('trainVsTfjsWasm', bestTrain(ours), tfjs?.trainImagesPerSecond);
  put('inferVsTfjsWasm', bestInfer, tfjs?.inferImagesPerSecond);
  put('trainVsConvnetjs', bestTrain(ours), cnj?.trainImagesPerSecond, 1);
  // the WebAssembly fallback against the native kernels in CPU time of one thread (load-independent)
  const { native, wasm } = profiles ?? {};
  put('wasmVsNativeTrainCpu', wasm?.imgPerCpuSecondSingleThread, native?.imgPerCpuSecondSingleThread);
  put(
    'wasmVsNativeInferCpu',
    wasm?.inferImgPerCpuSecondSingleThread,
    native?.inferImgPerCpuSecondSingleThread,
  );
  return out;
}
