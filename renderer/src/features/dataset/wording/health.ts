import type { HealthIssue } from '../../../../../app/domain/dataset';
import type { Messages } from '../../../i18n/en';

/** Every health issue kind the page words. */
export const HEALTH_KINDS = Object.keys({
  empty: 1,
  imbalance: 1,
  'too-few': 1,
  unlabeled: 1,
  duplicates: 1,
  conflicts: 1,
  leakage: 1,
  'tiny-images': 1,
  unreadable: 1,
  'empty-split': 1,
} satisfies Record<HealthIssue['kind'], 1>) as HealthIssue['kind'][];

/**
 * One health issue as a sentence in the user's language, from its kind and params. The number of images it names
 * is `params.images` (else `count`), the same count the "Select these N images" button uses when every id is sent.
 */
export function wordHealthIssue(
  t: Messages,
  issue: Pick<HealthIssue, 'kind' | 'params' | 'count' | 'imageIds' | 'severity' | 'labelIds'>,
): string {
  const w = t.wording.health;
  const p = issue.params ?? {};
  const images = p.images ?? issue.count ?? issue.imageIds?.length ?? 0;
  switch (issue.kind) {
    case 'empty':
      return w.empty;
    case 'imbalance': {
      const labels = p.labels ?? [];
      const largest = labels[0];
      const smallest = labels[labels.length - 1];
      if (largest && smallest && labels.length >= 2)
        return w.imbalance(largest.name, largest.count, smallest.name, smallest.count, p.ratio ?? 0);
      return w.imbalanceGeneric(p.ratio ?? 0);
    }
    case 'too-few': {
      const labels = p.labels ?? [];
      // Two forms: too few labels to train (an error, about the project), or labels with too few images.
      if (issue.severity === 'error' && !issue.labelIds) return w.tooFewLabels(p.limit ?? 2);
      const list = labels.map((l) => w.labelCount(l.name, l.count)).join(t.wording.listSeparator);
      return w['too-few'](list, labels.length, p.limit ?? 0);
    }
    case 'unlabeled':
      return w.unlabeled(images);
    case 'duplicates':
      return w.duplicates(images);
    case 'conflicts':
      return w.conflicts(images);
    case 'leakage':
      return w.leakage(images, p.groups ?? 0);
    case 'tiny-images':
      return w['tiny-images'](images, p.side ?? 0);
    case 'unreadable':
      return w.unreadable(p.files ?? issue.count ?? 0);
    case 'empty-split': {
      const labels = p.labels ?? [];
      const list = labels.map((l) => t.wording.quote(l.name)).join(t.wording.listSeparator);
      return w['empty-split'](list, labels.length, p.split ? t.dataset.splits[p.split] : '');
    }
  }
}
