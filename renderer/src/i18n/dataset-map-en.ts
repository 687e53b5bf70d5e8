/** English strings of the dataset map (`t.datasetMap`) (issue 11); zh-CN has the same shape (dataset-map-zh-CN.ts). */
export const datasetMapEn = {
  loading: 'Loading the map…',
  intro: {
    title: 'A map of your dataset',
    body: 'The model places every image by what it has learned: similar images land close together. Find clusters, outliers and likely mislabeled images, and label whole groups at once with the lasso.',
    method: 'Method',
    pca: 'Quick (PCA)',
    umap: 'UMAP',
    umapHint: 'UMAP separates clusters best; PCA takes a moment.',
    compute: 'Compute map',
  },
  noModel: {
    title: 'Train a model to see the map of your dataset',
    body: 'The map places images by what a trained model sees in them. Train a model in Train, then come back here.',
  },
  computing: {
    title: (method: string) => `Computing the map (${method})…`,
    phase: {
      embedding: 'Running the model over every image',
      projecting: 'Laying the images out in 2-D',
      neighbours: 'Finding each image’s neighbours',
    },
    count: (done: string, total: string) => `${done} of ${total}`,
    starting: 'Starting…',
    cancel: 'Cancel',
  },
  failed: 'Could not make the map.',
  retry: 'Try again',
  stale: (count: number, formatted: string) =>
    count === 1 ? '1 image is not on the map yet.' : `${formatted} images are not on the map yet.`,
  recompute: 'Recompute',
  toolbar: {
    method: 'Method',
    label: 'Map tools',
    pan: 'Pan',
    lasso: 'Lasso',
    box: 'Box',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    reset: 'Reset view',
    mislabeled: 'Show likely mislabeled',
    toolHint: 'Drag to pan; Shift+drag: box, Alt+drag: lasso; Ctrl adds to the selection.',
  },
  canvasLabel: (count: string, method: string) =>
    `Map of ${count} images (${method}): similar images are close together. Use the lasso or box tool to select a group, then press a digit to label it.`,
  methodName: { pca: 'PCA', umap: 'UMAP' },
  legend: {
    label: 'Legend',
    unlabeled: 'Unlabeled',
    suggested: 'Suggested (ring)',
    mislabeled: 'Likely mislabeled',
  },
  tooltip: {
    unlabeled: 'Unlabeled',
    suggested: (label: string) => `Suggested: ${label}`,
    mislabeled: 'Its neighbours mostly carry another label',
    loading: 'Loading…',
  },
};

export type DatasetMapMessages = typeof datasetMapEn;
