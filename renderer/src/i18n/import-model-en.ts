/** English strings of importing a model trained elsewhere as a run (`t.importModel`, issue 15). */
export const importModelEn = {
  button: 'Import model…',
  buttonHint:
    'Bring back a model trained elsewhere (a .cnnmodel, e.g. a training package’s output, or an ONNX file) as a run of this project.',
  importing: 'Importing the model…',
  imported: (file: string, run: string) => `Imported ${file} as the run “${run}”.`,
  failed: 'Could not import the model.',
  noLog: 'No curves: imported without a training log.',
  badge: 'Imported',
  badgeHint: (file: string, format: string) => `Imported from ${file} (${format})`,
  formats: { cnnmodel: 'CNN Studio model', onnx: 'ONNX' } as Record<string, string>,
  drop: {
    title: (file: string) => `What should happen with ${file}?`,
    body: 'A model file: import it as a run of this project (its classes must be this project’s labels), or predict images with it.',
    bodyOnnx:
      'An ONNX model: import it as a run of this project (its classes must be this project’s labels). CNN Studio predicts with runs, so import it first.',
    import: 'Import as a run',
    predict: 'Predict with it',
    cancel: 'Cancel',
  },
};

export type ImportModelMessages = typeof importModelEn;
