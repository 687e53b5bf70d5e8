// Accuracy through the CLI, as a user would get it (prints figures; not a test). From a clean state:
//   1. writes the 60,000 Fashion-MNIST training images and the 10,000 test images as PNG class folders
//      (scripts/make-fashion-mnist-pngs.mjs, from Debian's dataset-fashion-mnist IDX files);
//   2. `project create` (28 px, gray), `import` the training folders (the project's default 80/10/10 split);
//   3. `train PROJECT --epochs 5 --json` with the default preset (small), then `evaluate PROJECT TEST_FOLDER --json`;
//   4. variant "all in train": `dataset split PROJECT --ratios 1,0,0 --mode all`, train 5 epochs again, evaluate.
// Reports the test accuracy (goals: ≥ 90.5 % with the 80/10/10 split, ≥ 91 % with all 60,000 in train), the
// training time, per-epoch figures and the peak RSS of each training process (GNU time's maximum resident set size
// when /usr/bin/time exists, else the highest VmHWM read from /proc every 100 ms).
//
//   npm run bench:accuracy-cli -- [options]   (= npm run build && node scripts/accuracy-fashion-mnist.mjs)
//   node scripts/accuracy-fashion-mnist.mjs [--work DIR] [--reuse-pngs] [--epochs N]
//       [--workers W] [--seed S] [--variants default,all] [--keep] [--json]
//
// --work DIR     where the PNGs and the data folder go (default $TMPDIR/cnn-studio-accuracy); the data folder is
//                always made anew, the PNGs too unless --reuse-pngs finds a complete set there
// --limit N      (smoke tests of this script) only the first N images of each split; the goals do not apply
// --json         one JSON object on stdout at the end (progress on stderr)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeFashionMnistPngs } from './make-fashion-mnist-pngs.mjs';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'cnn-studio.js');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const JSON_OUT = flag('json');
const log = (s) => process.stderr.write(s + '\n');
const GOALS = { default: 0.905, all: 0.91 };
const GNU_TIME = '/usr/bin/time';

const work = path.resolve(opt('work', path.join(os.tmpdir(), 'cnn-studio-accuracy')));
const pngDir = path.join(work, 'png');
const dataDir = path.join(work, 'data');
const epochs = Number(opt('epochs', '5'));
const variants = opt('variants', 'default,all').split(',');
const limit = opt('limit') ? Number(opt('limit')) : null;
const extraTrain = [
  ...(opt('workers') ? ['--workers', opt('workers')] : []),
  ...(opt('seed') ? ['--seed', opt('seed')] : []),
];

/**
 * Runs `cnn-studio --data-dir DATA --json ...args`; resolves with the parsed JSON, the wall time and the peak RSS
 * of the process in MB. Fails with the command's stderr when it exits non-zero.
 */
function cnnStudio(cliArgs, { measure = false } = {}) {
  const argv = [cli, '--data-dir', dataDir, '--json', ...cliArgs];
  const timeFile = path.join(work, `time-${process.pid}.txt`);
  const useTime = measure && fs.existsSync(GNU_TIME);
  const [cmd, cmdArgs] = useTime
    ? [GNU_TIME, ['-v', '-o', timeFile, process.execPath, ...argv]]
    : [process.execPath, argv];
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    // Fallback peak RSS: the kernel's high-water mark of the node process, read while it runs.
    let hwmKb = 0;
    const sampler =
      measure && !useTime
        ? setInterval(() => {
            try {
              const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
              if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
            } catch {
              // the process has ended
            }
          }, 100)
        : null;
    child.on('error', reject);
    child.on('close', (code) => {
      if (sampler) clearInterval(sampler);
      const seconds = (performance.now() - t0) / 1000;
      let peakRssMb = null;
      let peakRssSource = null;
      if (useTime && fs.existsSync(timeFile)) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(fs.readFileSync(timeFile, 'utf8'));
        if (m) [peakRssMb, peakRssSource] = [Number(m[1]) / 1024, 'GNU time maxrss'];
        fs.rmSync(timeFile, { force: true });
      } else if (measure) [peakRssMb, peakRssSource] = [hwmKb / 1024, 'VmHWM sampled every 100 ms'];
      if (code !== 0) {
        reject(new Error(`cnn-studio ${cliArgs.join(' ')} exited ${code}: ${err.trim() || out.trim()}`));
        return;
      }
      try {
        resolve({ json: JSON.parse(out), seconds, peakRssMb, peakRssSource });
      } catch {
        reject(new Error(`cnn-studio ${cliArgs.join(' ')}: no JSON on stdout: ${out.slice(0, 300)}`));
      }
    });
  });
}

const round = (v, d = 1) => (v === null || v === undefined ? null : +v.toFixed(d));
const pct = (v) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(2)} %`);

async function writePngs() {
  const done = path.join(pngDir, `.complete-${limit ?? 'all'}`);
  if (flag('reuse-pngs') && fs.existsSync(done)) {
    log(`reusing the PNGs in ${pngDir}`);
    return { seconds: 0, reused: true };
  }
  fs.rmSync(pngDir, { recursive: true, force: true });
  const t0 = performance.now();
  for (const split of ['train', 'test']) {
    log(`writing the Fashion-MNIST ${split} images as PNG class folders…`);
    const n = await makeFashionMnistPngs(pngDir, { split, ...(limit ? { limit } : {}) });
    log(`  ${n} PNGs`);
  }
  fs.writeFileSync(done, '');
  return { seconds: round((performance.now() - t0) / 1000), reused: false };
}

/** Trains `epochs` epochs with the project's settings (the default preset), then evaluates the test folder. */
async function trainAndEvaluate(project, name) {
  log(`train ${[project, '--epochs', epochs, '--name', name, ...extraTrain].join(' ')}…`);
  const train = await cnnStudio(
    ['train', project, '--epochs', String(epochs), '--name', name, ...extraTrain],
    {
      measure: true,
    },
  );
  const run = train.json;
  if (run.status !== 'completed')
    throw new Error(`run ${name} ${run.status}: ${JSON.stringify(run.failure)}`);
  for (const e of run.epochs)
    log(
      `  epoch ${e.epoch}: train loss ${round(e.trainLoss, 4)}, train accuracy ${pct(e.trainAccuracy)}, ` +
        `val accuracy ${pct(e.valAccuracy)}, ${round(e.seconds)} s, ${round(e.imagesPerSecond)} img/s`,
    );
  log(
    `  ${round(train.seconds)} s for the command, peak RSS ${round(train.peakRssMb)} MB (${train.peakRssSource})`,
  );
  log(`evaluate ${project} ${path.join(pngDir, 'test')} --run ${name}…`);
  const evaluation = await cnnStudio(['evaluate', project, path.join(pngDir, 'test'), '--run', name]);
  log(`  test accuracy ${pct(evaluation.json.accuracy)} on ${evaluation.json.count} images`);
  return {
    runId: run.runId,
    preset: run.preset,
    dataset: run.dataset,
    epochs: run.epochs.map((e) => ({
      epoch: e.epoch,
      trainLoss: round(e.trainLoss, 4),
      trainAccuracy: round(e.trainAccuracy, 4),
      valLoss: round(e.valLoss, 4),
      valAccuracy: round(e.valAccuracy, 4),
      seconds: round(e.seconds, 1),
      imagesPerSecond: round(e.imagesPerSecond),
    })),
    trainImagesPerSecond: round(run.imagesPerSecond),
    trainEpochSeconds: round(
      run.epochs.reduce((s, e) => s + e.seconds, 0),
      1,
    ),
    trainCommandSeconds: round(train.seconds, 1),
    trainPeakRssMb: round(train.peakRssMb),
    peakRssSource: train.peakRssSource,
    testAccuracy: round(evaluation.json.accuracy, 4),
    testCount: evaluation.json.count,
    testMacroF1: round(evaluation.json.macroF1, 4),
    evaluateSeconds: round(evaluation.seconds, 1),
  };
}

async function main() {
  if (!fs.existsSync(path.join(root, 'out', 'cli', 'index.js'))) {
    log('cnn-studio is not built: run `npm run build` first');
    process.exit(1);
  }
  const started = performance.now();
  fs.mkdirSync(work, { recursive: true });
  const pngs = await writePngs();
  fs.rmSync(dataDir, { recursive: true, force: true });

  log('project create fashion-mnist --size 28 --color gray…');
  const project = (await cnnStudio(['project', 'create', 'fashion-mnist', '--size', '28', '--color', 'gray']))
    .json;
  log(`import fashion-mnist ${path.join(pngDir, 'train')}…`);
  const imp = await cnnStudio(['import', project.id, path.join(pngDir, 'train')], { measure: true });
  const s = imp.json;
  log(
    `  ${s.imported} imported, ${s.duplicates} duplicates, ${s.conflicts} conflicts, ${s.failed.length} failed ` +
      `in ${round(imp.seconds)} s; peak RSS ${round(imp.peakRssMb)} MB`,
  );

  const results = {};
  if (variants.includes('default')) {
    log('— variant "default": the project’s default 80/10/10 split');
    results.default = await trainAndEvaluate(project.id, 'split-80-10-10');
  }
  if (variants.includes('all')) {
    log('— variant "all": all images in the train split');
    log(`dataset split ${project.id} --ratios 1,0,0 --mode all…`);
    const split = (await cnnStudio(['dataset', 'split', project.id, '--ratios', '1,0,0', '--mode', 'all']))
      .json;
    log(`  train ${split.perSplit.train}, val ${split.perSplit.val}, test ${split.perSplit.test}`);
    results.all = await trainAndEvaluate(project.id, 'all-in-train');
  }

  const summary = {
    benchmark: 'cnn-studio accuracy through the CLI, Fashion-MNIST PNG class folders',
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      loadavg: os.loadavg().map((v) => round(v, 2)),
      time: new Date().toISOString(),
    },
    epochs,
    limit,
    pngs,
    import: {
      imported: s.imported,
      duplicates: s.duplicates,
      seconds: round(imp.seconds, 1),
      imagesPerSecond: s.imagesPerSecond,
      peakRssMb: round(imp.peakRssMb),
    },
    results,
    goals: Object.fromEntries(
      Object.entries(results).map(([k, r]) => [
        k,
        { testAccuracy: GOALS[k], met: r.testAccuracy >= GOALS[k] },
      ]),
    ),
    totalSeconds: round((performance.now() - started) / 1000, 1),
  };
  if (!flag('keep')) fs.rmSync(dataDir, { recursive: true, force: true });
  if (JSON_OUT) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  log('');
  log('variant          split (train/val/test)  test accuracy  goal      train time       peak RSS');
  for (const [k, r] of Object.entries(results)) {
    const d = r.dataset;
    log(
      `${k.padEnd(16)} ${`${d.train}/${d.val}/${d.test}`.padEnd(22)}  ${pct(r.testAccuracy).padEnd(13)}  ` +
        `${`≥ ${(GOALS[k] * 100).toFixed(1)} %`.padEnd(8)}  ${`${r.trainEpochSeconds} s (${r.trainCommandSeconds} s cmd)`.padEnd(15)}  ` +
        `${r.trainPeakRssMb} MB  ${summary.goals[k].met ? 'met' : 'NOT met'}`,
    );
  }
  log(`import: ${s.imported} images in ${summary.import.seconds} s; total ${summary.totalSeconds} s`);
}

main().catch((e) => {
  log(String(e?.stack ?? e));
  process.exit(1);
});
