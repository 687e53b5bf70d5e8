import type { PredictionFailureCode } from '../../../app/domain/prediction';

/**
 * English strings of the Predict section, the window drop's "predict or import?" question and the file pickers
 * (`t.predict`). Main sends codes, numbers and labels; every word is here. zh-CN has the same shape
 * (predict-zh-CN.ts). Numbers arrive formatted where a locale matters (percentages).
 */
export const predictEn = {
  title: 'Predict',
  intro: 'Classify new images with a trained model. Nothing leaves this computer.',
  runLabel: 'Model',
  topKLabel: 'Classes shown',
  topK: (k: number) => `Top ${k}`,
  openModelFile: 'Open a model file…',
  modelFile: (name: string) => `Model file ${name}`,
  modelFileStatus: {
    loading: (name: string) => `Loading ${name}…`,
    ready: (name: string, classes: number, size: number, colour: string) =>
      `${name}: ${classes} classes, ${size}×${size} px ${colour}.`,
    gray: 'grayscale',
    rgb: 'colour',
    missing: (name: string) => `${name} no longer exists.`,
    bad: (name: string) => `${name} is not a CNN Studio model file.`,
    failed: (name: string) => `${name} could not be loaded.`,
  },
  noModel: {
    title: 'No model to predict with',
    body: 'Train a model in Train first; its predictions then appear here.',
    training: 'A model is training. You can predict here as soon as the run finishes.',
    goTrain: 'Go to Train',
  },
  drop: {
    title: 'Drop images or a folder here',
    body: 'One image, many, or a whole folder (subfolders too). Or paste an image with Ctrl+V.',
    active: 'Drop to predict',
    noPaths: 'The dropped items have no file paths.',
  },
  pickers: {
    images: 'Choose images…',
    files: 'Choose files…',
    folder: 'Choose folder…',
    filesShort: 'Files…',
    folderShort: 'Folder…',
    failed: 'Could not open the file dialog.',
  },
  paste: {
    failed: 'Could not use the pasted image.',
    notImage: 'The clipboard holds no image.',
  },
  startFailed: 'Could not start predicting.',
  again: 'Predict again',
  clear: 'Clear',
  starting: 'Reading the images…',
  cards: {
    label: 'Predictions',
    explainFailed: 'No heat map for this image.',
    thumbPending: 'Loading the preview…',
    chipHint: 'Click a class to see what made the model think of it.',
    classButton: (label: string, percent: string) => `${label}: ${percent}. Show its heat map`,
    explaining: (label: string) => `Heat map of ${label}`,
    flat: (label: string) => `No region stands out for ${label}`,
    overlay: 'Heat map',
    overlayHint: 'Where the image made the model choose the class (Grad-CAM): warm colours count most.',
    opacity: 'Opacity',
    imageAlt: (name: string) => `Preview of ${name}`,
    low: 'less',
    high: 'more',
  },
  failures: {
    'not-found': 'The file no longer exists.',
    unreadable: 'The file could not be read.',
    'not-an-image': 'This is not an image CNN Studio can read.',
    'too-large': 'The image is too large to decode safely.',
    'decode-failed': 'The image is damaged or truncated.',
    'inference-failed': 'The model could not process this image.',
  } satisfies Record<PredictionFailureCode, string>,
  batchFailures: {
    'no-model': 'This project has no trained model yet.',
    generic: 'Predicting stopped with an error.',
  },
  batch: {
    progressLabel: 'Prediction progress',
    running: 'Predicting…',
    progress: (done: number, total: number) =>
      `${done.toLocaleString('en')} of ${total.toLocaleString('en')} images`,
    rate: (perSecond: number) => `${perSecond.toFixed(perSecond < 10 ? 1 : 0)} images/s`,
    cancel: 'Cancel',
    status: { completed: 'Done', cancelled: 'Cancelled', failed: 'Failed' },
    summary: (predicted: number, failed: number) =>
      `${predicted.toLocaleString('en')} predicted · ${failed.toLocaleString('en')} failed`,
    exportCsv: 'Export CSV…',
    copyToFolders: 'Copy into folders by predicted label…',
    exported: (rows: number, file: string) => `Saved ${rows.toLocaleString('en')} rows to ${file}.`,
    exportFailed: 'Could not export the CSV.',
    copied: (copied: number, dir: string) => `Copied ${copied.toLocaleString('en')} images into ${dir}.`,
    copiedWithFailures: (copied: number, failed: number, dir: string) =>
      `Copied ${copied.toLocaleString('en')} images into ${dir}; ${failed.toLocaleString('en')} could not be copied.`,
    copyFailed: 'Could not copy the images.',
    failedFiles: (n: number) =>
      n === 1 ? '1 file could not be predicted' : `${n.toLocaleString('en')} files could not be predicted`,
    more: (n: number) => `… and ${n.toLocaleString('en')} more`,
  },
  table: {
    label: 'Prediction results',
    file: 'File',
    predicted: 'Predicted class',
    confidence: 'Confidence',
    others: 'Next classes',
    feedback: 'Feedback',
    sortBy: (column: string) => `Sort by ${column}`,
    empty: 'No image was predicted.',
  },
  feedback: {
    right: 'Right',
    rightHint: (label: string) => `Right: add this image to the dataset as “${label}”`,
    wrong: 'Wrong → correct label…',
    wrongShort: 'Wrong…',
    wrongHint: 'Wrong: pick the correct label; the image is added to the dataset with it',
    adding: 'Adding…',
    added: (label: string) => `Added to the dataset as “${label}”.`,
    duplicate: (label: string) => `Already in the dataset, labeled “${label}”.`,
    failed: (reason: string) => `Not added: ${reason}`,
    failedShort: 'Not added',
  },
  windowDrop: {
    title: (n: number) =>
      n === 1 ? 'What should happen to the dropped item?' : `What should happen to the ${n} dropped items?`,
    body: 'You can classify them with the project’s model, or add them to the dataset.',
    predict: (n: number) => (n === 1 ? 'Predict this item' : `Predict these ${n} items`),
    import: 'Import into the dataset',
    cancel: 'Cancel',
    overlay: 'Drop to predict or import',
    importFailed: 'Could not start the import.',
  },
};

/** The shape of the Predict strings in every language. */
export type PredictMessages = typeof predictEn;
