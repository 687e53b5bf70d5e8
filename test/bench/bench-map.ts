/**
 * The dataset map's stages on Fashion-MNIST: `npm run bench:map [-- --train N] [--epochs E] [--sizes 10000,60000]
 * [--methods pca,umap]` (or `node out/bench/bench-map.js …` after `node scripts/build-node.mjs`). Trains the small
 * preset on the first N training images (default 10,000, 1 epoch; one thread), then for each size times what the
 * service runs: the penultimate embeddings (the inference worker's loop: uint8 → float, 32 images per forward,
 * fastest kernels), PCA to 50 dimensions, the exact kNN (k = 14 for UMAP, 10 for PCA) and UMAP (our own, seeded),
 * and reports the 10-NN label agreement (chance: 10 %) in the embedding's reduced space and in the 2-D map (its
 * own exact 10-NN of the [0, 1] coordinates). Prints figures; it is not a timed test.
 */
import { embeddingDims, embeddings } from '../../native-workers/cnn/explain/embeddings';
import { buildModel } from '../../native-workers/cnn/model';
import { presetSpec, presetTrainingConfig } from '../../native-workers/cnn/presets';
import { bytesToFloats } from '../../native-workers/cnn/train/dataset';
import { Trainer } from '../../native-workers/cnn/train/trainer';
import { nearestNeighbours } from '../../native-workers/dataset-map/knn';
import { projectEmbeddings } from '../../native-workers/dataset-map/project';
import { fastKernels, fastKernelsBackend } from '../../native-workers/kernels/fast-kernels';
import { neighbourAgreement } from '../../main/services/dataset-map/disagreement';
import { argValue } from './lib/common';
import { loadSplit } from './lib/fashion-mnist';

const trainCount = argValue('train', 10_000);
const epochs = argValue('epochs', 1);
const sizes = argValue('sizes', '10000,60000').split(',').map(Number);
const methods = argValue('methods', 'pca,umap').split(',') as ('pca' | 'umap')[];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const data = loadSplit('train');
const pixels = Uint8Array.from(data.x, (v) => Math.round(v * 255));
const spec = presetSpec('small', { channels: 1, height: 28, width: 28 }, 10);
const kernels = fastKernels();
console.log(`kernels: ${fastKernelsBackend()}`);

let t = performance.now();
const model = buildModel(spec, { seed: 1, batchSize: 64, kernels });
const trainer = new Trainer({
  model,
  train: {
    images: data.x.subarray(0, trainCount * 784),
    labels: data.y.subarray(0, trainCount),
    count: trainCount,
    channels: 1,
    height: 28,
    width: 28,
  },
  config: { ...presetTrainingConfig('small', 1), epochs },
});
for (let e = 0; e < epochs; e++) trainer.runEpoch();
console.log(`trained small on ${trainCount} images, ${epochs} epoch(s): ${s(performance.now() - t)}`);

// the inference worker's model and loop (MAX_BATCH 32)
const worker = buildModel(spec, { seed: 0, batchSize: 32, kernels, skipInit: true });
worker.loadParams(model.params, model.state);
const dims = embeddingDims(worker);
const largest = Math.max(...sizes);
t = performance.now();
const all = new Float32Array(largest * dims);
const x = new Float32Array(32 * 784);
for (let from = 0; from < largest; from += 32) {
  const n = Math.min(32, largest - from);
  bytesToFloats(pixels, from * 784, n * 784, x.subarray(0, n * 784));
  all.set(embeddings(worker, x.subarray(0, n * 784), n), from * dims);
}
const embedMillis = performance.now() - t;
console.log(
  `embeddings of ${largest} images (${dims} dims): ${s(embedMillis)} (${Math.round((largest / embedMillis) * 1000)} images/s)`,
);

for (const count of sizes) {
  const labels = Array.from(data.y.subarray(0, count), (l) => l + 1); // 0 means unlabeled
  for (const method of methods) {
    t = performance.now();
    const p = projectEmbeddings(kernels, all.slice(0, count * dims), count, dims, { method, seed: 1, k: 10 });
    const total = performance.now() - t;
    const { agreement } = neighbourAgreement(labels, p.neighbours, p.k);
    const xy = new Float32Array(count * 2);
    for (let i = 0; i < count; i++) [xy[2 * i], xy[2 * i + 1]] = [p.x[i], p.y[i]];
    const map = nearestNeighbours(kernels, xy, count, 2, 10);
    const mapAgreement = neighbourAgreement(labels, map.indices, map.k).agreement;
    const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
    console.log(
      `${count} images, ${method}: embedding ≈ ${s((embedMillis * count) / largest)}, PCA ${s(p.timings.pca)}, ` +
        `kNN ${s(p.timings.knn)}, UMAP ${s(p.timings.umap)}; projection ${s(total)}; 10-NN label agreement: ` +
        `embedding (reduced) ${pct(agreement)}, 2-D map ${pct(mapAgreement)}`,
    );
  }
}
