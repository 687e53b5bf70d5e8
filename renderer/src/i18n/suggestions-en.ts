/**
 * English strings of label suggestions in the Dataset view (`t.suggestions`) (issue 11). Main sends codes, numbers
 * and labels; every word is here, and numbers are formatted for this language here too. zh-CN has the same shape
 * (suggestions-zh-CN.ts).
 */
const count = (n: number) => n.toLocaleString('en-US');
const percentFormat = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });
/** A whole percent (0–100) as the language writes it. */
const percent = (p: number) => percentFormat.format(Number(p) / 100);
const images = (n: number) => (Number(n) === 1 ? '1 image' : `${count(n)} images`);

export const suggestionsEn = {
  percent,
  /** The cell's accessible name part and tooltip: "suggested: Coat, 87 %". */
  cellName: (label: string, p: number) => `suggested: ${label}, ${percent(p)}`,
  cellTitle: (label: string, p: number) =>
    `Suggested by the model: ${label} (${percent(p)} sure). Enter accepts.`,
  acceptOne: (label: string, p: number) => `Accept “${label}” (${percent(p)})`,
  barLabel: 'Label suggestions',
  noModelHint: 'Train a model and it will suggest labels for the unlabeled images.',
  suggest: 'Suggest labels',
  suggestHint: (n: number) => `The model can guess a label for ${images(n)} without one.`,
  running: (done: number, total: number) => `Suggesting labels: ${count(done)} of ${count(total)}`,
  runningStart: 'Suggesting labels…',
  cancel: 'Cancel',
  ready: (n: number) => (Number(n) === 1 ? '1 suggestion' : `${count(n)} suggestions`),
  readyAs: (n: number, label: string) => `${count(n)} suggested as “${label}”`,
  acceptAllLabel: 'Accept all at or above',
  thresholdLabel: 'Minimum confidence in percent',
  preview: (n: number) => `${images(n)}`,
  acceptAll: (n: number) => `Accept ${count(n)}…`,
  confirmTitle: (n: number) => (Number(n) === 1 ? 'Accept 1 suggestion?' : `Accept ${count(n)} suggestions?`),
  confirmBody: (n: number, p: number) =>
    `${images(n)} the model is at least ${percent(p)} sure about get the label it suggests. Undo takes it back.`,
  confirmBodyFor: (n: number, p: number, label: string) =>
    `${images(n)} suggested as “${label}” with at least ${percent(p)} confidence get that label. Undo takes it back.`,
  confirm: 'Accept',
  refresh: 'Refresh',
  stale: {
    sentence: (reasons: string) => `These suggestions are out of date: ${reasons}.`,
    'model-changed': 'the project uses another model now',
    'new-images': 'new images have none yet',
    'labels-changed': 'some suggested labels were renamed or deleted',
    joiner: '; ',
  },
  failed: {
    message: (reason: string) => `Suggestions could not be made. ${reason}`,
    codes: {
      'no-model': 'The project has no trained model.',
      'input-mismatch': 'The model expects another image size than the project’s.',
      'tensors-missing':
        'Some images have no prepared pixels (the tensor cache). Rebuild it with “cnn-studio dataset rebuild-tensors”.',
      'bad-model-file': 'The model file could not be read.',
      'inference-failed': 'The model stopped while predicting.',
      'prediction-failed': 'Predicting the unlabeled images failed.',
    } as Record<string, string>,
    unknown: 'Something went wrong while predicting the unlabeled images.',
    detail: 'Details',
    retry: 'Try again',
  },
  actionFailed: 'Could not make or accept suggestions.',
  acceptedToast: (n: number, label: string) =>
    Number(n) === 1
      ? `Accepted 1 suggestion: “${label}”.`
      : `Accepted ${count(n)} suggestions as “${label}”.`,
  acceptedManyToast: (n: number) =>
    Number(n) === 1 ? 'Accepted 1 suggestion.' : `Accepted ${count(n)} suggestions.`,
  noneAccepted: 'None of these images has a suggestion to accept.',
  filters: {
    heading: 'Suggestions',
    leastConfident: 'Unlabeled, least confident first',
    leastConfidentHint: 'Label these first: the images the model knows least about teach it the most.',
    mostConfident: 'Unlabeled, most confident first',
    mostConfidentHint: 'Quick accepts: the model is surest about these. Check them and press Enter.',
    suggestedAs: 'Suggested as',
    anyLabel: 'Choose a label…',
    labelOption: (label: string, n: number) => `${label} (${count(n)})`,
  },
};

export type SuggestionsMessages = typeof suggestionsEn;
