import { Command, InvalidArgumentError } from 'commander';
import type { Suggestion } from '../../../app/domain/suggestions';
import type { Services } from '../../services/services';
import { commandHint, modelRunOf, printResult, type CliContext } from '../cli-context';
import { registerCliCommand } from '../run-cli';
import { percent, table } from '../training-text';

interface SuggestOptions {
  run?: string;
  minConfidence?: number;
  accept?: boolean;
}

/** Rows the human table shows; the summary line counts the rest. */
const SHOWN_ROWS = 20;

/** Parses `--min-confidence`: a fraction (0.9) or a percentage ("90%"), from 0 to 1 (100 %). */
export function parseConfidence(value: string): number {
  const match = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*$/.exec(value);
  const n = match ? Number(match[1]) / (match[2] ? 100 : 1) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError('must be a fraction from 0 to 1 (0.9) or a percentage (90%)');
  return n;
}

/** What the JSON lists per suggestion (the contract: imageId, file, label, confidence). */
const shown = (s: Suggestion) => ({
  imageId: s.imageId,
  file: s.file,
  label: s.label,
  confidence: s.confidence,
});

function suggestionTable(suggestions: Suggestion[]): string {
  const rows = suggestions
    .slice(0, SHOWN_ROWS)
    .map((s) => [String(s.imageId), s.file, s.label, percent(s.confidence)]);
  const more = suggestions.length - rows.length;
  return [
    table(['image', 'file', 'suggested', 'confidence'], rows, [0, 3]),
    ...(more > 0 ? [`… ${more} more (--json lists every one)`] : []),
  ].join('\n');
}

/**
 * The stored suggestions when they are fresh for `runId`, else fresh ones: none yet, stale (images or labels
 * changed), or made by another run than the one asked for.
 */
async function ensureFresh(s: Services, projectId: string, runId: string): Promise<boolean> {
  const status = s.suggestions.status(projectId);
  const fresh =
    status.state === 'ready' &&
    status.runId === runId &&
    status.stale.every((reason) => reason === 'model-changed'); // judged against runId just above
  if (!fresh) await s.suggestions.refreshAndWait(projectId, runId);
  return !fresh;
}

async function suggest(c: CliContext, ref: string, opts: SuggestOptions): Promise<void> {
  const s = c.services();
  const { projectId, run } = modelRunOf(c, ref, opts.run);
  const made = await ensureFresh(s, projectId, run.id);
  const threshold = opts.minConfidence;
  const above = threshold === undefined ? '' : ` at or above ${percent(threshold)}`;
  const source = `run ${run.name}${made ? ', just made' : ''}`;

  if (opts.accept) {
    const result = s.suggestions.accept(projectId, { minConfidence: threshold ?? 0 });
    const suggestions = result.suggestions.map(shown);
    printResult(c, { accepted: result.accepted, suggestions }, () =>
      [
        ...(result.accepted ? [suggestionTable(result.suggestions), ''] : []),
        `Accepted ${result.accepted} suggestion${result.accepted === 1 ? '' : 's'}${above} (${source}) ` +
          'as one labeling action (undo it in the app).',
      ].join('\n'),
    );
    return;
  }
  const list = s.suggestions.list(projectId, threshold);
  const unlabeled = s.suggestions.status(projectId).unlabeled;
  printResult(c, { suggestions: list.map(shown) }, () =>
    [
      ...(list.length ? [suggestionTable(list), ''] : []),
      `${list.length} suggestion${list.length === 1 ? '' : 's'}${above} for ${unlabeled} unlabeled ` +
        `image${unlabeled === 1 ? '' : 's'} (${source}).` +
        (list.length
          ? ` Accept them with: ${commandHint(c, 'suggest', ref, ...(threshold === undefined ? [] : ['--min-confidence', String(threshold)]), '--accept')}`
          : ''),
    ].join('\n'),
  );
}

/** `suggest PROJECT [--run R] [--min-confidence X] [--accept]`. */
export function suggestCommand(ctx: () => CliContext): Command {
  return new Command('suggest')
    .description(
      "the model's label suggestions for unlabeled images (made when there are none or they are stale); " +
        '--accept labels the images with them as one undoable action',
    )
    .argument('<project>', 'project id or name')
    .option('--run <run>', "run id or name (default: the project's model)")
    .option('--min-confidence <x>', 'only suggestions at or above this: 0.9 or 90%', parseConfidence)
    .option('--accept', 'label the images with these suggestions (one undoable action)')
    .action((ref: string, opts: SuggestOptions) => suggest(ctx(), ref, opts));
}

registerCliCommand(suggestCommand);
