/** Dataset domain types shared by main, the CLI and the page. Plain data only: every value crosses IPC. */

/** A label name's longest length (characters, after NFC and trimming): the contract, main and the page share it. */
export const LABEL_NAME_MAX_LENGTH = 100;

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
  labelHistory: { label: string | null; at: string; cause: LabelChangeCause }[];
}

/**
 * Why an image's label changed (label_history.cause): its import, a labeling action of the user, an accepted model
 * suggestion, an undo or redo of one of those, or a history row written before causes were codes ('other').
 */
export type LabelChangeCause =
  'import' | 'label' | 'suggestion' | 'merge-labels' | 'delete-label' | 'undo' | 'redo' | 'other';

/**
 * Why an import could not use a file. The page words it from the code and `params`; `reason` stays the technical
 * detail in English (the CLI prints it). 'unknown': an issue recorded before codes existed.
 */
export type ImportIssueCode =
  /** File system: the path does not exist, cannot be read, or failed to read. */
  | 'not-found'
  | 'permission-denied'
  | 'symlink-loop'
  | 'io-error'
  | 'read-failed'
  /** A folder that cannot be listed or opened. */
  | 'folder-unreadable'
  /** Not a regular file or folder (device, socket, fifo). */
  | 'not-a-file'
  /** The extension is not an image one; params.ext ('' = no extension). */
  | 'not-an-image-file'
  | 'broken-symlink'
  /** A symbolic link pointing outside the chosen folder (not followed). */
  | 'symlink-outside'
  | 'empty-file'
  /** The file is larger than the import reads; params.mebibytes. */
  | 'file-too-large'
  /** The image has more pixels than allowed; params.width, height, megapixels, limitMegapixels. */
  | 'too-large'
  /** A recognised image of a format the app does not import; params.format. */
  | 'unsupported-format'
  /** HEIC (HEVC) images: this build cannot decode them. */
  | 'heic-unsupported'
  /** The header's size or pixel type makes no sense. */
  | 'invalid-header'
  /** The bytes are not an image this app can read. */
  | 'not-an-image'
  | 'truncated'
  /** The image data is damaged (decoding failed). */
  | 'corrupt'
  /** The same bytes as a file that already failed in this import. */
  | 'same-as-failed'
  | 'unknown';

/** One file an import could not use. */
export interface ImportIssue {
  path: string;
  /** Technical English detail (the CLI prints it); the page words `code` + `params` instead. */
  reason: string;
  code: ImportIssueCode;
  params?: Record<string, string | number>;
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

/**
 * The numbers a health issue is worded from (the page words `kind` + params; `message` is the CLI's English).
 * `count` is always the number of images the issue is about, and `imageIds` are those images (capped at 200).
 */
export interface HealthIssueParams {
  /** Images the issue is about (same as HealthIssue.count). */
  images?: number;
  /** 'leakage': groups of near-identical pictures spread over splits. */
  groups?: number;
  /** 'imbalance': largest/smallest label count, rounded to 0.1, and the limit it is above. */
  ratio?: number;
  limit?: number;
  /** Labels concerned with their image counts ('imbalance': the largest and the smallest; 'too-few': those below limit). */
  labels?: { name: string; count: number }[];
  /** 'empty-split': the split without images. */
  split?: SplitName;
  /** 'tiny-images': the side (px) below which an image counts as tiny. */
  side?: number;
  /** 'unreadable': files that failed to import (not images). */
  files?: number;
}

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
  /** English sentence for the CLI; the page words `kind` + `params`. */
  message: string;
  params: HealthIssueParams;
  /** Image ids (capped at 200) or label ids the issue is about. */
  imageIds?: number[];
  labelIds?: number[];
  /** Images the issue is about (for 'unreadable': files; for 'empty-split'/'empty': 0). */
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

/**
 * What one undoable action did, as data the page words (the CLI words it in main/cli/dataset-text.ts).
 * `label: null` = unlabeled. 'other': an action recorded before descriptions were data (its English text).
 */
export type ActionDescription =
  | { kind: 'label'; count: number; label: string | null }
  | { kind: 'accept-suggestions'; count: number }
  | { kind: 'remove'; count: number }
  | { kind: 'restore'; count: number }
  | { kind: 'split'; count: number; split: SplitName | null }
  | { kind: 'create-label'; label: string }
  | { kind: 'rename-label'; from: string; to: string }
  | { kind: 'recolor-label'; label: string }
  | { kind: 'merge-labels'; sources: string[]; target: string; count: number }
  | { kind: 'delete-label'; label: string; count: number }
  | { kind: 'other'; text: string };

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
  /** English descriptions (legacy; the CLI's wording). The page should word `undoAction`/`redoAction`. */
  undoDescription: string | null;
  redoDescription: string | null;
  undoAction: ActionDescription | null;
  redoAction: ActionDescription | null;
}

/** What `dataset:importStatus` answers. */
export type ImportStatus =
  | { importId: string; state: 'running'; progress: ImportProgress | null }
  | { importId: string; state: 'finished'; summary: ImportSummary }
  | { importId: string; state: 'interrupted'; startedAt: string };

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
