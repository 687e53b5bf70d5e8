import { Command } from 'commander';
import { PROJECT_LIMITS, type ProjectSummary } from '../../../app/domain/project';
import { confirmOrFail, printResult, type CliContext } from '../cli-context';
import { parseColor, parseSize } from '../parse-options';

function describe(p: ProjectSummary): string {
  if (p.problem) return `${p.name}  (${p.id})  DAMAGED: ${p.problem}${backupsText(p)}`;
  return `${p.name}  (${p.id})  ${p.inputSize}px ${p.color}, ${p.imageCount} images, ${p.labelCount} labels`;
}

/** A damaged project's backups and the command that restores the newest. */
function backupsText(p: ProjectSummary): string {
  const backups = p.damage?.backups ?? [];
  if (backups.length === 0) return '\n    no backups';
  const list = backups.map((b) => `\n    backup ${b.file}  (${b.createdAt}, ${b.bytes} bytes)`).join('');
  return `${list}\n    restore the newest: cnn-studio project restore-backup ${p.id}`;
}

/** `project create|list|rename|delete|restore|trash|restore-backup`. */
export function projectCommand(ctx: () => CliContext): Command {
  const project = new Command('project').description(
    'create, list, rename, delete and restore projects; restore a damaged one from its backups',
  );

  project
    .command('create')
    .description('create a project')
    .argument('<name>', 'project name')
    .option(
      '--size <px>',
      'network input size in pixels (square)',
      parseSize,
      PROJECT_LIMITS.defaultInputSize,
    )
    .option('--color <mode>', 'gray or rgb', parseColor, 'gray')
    .action((name: string, opts: { size: number; color: 'gray' | 'rgb' }) => {
      const c = ctx();
      const created = c.services().projects.create({ name, inputSize: opts.size, color: opts.color });
      printResult(c, created, () => `Created ${describe(created)}`);
    });

  project
    .command('list')
    .description('list projects')
    .action(() => {
      const c = ctx();
      const all = c.services().projects.list();
      printResult(c, all, () => (all.length === 0 ? 'No projects yet.' : all.map(describe).join('\n')));
    });

  project
    .command('rename')
    .description('rename a project')
    .argument('<project>', 'project id or name')
    .argument('<new-name>', 'the new name')
    .action((ref: string, newName: string) => {
      const c = ctx();
      const store = c.services().projects;
      const renamed = store.rename(store.resolve(ref).id, newName);
      printResult(c, renamed, () => `Renamed to ${describe(renamed)}`);
    });

  project
    .command('delete')
    .description('move a project to the trash (recoverable with "project restore")')
    .argument('<project>', 'project id or name (a damaged project: its id)')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }) => {
      const c = ctx();
      const store = c.services().projects;
      const target = store.resolve(ref, { damaged: true });
      await confirmOrFail(c, opts.yes, `Move project "${target.name}" to the trash?`);
      const trashed = store.delete(target.id);
      printResult(
        c,
        trashed,
        () => `Moved "${trashed.name}" to the trash (restore: project restore ${trashed.id}).`,
      );
    });

  project
    .command('trash')
    .description('list deleted projects')
    .action(() => {
      const c = ctx();
      const trashed = c.services().projects.listTrash();
      printResult(c, trashed, () =>
        trashed.length === 0
          ? 'The trash is empty.'
          : trashed.map((t) => `${t.name}  (${t.id})  deleted ${t.deletedAt}`).join('\n'),
      );
    });

  project
    .command('restore')
    .description('restore a deleted project from the trash')
    .argument('<id>', 'id of the deleted project')
    .action((id: string) => {
      const c = ctx();
      const restored = c.services().projects.restore(id);
      printResult(c, restored, () => `Restored ${describe(restored)}`);
    });

  project
    .command('restore-backup')
    .description(
      "replace a damaged project's database with one of its automatic backups (the damaged file is kept beside)",
    )
    .argument('<project>', 'project id (a damaged project has no readable name)')
    .option('--backup <file>', 'the backup file name (see "project list"); default: the newest sound one')
    .option('--force', 'also when the project opens fine (its current data is kept beside, not used)')
    .action((ref: string, opts: { backup?: string; force?: boolean }) => {
      const c = ctx();
      const store = c.services().projects;
      const target = store.resolve(ref, { damaged: true });
      const restored = store.restoreBackup(target.id, { file: opts.backup, force: opts.force });
      printResult(c, restored, () =>
        [
          `Restored ${describe(restored.project)} from ${restored.backup}.`,
          restored.keptAs ? `The replaced database is kept as ${restored.keptAs}.` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  return project;
}
