import type { ImportIssue, ImportSummary } from '../../../app/domain/dataset';
import type { DecodedImage } from './decode';
import type { ScannedFile } from './scan';

/** What the import decided for one file, waiting in a batch for its commit. */
export type Outcome =
  | { kind: 'new'; file: ScannedFile; sha: string; image: DecodedImage; byteSize: number; blobFile: string }
  | { kind: 'dup'; file: ScannedFile; sha: string; applyLabel: string | null; conflictLabel: string | null }
  | ({ kind: 'issue'; issueKind: 'failed' | 'skipped' } & ImportIssue);

/** A file its commit found another process had imported meanwhile (see the importer's `commit`). */
export type Reclassified = { item: Extract<Outcome, { kind: 'new' | 'dup' }> } & (
  { as: 'already' } | { as: 'duplicate'; duplicateOf: string } | { as: 'conflict'; labels: string[] }
);

/** Moves re-classified files from the counts they were given to the ones their commit found. */
export function correctSummary(summary: ImportSummary, changes: Reclassified[]): void {
  for (const change of changes) {
    const { item } = change;
    const file = item.file;
    if (item.kind === 'new') {
      summary.imported--;
      if (file.label) {
        summary.perLabel[file.label]--;
        if (summary.perLabel[file.label] === 0) delete summary.perLabel[file.label];
      } else summary.unlabeled--;
    } else if (item.conflictLabel) {
      summary.conflicts--;
      removeFirst(summary.conflictList, (c) => c.path === file.path && c.sha256 === item.sha);
    } else {
      summary.duplicates--;
      removeFirst(summary.duplicateList, (d) => d.path === file.path && d.sha256 === item.sha);
    }
    if (change.as === 'already') summary.alreadyImported++;
    else if (change.as === 'duplicate') {
      summary.duplicates++;
      summary.duplicateList.push({ path: file.path, duplicateOf: change.duplicateOf, sha256: item.sha });
    } else {
      summary.conflicts++;
      summary.conflictList.push({ path: file.path, sha256: item.sha, labels: change.labels });
    }
  }
}

function removeFirst<T>(list: T[], match: (value: T) => boolean): void {
  const index = list.findIndex(match);
  if (index >= 0) list.splice(index, 1);
}
