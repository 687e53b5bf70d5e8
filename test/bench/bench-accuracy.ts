/**
 * Accuracy benchmark (prints figures; not a test): trains the default preset on the 60,000 Fashion-MNIST training
 * images with the data-parallel trainer and prints the test accuracy on the 10,000 test images after every epoch,
 * the time taken and the peak RSS. `npm run bench:accuracy` = build + node out/bench/bench-accuracy.js.
 *
 * The loop is the reference core's Trainer (shuffle, augmentation, schedule, clipping, optimizer, epoch-end
 * evaluation) with the gradient computation handed to DataParallelTrainer.computeGradients: the Trainer's model is
 * built over the trainer's shared parameter and reduced-gradient buffers, so applyGradients updates the very
 * parameters the workers read.
 *
 * Options: --preset small|reference|… (default: small, the app's default for 28 px images), --epochs N,
 *          --workers N, --seed S, --json; for experiments --lr X and --batch B override the preset's settings.
 */
import { cpus } from 'node:os';
import { buildModel } from '../../native-workers/cnn/model';
import { type PresetName, presetSpec, presetTrainingConfig } from '../../native-workers/cnn/presets';
import { Trainer } from '../../native-workers/cnn/train/trainer';
import { fastKernels, fastKernelsBackend } from '../../native-workers/kernels/fast-kernels';
import { DataParallelTrainer } from '../../native-workers/parallel/data-parallel-trainer';
import { argValue, hasFlag, machineInfo, peakRssMb, round } from './lib/common';
import { loadSplit } from './lib/fashion-mnist';

const JSON_OUT = hasFlag('json');
const log = (s: string) => (JSON_OUT ? process.stderr.write(s + '\n') : console.log(s));

async function main(): Promise<void> {
  const preset = argValue('preset', 'small') as PresetName;
  const workers = argValue('workers', cpus().length);
  const config = presetTrainingConfig(preset, argValue('seed', 1));
  const epochs = argValue('epochs', 5);
  config.epochs = epochs;
  // experiments: --lr and --batch override the preset's settings (the default run uses the preset's own)
  config.learningRate = argValue('lr', config.learningRate);
  config.batchSize = argValue('batch', config.batchSize);
  const spec = presetSpec(preset, { height: 28, width: 28, channels: 1 }, 10);
  const t0 = performance.now();
  const trainSplit = loadSplit('train');
  const testSplit = loadSplit('test');
  const train = {
    images: trainSplit.x,
    labels: trainSplit.y,
    count: trainSplit.n,
    channels: 1,
    height: 28,
    width: 28,
  };
  const test = {
    images: testSplit.x,
    labels: testSplit.y,
    count: testSplit.n,
    channels: 1,
    height: 28,
    width: 28,
  };
  log(
    `preset ${preset}: ${JSON.stringify(config)}; ${workers} workers, kernels ${fastKernelsBackend()}; data loaded in ${round(performance.now() - t0)} ms`,
  );

  const dp = await DataParallelTrainer.create({
    spec,
    seed: config.seed,
    maxBatch: config.batchSize,
    workers,
  });
  const model = buildModel(spec, {
    seed: config.seed,
    batchSize: config.batchSize,
    kernels: fastKernels(),
    params: dp.params,
    grads: dp.grads,
    skipInit: true,
  });
  const epochsOut: Record<string, number>[] = [];
  let epochStart = performance.now();
  const runStart = epochStart;
  const trainer = new Trainer({
    model,
    train,
    validation: test,
    config,
    onEpoch: (r) => {
      const now = performance.now();
      const e = {
        epoch: r.epoch + 1,
        seconds: round((now - epochStart) / 1000, 1),
        trainLoss: round(r.trainLoss, 4),
        trainAccuracy: round(r.trainAccuracy, 4),
        testLoss: round(r.validation?.loss ?? NaN, 4),
        testAccuracy: round(r.validation?.accuracy ?? NaN, 4),
        peakRssMb: round(peakRssMb()),
      };
      epochsOut.push(e);
      log(
        `epoch ${e.epoch}: test accuracy ${(e.testAccuracy * 100).toFixed(2)} %, train loss ${e.trainLoss}, ` +
          `${e.seconds} s (incl. test evaluation), peak RSS ${e.peakRssMb} MB`,
      );
      epochStart = performance.now();
    },
  });
  try {
    while (!trainer.done) {
      const b = trainer.nextBatch();
      const r = await dp.computeGradients(b.x, b.labels, b.size);
      if (model.state.length) dp.readState(model.state); // batchnorm running stats for the epoch-end evaluation
      trainer.applyGradients({ loss: r.loss, correct: r.correct, batch: r.count });
    }
  } finally {
    await dp.close();
  }
  const seconds = (performance.now() - runStart) / 1000;
  const out = {
    benchmark: 'cnn-studio accuracy, Fashion-MNIST',
    preset,
    config,
    workers,
    machine: machineInfo(),
    epochs: epochsOut,
    finalTestAccuracy: epochsOut[epochsOut.length - 1]?.testAccuracy,
    totalSeconds: round(seconds, 1),
    trainImagesPerSecond: round((epochs * train.count) / seconds),
    peakRssMb: round(peakRssMb()),
  };
  if (JSON_OUT) process.stdout.write(JSON.stringify(out) + '\n');
  else
    log(
      `total ${out.totalSeconds} s (${out.trainImagesPerSecond} img/s incl. evaluation), peak RSS ${out.peakRssMb} MB`,
    );
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
