/**
 * English strings of the Evaluate section (`t.evaluation`) and the Dataset grid's "misclassified" filter. Kept in
 * their own file so the feature adds one line to en.ts; zh-CN has the same shape (evaluation-zh-CN.ts). Numbers
 * arrive formatted for the current language (percentages, decimals).
 */
export const evaluationEn = {
  title: 'Evaluate',
  intro:
    'How the model does on images it did not learn from: overall, class by class, and the images it gets wrong.',
  runLabel: 'Run',
  modelRun: (name: string) => `${name} (project model)`,
  runAccuracy: (name: string, accuracy: string) => `${name} · ${accuracy}`,
  splitLabel: 'Images',
  splits: { val: 'Validation', test: 'Test', train: 'Training' },
  loading: 'Evaluating…',
  loadFailed: 'Could not evaluate the model.',
  runsFailed: 'Could not list the runs.',
  retry: 'Try again',
  noModel: {
    training: 'A model is training. Its results appear here when the run finishes.',
    goTrain: 'Go to Train',
  },
  emptySplit: {
    title: (split: string) => `No labeled images in ${split}`,
    body: 'Pick another split above, or move labeled images into this split in Dataset.',
  },
  metrics: {
    label: 'Results',
    accuracy: 'Accuracy',
    loss: 'Loss',
    count: 'Images',
    macroF1: 'Macro F1',
    correct: (correct: number, count: number) =>
      `${correct.toLocaleString('en')} of ${count.toLocaleString('en')} right`,
    lossHint: 'Mean cross-entropy',
    countHint: (split: string) => `${split} split`,
    macroF1Hint: 'Mean F1 over the classes',
  },
  unknownLabels: (n: number) =>
    `${n.toLocaleString('en')} ${n === 1 ? 'image has a label' : 'images have labels'} the model was not trained on (not counted).`,
  matrix: {
    heading: 'Confusion matrix',
    caption:
      'Rows: the true label. Columns: what the model predicted. Shading: the share of the row. Click a cell to see its images.',
    trueAxis: 'True label',
    predictedAxis: 'Predicted',
    cell: (count: number, trueLabel: string, predicted: string, share: string) =>
      `${count.toLocaleString('en')} ${count === 1 ? 'image' : 'images'} labeled ${trueLabel}, predicted ${predicted} (${share} of ${trueLabel})`,
    rowTotal: 'Total',
  },
  cell: {
    heading: (trueLabel: string, predicted: string) => `${trueLabel} predicted as ${predicted}`,
    correctHeading: (label: string) => `${label}, predicted correctly`,
    hintTitle: 'Images of a cell',
    hint: 'Click a cell of the matrix to see its images here and relabel them.',
    loading: 'Loading images…',
    failed: 'Could not load the images.',
    empty: 'No images in this cell any more.',
    listLabel: (trueLabel: string, predicted: string) =>
      `Images labeled ${trueLabel} predicted as ${predicted}`,
    predicted: (label: string, confidence: string) => `${label} ${confidence}`,
    predictedTitle: 'Predicted class and confidence',
    image: (file: string, label: string, predicted: string, confidence: string) =>
      `${file}: labeled ${label}, predicted ${predicted} (${confidence})`,
    labelOf: (file: string) => `Label of ${file}`,
    shown: (shown: number, total: number) =>
      `Showing ${shown.toLocaleString('en')} of ${total.toLocaleString('en')}`,
    keys: 'Arrows move · 1–9 relabel as that label · Esc back to the matrix',
    close: 'Close',
  },
  classes: {
    heading: 'Per class',
    label: 'Label',
    precision: 'Precision',
    recall: 'Recall',
    f1: 'F1',
    support: 'Images',
    caption:
      'Precision: of the images predicted as the class, how many are. Recall: of the class, how many were found.',
  },
  mislabeled: {
    heading: 'Likely mislabeled',
    intro: 'Training images whose label the model finds least likely, worst first. Often the label is wrong.',
    keys: 'Enter or A: take the model’s label · 1–9: another label · ↑↓ move · Ctrl+Z undo',
    listLabel: 'Likely mislabeled training images',
    loading: 'Looking for disagreements…',
    failed: 'Could not list the likely mislabeled images.',
    empty: 'The model agrees with every training label.',
    labeled: (label: string) => `Labeled ${label}`,
    suggests: (label: string, confidence: string) => `Model: ${label} (${confidence})`,
    accept: (label: string) => `Relabel as ${label}`,
    loss: (loss: string) => `loss ${loss}`,
    item: (file: string, label: string, predicted: string, confidence: string) =>
      `${file}: labeled ${label}, the model says ${predicted} (${confidence})`,
  },
  unlabeled: 'Unlabeled',
  relabelFailed: 'Could not relabel the image.',
  relabeled: (file: string, label: string) => `${file} is now ${label}.`,
  undo: 'Undo',
  undone: (what: string) => `Undone: ${what}`,
  undoFailed: 'Could not undo.',
  /** The Dataset grid's filter of labeled images the model predicts differently. */
  misclassifiedFilter: 'Misclassified',
};

/** The shape of the Evaluate section's strings in every language. */
export type EvaluationMessages = typeof evaluationEn;
