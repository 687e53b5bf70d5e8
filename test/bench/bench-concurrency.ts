/**
 * The UI's read latency while the project is written (issue 13 item 2; prints figures, not a test): in ONE process,
 * as in the app's main process, one project gets
 *   (a) idle: the grid's page read (`dataset:listImages`, PAGE_SIZE images at a random offset, the order the grid
 *       asks for) every INTERVAL ms, nothing else running;
 *   (b) busy: the same reads while a training run (the `small` preset, worker threads, its epochs and checkpoints
 *       written to the project database) and an import of new PNG class folders (batches committed by the main
 *       thread) run at once.
 * Each read is timed twice: the query alone, and from when it was due to its answer (the query plus the wait for the
 * main thread, which the import's batches and the training's messages keep busy): what the page waits for.
 * Prints p50/p95/max of both. `npm run bench:concurrency` = build + node out/bench/bench-concurrency.js.
 *
 * Options: --json (one JSON object on stdout), --images N (imported before training, default 3000), --more N
 * (imported during training, default 3000), --seconds S (length of each phase, default 20), --keep.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createServices } from '../../main/services/services';
import { presetSettings } from '../../main/services/training/settings';
import { appVersion, findAppRoot, workersDirFor } from '../../main/storage/app-paths';
import { argValue, hasFlag, machineInfo, round } from './lib/common';

const JSON_OUT = hasFlag('json');
const log = (s: string) => (JSON_OUT ? process.stderr.write(s + '\n') : console.log(s));
/** The grid's page size (renderer/src/features/dataset/image-pager.ts). */
const PAGE_SIZE = 200;
/** How often a read is due: about a page per scroll step of a user paging through the grid. */
const INTERVAL_MS = 50;
const CLASSES = 4;

interface Latency {
  reads: number;
  p50: number;
  p95: number;
  max: number;
}

function stats(ms: number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { reads: sorted.length, p50: round(at(0.5), 2), p95: round(at(0.95), 2), max: round(at(1), 2) };
}

/** `count` distinct 28×28 noise PNGs in CLASSES class folders under `dir` (seeded by `from`). */
async function writePngs(dir: string, count: number, from: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const raw = Buffer.alloc(28 * 28);
    let s = Math.imul(from + i + 1, 2654435761 | 0) >>> 0;
    for (let p = 0; p < raw.length; p++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      raw[p] = (s >>> 16) & 0xff;
    }
    const folder = path.join(dir, `class-${i % CLASSES}`);
    fs.mkdirSync(folder, { recursive: true });
    await sharp(raw, { raw: { width: 28, height: 28, channels: 1 } })
      .png()
      .toFile(path.join(folder, `${from + i}.png`));
  }
}

/** Reads a random grid page every INTERVAL_MS until `until()` says stop; answers both timings of every read. */
async function readPages(
  read: (offset: number) => number,
  until: () => boolean,
): Promise<{ query: number[]; waited: number[] }> {
  const query: number[] = [];
  const waited: number[] = [];
  let total = read(0); // the grid's first page; later pages at random offsets (the total grows with an import)
  let due = performance.now();
  while (!until()) {
    due += INTERVAL_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
    const t0 = performance.now();
    total = read(Math.floor(Math.random() * Math.max(1, total - PAGE_SIZE)));
    const t1 = performance.now();
    query.push(t1 - t0);
    waited.push(t1 - due);
    if (t1 - due > INTERVAL_MS) due = t1; // a late read does not make the next ones due at once
  }
  return { query, waited };
}

async function main(): Promise<void> {
  const images = argValue('images', 3000);
  const more = argValue('more', 3000);
  const seconds = argValue('seconds', 20);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cnn-bench-concurrency-'));
  const appRoot = findAppRoot();
  const services = createServices({
    dataDir: path.join(root, 'data'),
    workersDir: workersDirFor(appRoot),
    mediaBaseUrl: 'http://127.0.0.1:0/media',
    version: appVersion(appRoot),
  });
  try {
    log(`writing ${images} + ${more} PNGs…`);
    await writePngs(path.join(root, 'first'), images, 0);
    await writePngs(path.join(root, 'more'), more, 1_000_000);
    const project = services.projects.create({ name: 'Bench', inputSize: 28, color: 'gray' });
    const first = await services.dataset.importAndWait(project.id, { paths: [path.join(root, 'first')] });
    log(`imported ${first.imported} images`);
    // One grid page as the UI reads it; answers the project's image count.
    const read = (offset: number) =>
      services.dataset.listImages(project.id, {
        filter: { kind: 'all' },
        sort: 'added',
        descending: false,
        offset,
        limit: PAGE_SIZE,
      }).total;

    log(`idle: reading pages for ${seconds} s…`);
    const idleEnd = performance.now() + seconds * 1000;
    const idle = await readPages(read, () => performance.now() > idleEnd);

    log('busy: training + import + reading pages…');
    const settings = { ...presetSettings('small'), epochs: 1000 };
    const run = services.training.start(project.id, settings, 'bench');
    const runEnded = services.training.waitFor(project.id, run.id);
    await new Promise((r) => setTimeout(r, 2000)); // the run's workers start and train
    let importDone = false;
    const started = performance.now();
    const imported = services.dataset
      .importAndWait(project.id, { paths: [path.join(root, 'more')] })
      .finally(() => (importDone = true));
    const busyEnd = performance.now() + seconds * 1000;
    const busy = await readPages(read, () => importDone && performance.now() > busyEnd);
    const importSeconds = (performance.now() - started) / 1000;
    const second = await imported;
    await services.training.stop(project.id, run.id);
    const outcome = await runEnded;
    const figures = {
      machine: machineInfo(),
      pageSize: PAGE_SIZE,
      intervalMs: INTERVAL_MS,
      imagesBefore: first.imported,
      importedDuringTraining: second.imported,
      importSecondsDuringTraining: round(importSeconds, 1),
      trainingEpochsDone: outcome.run.epochs.length,
      trainingStatus: outcome.run.status,
      idle: { query: stats(idle.query), waited: stats(idle.waited) },
      busy: { query: stats(busy.query), waited: stats(busy.waited) },
    };
    if (JSON_OUT) process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
    else {
      const line = (name: string, l: Latency) =>
        `  ${name.padEnd(34)} p50 ${l.p50} ms  p95 ${l.p95} ms  max ${l.max} ms  (${l.reads} reads)`;
      log(`grid page read (${PAGE_SIZE} images) every ${INTERVAL_MS} ms on ${os.cpus().length} cores:`);
      log(line('idle, query', figures.idle.query));
      log(line('idle, due → answered', figures.idle.waited));
      log(line('training + import, query', figures.busy.query));
      log(line('training + import, due → answered', figures.busy.waited));
      log(
        `  import during training: ${second.imported} images in ${figures.importSecondsDuringTraining} s; ` +
          `(${second.duplicates} duplicates, ${second.failed.length} failed); ` +
          `training: ${figures.trainingEpochsDone} epochs, ${figures.trainingStatus}`,
      );
    }
  } finally {
    await services.dispose();
    if (!hasFlag('keep')) fs.rmSync(root, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
