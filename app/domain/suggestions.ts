/**
 * Label suggestions (issue 11): the project's model predicts every unlabeled image; the grid shows each guess with
 * its confidence, and the user accepts (an ordinary, undoable labeling action) or overrides it. A suggestion is
 * never a label until accepted. Main sends data (codes, numbers, labels); the page words it.
 */

/** The model's top-1 guess for one unlabeled image. `confidence` is its softmax probability in [0, 1]. */
export interface Suggestion {
  imageId: number;
  /** Where the image was imported from (its first source path), else its file name. */
  file: string;
  /** The suggested class name (as the model's run knows it). */
  label: string;
  /** The project label of that name; null when the project no longer has it (renamed or deleted). */
  labelId: number | null;
  confidence: number;
}

/** Why stored suggestions no longer describe the project: the page offers a refresh. */
export type SuggestionStaleReason =
  /** The project's model is another run than the one that made them. */
  | 'model-changed'
  /** Unlabeled images were added (or restored) after they were made: some have none. */
  | 'new-images'
  /** A class the model suggests is no longer a project label (renamed or deleted). */
  | 'labels-changed';

/** The suggestions of a project, as `suggestions:status` answers and `suggestions:finished` pushes. */
export interface SuggestionsStatus {
  projectId: string;
  /** none: never made (or no model); running: being made now; ready: stored; failed: the last refresh failed. */
  state: 'none' | 'running' | 'ready' | 'failed';
  /** The run that made the stored suggestions. */
  runId: string | null;
  /** The project's model run now (null: no trained model, suggestions cannot be made). */
  modelRunId: string | null;
  /** When the stored suggestions were made (ISO). */
  computedAt: string | null;
  /** Unlabeled (not removed) images that have a suggestion, and all unlabeled images. */
  count: number;
  unlabeled: number;
  /** Empty when fresh. */
  stale: SuggestionStaleReason[];
  /**
   * Suggestions of unlabeled images per confidence percent: bin i counts confidence in [i/100, (i+1)/100), the last
   * bin includes 1. "Accept all above N %" previews its count as the sum of bins N..99.
   */
  histogram: number[];
  /** While running: images predicted so far and in all. */
  progress: { done: number; total: number } | null;
  /** Set when state is 'failed': a code the page words, and the technical detail. */
  error: { code: string; detail: string } | null;
}

/** Pushed while suggestions are made (at most ~10×/s). */
export interface SuggestionsProgress {
  projectId: string;
  done: number;
  total: number;
}

/** What accepting suggestions did (one undoable labeling action; 0 accepted: nothing recorded). */
export interface AcceptSuggestionsResult {
  accepted: number;
  /** The suggestions accepted. */
  suggestions: Suggestion[];
}
