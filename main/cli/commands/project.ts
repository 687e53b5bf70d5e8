import { Command } from 'commander';
import { PROJECT_LIMITS, type ProjectSummary } from '../../../app/domain/project';
import { confirmOrFail, printResult, type CliContext } from '../cli-context';
import { parseColor, parseSize } from '../parse-options';

function describe(p: ProjectSummary): string {
  const problem = p.problem ? `  [unreadable: ${p.problem}]` : '';
  return `${p.name}  (${p.id})  ${p.inputSize}px ${p.color}, ${p.imageCount} images, ${p.labelCount} labels${problem}`;
}

/** `project create|list|rename|delete|restore|trash`. */
export function projectCommand(ctx: () => CliContext): Command {
  const project = new Command('project').description('create, list, rename, delete and restore projects');

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
    .argument('<project>', 'project id or name')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(async (ref: string, opts: { yes?: boolean }) => {
      const c = ctx();
      const store = c.services().projects;
      const target = store.resolve(ref);
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

  return project;
}
