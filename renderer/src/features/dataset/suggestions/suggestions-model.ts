import type { ImageFilter, ImageSortKey, ImageSummary, LabelInfo } from '../../../../../app/domain/dataset';
import type { AcceptSuggestionsResult, SuggestionsStatus } from '../../../../../app/domain/suggestions';
import type { SuggestionsMessages } from '../../../i18n/suggestions-en';

/**
 * Pure helpers of label suggestions in the Dataset view (issue 11): what the page shows and what a key does,
 * kept apart from React so they are tested on their own.
 */

/**
 * A confidence in [0, 1] as the whole percent the page shows. Rounded down, like the status histogram bins, so an
 * image shown as "90 %" is one "accept all at or above 90 %" takes.
 */
export function confidencePercent(confidence: number): number {
  return Math.max(0, Math.min(100, Math.floor(confidence * 100 + 1e-9)));
}

/** Suggestions at or above `percent` % confidence, from the status histogram (bin i = [i %, i+1 %)). */
export function countAtOrAbove(histogram: readonly number[], percent: number): number {
  let sum = 0;
  for (let i = Math.max(0, Math.ceil(percent)); i < histogram.length; i++) sum += histogram[i];
  return sum;
}

/**
 * How many of `total` images, listed by confidence descending, are at or above `minConfidence`: a binary search
 * that reads the confidence at one position per step (null: no suggestion there, which sorts last). Used for the
 * preview of one suggested label, which the project-wide histogram cannot tell.
 */
export async function countSortedAtOrAbove(
  total: number,
  minConfidence: number,
  confidenceAt: (index: number) => Promise<number | null>,
): Promise<number> {
  let low = 0; // every index below low is at or above
  let high = total; // every index from high on is below
  while (low < high) {
    const mid = (low + high) >>> 1;
    const confidence = await confidenceAt(mid);
    if (confidence !== null && confidence >= minConfidence) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The images Enter accepts: of the targeted ids, those whose suggestion names a project label, plus those not
 * loaded on this page (main leaves alone any without one). Empty: Enter opens the image as before.
 */
export function suggestionTargets(
  ids: readonly number[],
  lookup: (id: number) => ImageSummary | undefined,
): number[] {
  return ids.filter((id) => {
    const image = lookup(id);
    return image === undefined || (image.suggestion !== null && image.suggestion.labelId !== null);
  });
}

/** Whether an image given `labelId` no longer matches `filter` (so labeling moves on without skipping one). */
export function leavesFilter(filter: ImageFilter, labelId: number | null): boolean {
  return (
    ((filter.kind === 'unlabeled' || filter.kind === 'suggested') && labelId !== null) ||
    (filter.kind === 'label' && filter.labelId !== labelId)
  );
}

/** The two quick orders of unlabeled images by suggestion confidence, and which (if any) is on. */
export type QuickOrder = 'least-confident' | 'most-confident';

export function quickOrderQuery(order: QuickOrder): {
  filter: ImageFilter;
  sort: ImageSortKey;
  descending: boolean;
} {
  return { filter: { kind: 'unlabeled' }, sort: 'confidence', descending: order === 'most-confident' };
}

export function activeQuickOrder(
  filter: ImageFilter,
  sort: ImageSortKey,
  descending: boolean,
): QuickOrder | null {
  if (filter.kind !== 'unlabeled' || sort !== 'confidence') return null;
  return descending ? 'most-confident' : 'least-confident';
}

/** The sentence saying why suggestions are out of date; null when they are not. */
export function staleText(status: SuggestionsStatus, t: SuggestionsMessages): string | null {
  if (status.stale.length === 0) return null;
  return t.stale.sentence(status.stale.map((reason) => t.stale[reason]).join(t.stale.joiner));
}

/** A failed refresh in words (the technical detail is shown apart). */
export function failureText(error: SuggestionsStatus['error'], t: SuggestionsMessages): string {
  return (error && t.failed.codes[error.code]) ?? t.failed.unknown;
}

/** The toast after accepting: the label when every accepted suggestion had the same one. */
export function acceptedText(result: AcceptSuggestionsResult, t: SuggestionsMessages): string {
  if (result.accepted === 0) return t.noneAccepted;
  const labels = new Set(result.suggestions.map((s) => s.label));
  return labels.size === 1
    ? t.acceptedToast(result.accepted, [...labels][0])
    : t.acceptedManyToast(result.accepted);
}

/** What the suggestions bar shows for a status. */
export type BarMode = 'hidden' | 'no-model' | 'offer' | 'running' | 'ready' | 'failed';

export function barMode(status: SuggestionsStatus | null, unlabeled: number): BarMode {
  if (!status) return 'hidden';
  if (status.state === 'running') return 'running';
  if (status.state === 'failed') return status.modelRunId ? 'failed' : 'no-model';
  if (!status.modelRunId)
    return status.state === 'ready' && status.count > 0 ? 'ready' : unlabeled > 0 ? 'no-model' : 'hidden';
  if (status.state === 'none') return unlabeled > 0 ? 'offer' : 'hidden';
  return status.count > 0 || status.stale.length > 0 ? 'ready' : 'hidden';
}

/** A grid cell's suggestion: the suggested label (its colour when it is a project label) and whole percent. */
export interface CellSuggestion {
  label: string;
  color: string | null;
  percent: number;
}

/** The suggestion a cell shows; null for labeled images and images without one. */
export function suggestionOf(
  image: ImageSummary,
  labelById: ReadonlyMap<number, LabelInfo>,
): CellSuggestion | null {
  const s = image.suggestion;
  if (!s || image.labelId !== null) return null;
  const label = s.labelId !== null ? labelById.get(s.labelId) : undefined;
  return {
    label: label?.name ?? s.label,
    color: label?.color ?? null,
    percent: confidencePercent(s.confidence),
  };
}
