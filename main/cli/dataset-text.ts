import type { ActionDescription, ImportIssue, ImportSummary } from '../../app/domain/dataset';

/**
 * The English wording of dataset data that main sends as codes and numbers (issue 12): the CLI prints these, and
 * the legacy English fields (UndoState.undoDescription, dataset:undo's `undone`) are worded here until the page
 * words the data itself. The page has its own wording in its dictionaries (en, zh-CN).
 */

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One undoable action in English, e.g. `Label 3 images "Bag"`. */
export function actionText(action: ActionDescription): string {
  switch (action.kind) {
    case 'label':
      return action.label === null
        ? `Unlabel ${plural(action.count, 'image')}`
        : `Label ${plural(action.count, 'image')} "${action.label}"`;
    case 'accept-suggestions':
      return `Accept ${plural(action.count, 'suggestion')}`;
    case 'remove':
      return `Remove ${plural(action.count, 'image')}`;
    case 'restore':
      return `Restore ${plural(action.count, 'image')}`;
    case 'split':
      return action.split === null
        ? `Reset split of ${plural(action.count, 'image')}`
        : `Move ${plural(action.count, 'image')} to ${action.split}`;
    case 'create-label':
      return `Create label "${action.label}"`;
    case 'rename-label':
      return `Rename label "${action.from}" to "${action.to}"`;
    case 'recolor-label':
      return `Recolour label "${action.label}"`;
    case 'merge-labels':
      return `Merge ${action.sources.map((s) => `"${s}"`).join(', ')} into "${action.target}"`;
    case 'delete-label':
      return `Delete label "${action.label}"`;
    case 'other':
      return action.text;
  }
}

/**
 * The summary `import --json` prints: the README documents `failed`/`skipped` as `[{path, reason}]`, so the codes
 * the page words from are left out of the CLI's contract.
 */
export function importSummaryForCli(summary: ImportSummary): Omit<ImportSummary, 'failed' | 'skipped'> & {
  failed: { path: string; reason: string }[];
  skipped: { path: string; reason: string }[];
} {
  const plain = ({ path, reason }: ImportIssue) => ({ path, reason });
  return { ...summary, failed: summary.failed.map(plain), skipped: summary.skipped.map(plain) };
}
