import { Command, InvalidArgumentError } from 'commander';
import type { ImportProgress, ImportSummary, SplitName } from '../../../app/domain/dataset';
import { printResult, ReportedFailure, type CliContext } from '../cli-context';
import { importSummaryForCli } from '../dataset-text';
import { registerCliCommand } from '../run-cli';
import { storageFailure } from '../../storage/storage-failure';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number ≥ 1');
  return n;
}

function parseRatios(value: string): { train: number; val: number; test: number } {
  const parts = value.split(',').map((v) => Number(v.trim()));
  if (
    parts.length !== 3 ||
    parts.some((n) => !Number.isFinite(n) || n < 0 || n > 1) ||
    parts[0] + parts[1] + parts[2] <= 0
  ) {
    throw new InvalidArgumentError('must be three numbers from 0 to 1, e.g. 0.8,0.1,0.1');
  }
  return { train: parts[0], val: parts[1], test: parts[2] };
}

function parseSplit(value: string): SplitName {
  if (value !== 'train' && value !== 'val' && value !== 'test')
    throw new InvalidArgumentError('must be train, val or test');
  return value;
}

function describeImport(s: ImportSummary): string {
  const lines = [
    `Import ${s.status}: ${s.imported} imported, ${s.duplicates} duplicates, ${s.conflicts} label conflicts, ` +
      `${s.alreadyImported} already imported, ${s.failed.length} failed, ${s.skipped.length} skipped ` +
      `(${(s.elapsedMs / 1000).toFixed(1)} s, ${s.imagesPerSecond} images/s).`,
  ];
  const labels = Object.entries(s.perLabel);
  if (labels.length)
    lines.push(
      'Per label: ' +
        labels.map(([l, n]) => `${l} ${n}`).join(', ') +
        (s.unlabeled ? `, (unlabeled) ${s.unlabeled}` : ''),
    );
  else if (s.unlabeled) lines.push(`Unlabeled: ${s.unlabeled}`);
  for (const c of s.conflictList.slice(0, 20))
    lines.push(`conflict: ${c.path} (labels ${c.labels.join(' vs ')})`);
  for (const f of s.failed) lines.push(`failed: ${f.path}: ${f.reason}`);
  for (const f of s.skipped) lines.push(`skipped: ${f.path}: ${f.reason}`);
  if (s.error) lines.push(`error: ${s.error}`);
  if (s.status !== 'completed')
    lines.push('Run the same command again to resume: files already imported are skipped.');
  return lines.join('\n');
}

/**
 * Why an import exits with 1, or null for exit 0. It succeeds when it ran to the end and every file it found is in
 * the project now or is listed with its reason while at least one image file is in the project (imported, a
 * duplicate, a label conflict or already imported): bad files are listed, never fatal. It fails when it stopped
 * (a storage failure, Ctrl-C) or when no image at all was usable (only broken, missing or non-image files, or none).
 */
export function importFailureReason(s: ImportSummary): string | null {
  if (s.status === 'failed') {
    const storage = s.error ? storageFailure(new Error(s.error)) : undefined;
    const resume = storage
      ? '; the images imported so far are kept, run the same command again to resume'
      : '';
    return `the import failed: ${storage?.message ?? s.error ?? 'unknown error'}${resume}`;
  }
  if (s.status === 'cancelled') return 'the import was cancelled; run the same command again to resume';
  if (s.imported + s.duplicates + s.conflicts + s.alreadyImported > 0) return null;
  const bad = s.failed.length + s.skipped.length;
  return bad > 0
    ? `no image was imported: ${bad} file${bad === 1 ? '' : 's'} could not be (listed above)`
    : 'no image files found in the given paths';
}

function progressLine(p: ImportProgress): string {
  if (p.phase === 'scanning') return 'Scanning…';
  const eta = p.etaSeconds === null ? '' : `, ETA ${p.etaSeconds}s`;
  return `${p.done}/${p.total} files, ${p.imported} new, ${p.duplicates} dup, ${p.failed} failed (${p.rate}/s${eta})`;
}

/** `import PROJECT PATH... [--label L]`. */
export function importCommand(ctx: () => CliContext): Command {
  return new Command('import')
    .description('import images (files, class folders, train/val/test folders) into a project')
    .addHelpText(
      'after',
      '\nExit code 0 when the import finished with at least one image in the project (bad files are listed with\n' +
        'their reason), 1 when it failed or was cancelled or no file was a usable image.',
    )
    .argument('<project>', 'project id or name')
    .argument('<paths...>', 'files or folders')
    .option('--label <label>', 'give every imported image this label')
    .option('--batch-size <n>', 'files per database transaction', positiveInt, 256)
    .option('--concurrency <n>', 'images decoded at once', positiveInt, 4)
    .action(
      async (
        ref: string,
        paths: string[],
        opts: { label?: string; batchSize: number; concurrency: number },
      ) => {
        const c = ctx();
        const s = c.services();
        const project = s.projects.resolve(ref);
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        const tty = Boolean(process.stderr.isTTY);
        try {
          const summary = await s.dataset.importAndWait(
            project.id,
            { paths, ...(opts.label !== undefined ? { label: opts.label } : {}) },
            {
              signal: controller.signal,
              batchSize: opts.batchSize,
              concurrency: opts.concurrency,
              onProgress: tty ? (p) => c.io.err(`\r\x1b[K${progressLine(p)}`) : undefined,
            },
          );
          if (tty) c.io.err('\r\x1b[K');
          printResult(c, importSummaryForCli(summary), () => describeImport(summary));
          const failure = importFailureReason(summary);
          if (failure !== null) {
            c.io.err(`error: ${failure}\n`);
            throw new ReportedFailure(failure); // exit 1; stdout keeps its one summary
          }
        } finally {
          process.removeListener('SIGINT', onSigint);
        }
      },
    );
}

/** `dataset stats|health|labels|split|export`. */
export function datasetCommand(ctx: () => CliContext): Command {
  const dataset = new Command('dataset').description('inspect, split and export a project’s dataset');

  dataset
    .command('stats')
    .description('image counts per label and split')
    .argument('<project>', 'project id or name')
    .action((ref: string) => {
      const c = ctx();
      const s = c.services();
      const stats = s.dataset.stats(s.projects.resolve(ref).id);
      printResult(c, stats, () =>
        [
          `${stats.total} images (${stats.unlabeled} unlabeled, ${stats.removed} removed), ${stats.duplicates} duplicate files, ${stats.conflicts} conflicts`,
          `splits: train ${stats.perSplit.train}, val ${stats.perSplit.val}, test ${stats.perSplit.test}, none ${stats.perSplit.none}`,
          ...stats.perLabel.map(
            (l) =>
              `  ${l.name}: ${l.count} (train ${l.perSplit.train}, val ${l.perSplit.val}, test ${l.perSplit.test})`,
          ),
        ].join('\n'),
      );
    });

  dataset
    .command('health')
    .description('problems that would hurt training')
    .argument('<project>', 'project id or name')
    .action((ref: string) => {
      const c = ctx();
      const s = c.services();
      const report = s.dataset.health(s.projects.resolve(ref).id);
      printResult(c, report, () =>
        report.issues.length === 0
          ? 'No problems found.'
          : report.issues.map((i) => `${i.severity}: ${i.message}`).join('\n'),
      );
    });

  dataset
    .command('labels')
    .description('list labels with image counts')
    .argument('<project>', 'project id or name')
    .action((ref: string) => {
      const c = ctx();
      const s = c.services();
      const labels = s.dataset.listLabels(s.projects.resolve(ref).id);
      printResult(
        c,
        labels,
        () =>
          labels.map((l) => `${l.index}\t${l.name}\t${l.imageCount}\t${l.color}`).join('\n') || 'No labels.',
      );
    });

  dataset
    .command('split')
    .description('assign train/val/test splits (stratified per label, seeded)')
    .argument('<project>', 'project id or name')
    .option('--ratios <t,v,s>', 'train,val,test ratios', parseRatios)
    .option('--seed <n>', 'random seed', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number ≥ 0');
      return n;
    })
    .option(
      '--mode <mode>',
      'fill (only images without a split), reshuffle (automatic ones), all (also folder splits)',
      'reshuffle',
    )
    .action(
      (
        ref: string,
        opts: { ratios?: { train: number; val: number; test: number }; seed?: number; mode: string },
      ) => {
        if (!['fill', 'reshuffle', 'all'].includes(opts.mode))
          throw new InvalidArgumentError('--mode must be fill, reshuffle or all');
        const c = ctx();
        const s = c.services();
        const stats = s.dataset.split(s.projects.resolve(ref).id, {
          mode: opts.mode as 'fill' | 'reshuffle' | 'all',
          ...(opts.ratios ? { ratios: opts.ratios } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        });
        printResult(c, stats, () => {
          const kept =
            opts.mode === 'all' ? 0 : (stats.splitSources.folder ?? 0) + (stats.splitSources.manual ?? 0);
          return (
            `train ${stats.perSplit.train}, val ${stats.perSplit.val}, test ${stats.perSplit.test}` +
            (kept
              ? `\n${kept} images keep the split of their folder or a manual choice (--mode all reassigns them).`
              : '')
          );
        });
      },
    );

  dataset
    .command('export')
    .description('write the images out as class folders plus manifest.csv')
    .argument('<project>', 'project id or name')
    .argument('<dir>', 'a new or empty folder')
    .option('--by-split', 'put class folders under train/ val/ test/')
    .option('--include-unlabeled', 'also export unlabeled images (loose at the top)')
    .option('--split <split>', 'only this split', parseSplit)
    .action(
      async (
        ref: string,
        dir: string,
        opts: { bySplit?: boolean; includeUnlabeled?: boolean; split?: SplitName },
      ) => {
        const c = ctx();
        const s = c.services();
        const result = await s.dataset.exportFolders(s.projects.resolve(ref).id, dir, {
          bySplit: Boolean(opts.bySplit),
          includeUnlabeled: Boolean(opts.includeUnlabeled),
          ...(opts.split ? { split: opts.split } : {}),
        });
        printResult(
          c,
          result,
          () => `Exported ${result.exported} images to ${result.dir} (manifest ${result.manifest}).`,
        );
      },
    );

  dataset
    .command('rebuild-tensors')
    .description('re-decode every image into the training tensor cache (repair)')
    .argument('<project>', 'project id or name')
    .action(async (ref: string) => {
      const c = ctx();
      const s = c.services();
      const result = await s.dataset.rebuildTensors(s.projects.resolve(ref).id);
      printResult(c, result, () =>
        [
          `Rebuilt ${result.rebuilt} tensors.`,
          ...result.failed.map((f) => `failed: image ${f.imageId}: ${f.reason}`),
        ].join('\n'),
      );
    });

  return dataset;
}

registerCliCommand(importCommand);
registerCliCommand(datasetCommand);
