// Training on a cluster, end to end on one machine (issue 15; prints figures, not a test):
//   1. a project from the small Fashion-MNIST set (../shared/datasets/fashion-mnist-small: train/ and test/ class
//      folders of 28-px PNGs), imported with the CLI in a data folder of its own;
//   2. `export-training PROJECT --out WORK/package` (the project's current training settings);
//   3. `torchrun --standalone --nproc_per_node 2 train.py` in the package folder: PyTorch DDP on CPU (gloo);
//   4. `import-model PROJECT WORK/package/output/model.cnnmodel`;
//   5. `evaluate PROJECT --run <imported run> --split test`, against the package's output/eval.json (PyTorch's own
//      evaluation of the same weights on the same test split): the two accuracies must agree within 0.1 point;
// and, for comparison, `train PROJECT` with the same settings in the app (a run named in-app) and its test accuracy.
// Exits 1 when they do not.
//
//   npm run build && node scripts/cluster-roundtrip.mjs [--set DIR] [--work DIR] [--nproc 2] [--epochs N]
//       [--torchrun CMD] [--cli BIN] [--keep] [--json]
//
// --work DIR   everything goes to DIR (default $TMPDIR/cnn-studio-cluster), made anew; removed unless --keep
// --epochs N   overrides the settings' epochs in train.py (its --epochs flag)
// --torchrun   the launcher (default: torchrun, else /usr/bin/python3 -m torch.distributed.run)
// --json       one JSON object on stdout at the end (progress on stderr)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cnnStudioRunner, runCommand } from './run-command.mjs';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(`--${name}`);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
};
const log = (s) => process.stderr.write(s + '\n');
const round = (v, d = 1) => +v.toFixed(d);
const pct = (v) => `${(v * 100).toFixed(2)} %`;

const cli = path.resolve(opt('cli', path.join(root, 'bin', 'cnn-studio.js')));
const setDir = path.resolve(opt('set', path.join(root, '..', 'shared', 'datasets', 'fashion-mnist-small')));
const work = path.resolve(opt('work', path.join(os.tmpdir(), 'cnn-studio-cluster')));
const dataDir = path.join(work, 'data');
const cnnStudio = cnnStudioRunner(cli, dataDir);
const packageDir = path.join(work, 'package');
const nproc = opt('nproc', '2');
const epochs = opt('epochs');

function launcher() {
  const given = opt('torchrun');
  if (given) return given.split(' ');
  const found = spawnSync('torchrun', ['--help'], { stdio: 'ignore' }).status === 0;
  return found ? ['torchrun'] : ['/usr/bin/python3', '-m', 'torch.distributed.run'];
}

async function main() {
  if (!fs.existsSync(path.join(setDir, 'train'))) throw new Error(`no train/ folder in ${setDir}`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  const t = {};

  log('project create fashion-small --size 28 --color gray; import the set…');
  const project = (await cnnStudio(['project', 'create', 'fashion-small', '--size', '28', '--color', 'gray']))
    .json;
  const imported = await cnnStudio(['import', project.id, setDir]);
  t.import = imported.seconds;
  log(`  ${imported.json.imported} images imported in ${round(imported.seconds)} s`);

  log(`export-training → ${packageDir}…`);
  const pkg = await cnnStudio(['export-training', project.id, '--out', packageDir]);
  t.exportTraining = pkg.seconds;
  log(
    `  ${pkg.json.modelName}, ${pkg.json.totalParams} parameters, images ${JSON.stringify(pkg.json.counts)}, ` +
      `${round(pkg.json.bytes / 1024)} KiB in ${round(pkg.seconds)} s`,
  );

  const [cmd, ...pre] = launcher();
  // torchrun of torch 1.13 under Python 3.11 (Debian 12's python3-torch) fails on its default "--redirects 0";
  // redirecting stdout to its log files and teeing it back is the same run.
  const workaround = ['--redirects', '1', '--tee', '1'];
  const trainArgs = [
    ...pre,
    '--standalone',
    '--nproc_per_node',
    nproc,
    ...workaround,
    'train.py',
    ...(epochs ? ['--epochs', epochs] : []),
  ];
  log(`${cmd} ${trainArgs.join(' ')} (in the package folder)…`);
  const trained = await runCommand(cmd, trainArgs, { cwd: packageDir, onErr: (line) => log(`  | ${line}`) });
  t.torchrun = trained.seconds;
  const output = path.join(packageDir, 'output');
  const evalJson = JSON.parse(fs.readFileSync(path.join(output, 'eval.json'), 'utf8'));
  const metrics = fs
    .readFileSync(path.join(output, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
  log(
    `  ${metrics.length} epochs in ${round(trained.seconds)} s; PyTorch's test accuracy ${pct(evalJson.accuracy)} on ${evalJson.count}`,
  );

  // For comparison: the same settings trained in the app (the package's recipe on the app's own kernels).
  log('train (the same settings in the app, for comparison)…');
  const inApp = await cnnStudio([
    'train',
    project.id,
    '--name',
    'in-app',
    ...(epochs ? ['--epochs', epochs] : []),
  ]);
  t.trainInApp = inApp.seconds;
  const inAppEval = await cnnStudio([
    'evaluate',
    project.id,
    '--run',
    'in-app',
    '--split',
    evalJson.split ?? 'test',
  ]);
  log(
    `  ${inApp.json.epochs.length} epochs in ${round(inApp.seconds)} s; test accuracy ${pct(inAppEval.json.accuracy)}`,
  );

  log('import-model output/model.cnnmodel…');
  const back = await cnnStudio(['import-model', project.id, path.join(output, 'model.cnnmodel')]);
  t.importModel = back.seconds;
  const runName = back.json.run.name;
  log(`  run ${runName}: ${back.json.epochs} epochs of metrics, labels ${back.json.labels.join(', ')}`);

  log(`evaluate --run ${runName} --split ${evalJson.split ?? 'test'}…`);
  const ev = await cnnStudio(['evaluate', project.id, '--run', runName, '--split', evalJson.split ?? 'test']);
  t.evaluate = ev.seconds;
  const diffPoints = Math.abs(ev.json.accuracy - evalJson.accuracy) * 100;
  const ok = diffPoints <= 0.1 && ev.json.count === evalJson.count;
  const summary = {
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    set: setDir,
    counts: pkg.json.counts,
    model: pkg.json.modelName,
    processes: Number(nproc),
    epochs: metrics.length,
    lastEpoch: metrics.at(-1),
    pytorch: { accuracy: evalJson.accuracy, count: evalJson.count },
    cnnStudio: { accuracy: ev.json.accuracy, count: ev.json.count, run: runName },
    inApp: { accuracy: inAppEval.json.accuracy, count: inAppEval.json.count, seconds: round(inApp.seconds) },
    differencePoints: round(diffPoints, 3),
    ok,
    seconds: Object.fromEntries(Object.entries(t).map(([k, v]) => [k, round(v)])),
  };
  log(
    `\nPyTorch (${nproc} processes, gloo): ${pct(evalJson.accuracy)} on ${evalJson.count} test images; ` +
      `CNN Studio on the imported run: ${pct(ev.json.accuracy)} on ${ev.json.count} — difference ` +
      `${summary.differencePoints} points (${ok ? 'ok' : 'MORE THAN 0.1'}). torchrun ${round(t.torchrun)} s; ` +
      `the same settings trained in the app: ${pct(inAppEval.json.accuracy)} in ${round(inApp.seconds)} s.`,
  );
  if (flag('json')) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  if (!flag('keep')) fs.rmSync(work, { recursive: true, force: true });
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  log(`error: ${error.message}`);
  process.exitCode = 1;
});
