/** Dataset domain types shared by main, the CLI and the page. Plain data only: every value crosses IPC. */

/** The three splits a labelled image can belong to. */
export type SplitName = 'train' | 'val' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'val', 'test'];

/** How an image got its split: seeded stratified assignment, the user, or the folder it was imported from. */
export type SplitSource = 'auto' | 'manual' | 'folder';

/** Ratios of the automatic split; they are normalised to sum 1. */
export interface SplitRatios {
  train: number;
  val: number;
  test: number;
}

/** A class label. `index` is its position in `classNames` (stable, in creation order). */
export interface LabelInfo {
  id: number;
  name: string;
  /** CSS colour `#rrggbb`. */
  color: string;
  index: number;
  /** Images (not removed) carrying this label. */
  imageCount: number;
  createdAt: string;
}

/** One image as lists show it; thumbnails are at `${mediaBaseUrl}/${projectId}/thumb/${sha256}`. */
export interface ImageSummary {
  id: number;
  sha256: string;
  fileName: string;
  labelId: number | null;
  labelName: string | null;
  split: SplitName | null;
  splitSource: SplitSource | null;
  width: number;
  height: number;
  format: string;
  addedAt: string;
  /** Other labels the same bytes were imported under; empty when there is no conflict. */
  conflictLabels: string[];
  /** How many extra files with these exact bytes were seen (0 = unique). */
  duplicateCount: number;
  removedAt: string | null;
  /** The model's suggestion for an unlabeled image (issue 11); null when labeled or none was made. */
  suggestion: { label: string; labelId: number | null; confidence: number } | null;
}

export type ImageFilter =
  | { kind: 'all' }
  | { kind: 'unlabeled' }
  | { kind: 'label'; labelId: number }
  | { kind: 'split'; split: SplitName }
  | { kind: 'duplicates' }
  | { kind: 'conflicts' }
  | { kind: 'removed' }
  /** Labeled images the project's model predicts differently (needs a trained model). */
  | { kind: 'misclassified' }
  /** Unlabeled images whose suggestion is this label (issue 11). */
  | { kind: 'suggested'; labelId: number };

/** `confidence`: the suggestion's confidence (ascending = least confident first); images without one last. */
export type ImageSortKey = 'name' | 'added' | 'label' | 'confidence';

export interface ImagePage {
  total: number;
  offset: number;
  items: ImageSummary[];
}

/** Everything known about one image. */
export interface ImageDetails extends ImageSummary {
  byteSize: number;
  /** Where it was first imported from. */
  sourcePath: string;
  /** Every file path these bytes were seen at (the first one plus duplicates). */
  sources: { path: string; label: string | null; importId: string; seenAt: string }[];
  channels: number;
  hasAlpha: boolean;
  /** Each change of label, oldest first; `label` null = unlabeled. */
  labelHistory: { label: string | null; at: string; cause: string }[];
}

/** One file an import could not use. */
export interface ImportIssue {
  path: string;
  reason: string;
}

/** The outcome of one import (the CLI's `import --json` prints exactly this). */
export interface ImportSummary {
  importId: string;
  projectId: string;
  status: 'completed' | 'cancelled' | 'failed';
  /** New images stored by this import. */
  imported: number;
  /** Files whose exact bytes were already in the project (or earlier in this import) — not stored again. */
  duplicates: number;
  /** Files whose bytes were already present under a different label; the image is kept and flagged. */
  conflicts: number;
  /** Files this project had already imported from the same path (a resumed or repeated import). */
  alreadyImported: number;
  failed: ImportIssue[];
  skipped: ImportIssue[];
  /** New images per label name; `unlabeled` counts those without one. */
  perLabel: Record<string, number>;
  unlabeled: number;
  perSplit: Record<string, number>;
  duplicateList: { path: string; duplicateOf: string; sha256: string }[];
  conflictList: { path: string; sha256: string; labels: string[] }[];
  filesSeen: number;
  elapsedMs: number;
  imagesPerSecond: number;
  /** Set when status is 'failed'. */
  error?: string;
}

/** Pushed while an import runs (about 4×/s). */
export interface ImportProgress {
  projectId: string;
  importId: string;
  phase: 'scanning' | 'importing' | 'finishing';
  /** Files handled so far (any outcome) and the total found by the scan (0 while scanning). */
  done: number;
  total: number;
  imported: number;
  duplicates: number;
  conflicts: number;
  failed: number;
  skipped: number;
  /** Files per second over the run so far. */
  rate: number;
  /** Seconds left at the current rate; null while unknown. */
  etaSeconds: number | null;
}

export interface ImportOptions {
  paths: string[];
  /** Forces this label on every imported image. */
  label?: string;
}

export interface DatasetStats {
  total: number;
  removed: number;
  unlabeled: number;
  perLabel: { labelId: number; name: string; count: number; perSplit: Record<SplitName, number> }[];
  perSplit: Record<SplitName | 'none', number>;
  duplicates: number;
  conflicts: number;
  split: { ratios: SplitRatios; seed: number };
  /** How the images got their splits (folder splits are kept by a reshuffle unless mode is 'all'). */
  splitSources: Partial<Record<SplitSource | 'none', number>>;
}

export type HealthSeverity = 'info' | 'warning' | 'error';

export interface HealthIssue {
  kind:
    | 'empty'
    | 'imbalance'
    | 'too-few'
    | 'unlabeled'
    | 'duplicates'
    | 'conflicts'
    | 'leakage'
    | 'tiny-images'
    | 'unreadable'
    | 'empty-split';
  severity: HealthSeverity;
  message: string;
  /** Image ids (capped at 200) or label ids the issue is about. */
  imageIds?: number[];
  labelIds?: number[];
  count?: number;
}

export interface HealthReport {
  total: number;
  perLabel: { labelId: number; name: string; count: number }[];
  unlabeled: number;
  /** max/min images per label (1 = balanced); null with fewer than two labels. */
  imbalanceRatio: number | null;
  duplicates: number;
  conflicts: number;
  /** Images whose downscaled pixels match an image in another split (likely the same picture). */
  leakage: { groups: number; imageIds: number[] };
  tinyImages: number;
  unreadableFiles: ImportIssue[];
  issues: HealthIssue[];
}

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
  undoDescription: string | null;
  redoDescription: string | null;
}

export interface ExportResult {
  dir: string;
  exported: number;
  manifest: string;
  perLabel: Record<string, number>;
}

/** Thresholds the health report uses. */
export const HEALTH_LIMITS = {
  /** Labels with fewer images than this get a warning. */
  minImagesPerLabel: 10,
  /** Largest/smallest label count above this is an imbalance warning. */
  imbalanceRatio: 3,
  /** Images whose shorter side is below this many pixels are "tiny". */
  tinyImageSide: 16,
} as const;

export const DEFAULT_SPLIT: { ratios: SplitRatios; seed: number } = {
  ratios: { train: 0.8, val: 0.1, test: 0.1 },
  seed: 42,
};
