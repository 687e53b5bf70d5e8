// Accuracy on photo-like data (issue 14): the `medium` preset with its default settings, ours through the CLI as a
// user would run it, next to a PyTorch twin of the same network and recipe on the same files (prints figures; not a
// test). Steps:
//   1. the photo set (scripts/make-photo-set.mjs: Fashion-MNIST garments colourised, textured, scaled and placed on
//      cluttered 96×96 backgrounds, JPEG in class folders), generated unless a complete one with the same
//      parameters is there already;
//   2. ours: `project create photo --size 96 --color rgb`, `import photo SET/train` (the default 80/10/10 split),
//      `train photo --preset medium --json`, `evaluate photo SET/test --json`, in a data folder of its own;
//   3. the twin: /usr/bin/python3 test/bench/pytorch-photo-twin.py SET --db PROJECT_DB (the same train/val split,
//      read from the project), 2 threads;
// then prints both test accuracies, training times and images/s (goal: ours within 1 point of the twin or better,
// in less time).
//
//   npm run bench:photo -- [options]   (= npm run build && node scripts/photo-accuracy.mjs)
//   node scripts/photo-accuracy.mjs [--work DIR] [--train 8000] [--test 2000] [--seed 1] [--epochs N]
//       [--workers W] [--threads 2] [--only ours|twin] [--cli BIN] [--keep] [--json]
//
// --work DIR   the set goes to DIR/set and the data folder to DIR/data (default $TMPDIR/cnn-studio-photo); the data
//              folder is always made anew and removed at the end unless --keep
// --epochs N   both sides train N epochs instead of the preset's 20 (smoke runs)
// --cli BIN    the cnn-studio entry to run (default this checkout's bin/cnn-studio.js)
// --json       one JSON object on stdout at the end (progress on stderr)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cnnStudioRunner, runCommand } from './run-command.mjs';
import { makePhotoSet, readPhotoSetInfo } from './make-photo-set.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const log = (s) => process.stderr.write(s + '\n');
const round = (v, d = 1) => (v === null || v === undefined ? null : +v.toFixed(d));
const pct = (v) => (v === null || v === undefined ? '-' : `${(v * 100).toFixed(2)} %`);

const cli = path.resolve(opt('cli', path.join(root, 'bin', 'cnn-studio.js')));
const work = path.resolve(opt('work', path.join(os.tmpdir(), 'cnn-studio-photo')));
const setDir = path.join(work, 'set');
const dataDir = path.join(work, 'data');
const cnnStudio = cnnStudioRunner(cli, dataDir);
const wanted = {
  train: Number(opt('train', '8000')),
  test: Number(opt('test', '2000')),
  seed: Number(opt('seed', '1')),
};
const epochs = opt('epochs');
const only = opt('only');
const TWIN = path.join(root, 'test', 'bench', 'pytorch-photo-twin.py');
const PYTHON = '/usr/bin/python3';

async function ensureSet() {
  const info = readPhotoSetInfo(setDir);
  if (info && info.train === wanted.train && info.test === wanted.test && info.seed === wanted.seed) {
    log(`using the photo set in ${setDir}`);
    return { seconds: 0, reused: true };
  }
  log(
    `generating the photo set (${wanted.train} train, ${wanted.test} test, seed ${wanted.seed}) in ${setDir}…`,
  );
  const t0 = performance.now();
  await makePhotoSet(setDir, { ...wanted, onProgress: (split, n, of) => log(`  ${split}: ${n}/${of}`) });
  return { seconds: round((performance.now() - t0) / 1000), reused: false };
}

/** The project's database file (the one file in its folder that holds the images table). */
function projectDb(projectId) {
  const dir = fs
    .readdirSync(dataDir, { recursive: true, withFileTypes: true })
    .find((e) => e.isDirectory() && e.name === projectId);
  const folder = dir ? path.join(dir.parentPath ?? dir.path, dir.name) : null;
  const db = folder && fs.readdirSync(folder).find((f) => /\.(db|sqlite)$/.test(f));
  return db ? path.join(folder, db) : null;
}

async function ours() {
  fs.rmSync(dataDir, { recursive: true, force: true });
  log('ours: project create photo --size 96 --color rgb…');
  const project = (await cnnStudio(['project', 'create', 'photo', '--size', '96', '--color', 'rgb'])).json;
  log(`ours: import photo ${path.join(setDir, 'train')}…`);
  const imp = await cnnStudio(['import', project.id, path.join(setDir, 'train')]);
  log(`  ${imp.json.imported} imported in ${round(imp.seconds)} s`);
  const trainArgs = [
    'train',
    project.id,
    '--preset',
    'medium',
    ...(epochs ? ['--epochs', epochs] : []),
    ...(opt('workers') ? ['--workers', opt('workers')] : []),
  ];
  log(`ours: ${trainArgs.join(' ')}…`);
  const train = await cnnStudio(trainArgs);
  const r = train.json;
  if (r.status !== 'completed') throw new Error(`run ${r.name} ${r.status}: ${JSON.stringify(r.failure)}`);
  for (const e of r.epochs)
    log(
      `  epoch ${e.epoch}: train loss ${round(e.trainLoss, 4)}, train acc ${pct(e.trainAccuracy)}, val loss ` +
        `${round(e.valLoss, 4)}, val acc ${pct(e.valAccuracy)}, ${round(e.seconds)} s, ${round(e.imagesPerSecond)} img/s`,
    );
  log(`ours: evaluate photo ${path.join(setDir, 'test')}…`);
  const ev = await cnnStudio(['evaluate', project.id, path.join(setDir, 'test')]);
  log(`  test accuracy ${pct(ev.json.accuracy)} on ${ev.json.count} images`);
  return {
    library: 'cnn-studio',
    projectId: project.id,
    db: projectDb(project.id),
    dataset: r.dataset,
    epochs: r.epochs.map((e) => ({
      epoch: e.epoch,
      trainLoss: round(e.trainLoss, 4),
      trainAccuracy: round(e.trainAccuracy, 4),
      valLoss: round(e.valLoss, 4),
      valAccuracy: round(e.valAccuracy, 4),
      seconds: round(e.seconds),
      imagesPerSecond: round(e.imagesPerSecond),
    })),
    trainSeconds: round(r.epochs.reduce((s, e) => s + e.seconds, 0)),
    trainCommandSeconds: round(train.seconds),
    trainImagesPerSecond: round(r.imagesPerSecond),
    testAccuracy: round(ev.json.accuracy, 4),
    testCount: ev.json.count,
    importSeconds: round(imp.seconds),
  };
}

async function twin(db) {
  const argv = [
    TWIN,
    setDir,
    '--threads',
    opt('threads', '2'),
    '--json',
    ...(epochs ? ['--epochs', epochs] : []),
  ];
  if (db) argv.push('--db', db);
  log(`twin: ${PYTHON} ${argv.join(' ')}…`);
  const { out, seconds } = await runCommand(PYTHON, argv, { onErr: (line) => log(`  ${line}`) });
  return { ...JSON.parse(out.trim().split('\n').pop()), commandSeconds: round(seconds) };
}

async function main() {
  if (only !== 'twin' && !fs.existsSync(cli)) {
    log(`${cli} is missing: run \`npm run build\` first`);
    process.exit(1);
  }
  const started = performance.now();
  fs.mkdirSync(work, { recursive: true });
  const set = await ensureSet();
  const results = {};
  if (only !== 'twin') results.ours = await ours();
  if (only !== 'ours') results.twin = await twin(results.ours?.db ?? null);
  const summary = {
    benchmark: 'medium preset on the photo-like Fashion-MNIST set: cnn-studio CLI vs a PyTorch twin',
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      loadavgAtEnd: os.loadavg().map((v) => round(v, 2)),
      time: new Date().toISOString(),
    },
    set: { dir: setDir, ...wanted, ...set },
    results,
    ...(results.ours && results.twin
      ? {
          accuracyGapPoints: round((results.ours.testAccuracy - results.twin.testAccuracy) * 100, 2),
          goalMet:
            results.ours.testAccuracy >= results.twin.testAccuracy - 0.01 &&
            results.ours.trainSeconds < results.twin.trainSeconds,
        }
      : {}),
    totalSeconds: round((performance.now() - started) / 1000),
  };
  if (!flag('keep')) fs.rmSync(dataDir, { recursive: true, force: true });
  if (flag('json')) {
    process.stdout.write(JSON.stringify(summary) + '\n');
    return;
  }
  log('');
  log('                 test accuracy  training time  images/s (training steps)');
  for (const [k, r] of Object.entries(results))
    log(
      `${k.padEnd(16)} ${pct(r.testAccuracy).padEnd(13)}  ${`${r.trainSeconds} s`.padEnd(13)}  ${r.trainImagesPerSecond}`,
    );
  if (summary.accuracyGapPoints !== undefined)
    log(
      `ours − twin: ${summary.accuracyGapPoints} points; goal (within 1 point, less time) ${summary.goalMet ? 'met' : 'NOT met'}`,
    );
  log(`load average at the end: ${summary.machine.loadavgAtEnd.join(', ')}; total ${summary.totalSeconds} s`);
}

main().catch((e) => {
  log(String(e?.stack ?? e));
  process.exit(1);
});
