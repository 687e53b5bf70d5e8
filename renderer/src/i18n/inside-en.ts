/**
 * English strings of Train → Look inside (`t.inside`): what a trained network computes on one image, with a short
 * explanation of each idea (after ../shared/seed-article.md). zh-CN has the same shape (inside-zh-CN.ts).
 */
import { insideExperimentsEn } from './inside-experiments-en';

export const insideEn = {
  tab: 'Look inside',
  title: 'Look inside the network',
  intro:
    'What your trained model computes on one image: the filters it learned, the feature maps of every layer, the probabilities it gives and where it looked.',
  noModel: {
    title: 'No trained model to look inside',
    body: 'Train a model first (Train on the Settings tab); its filters and feature maps then appear here.',
    training: 'A model is training. Pick “Live” to watch its filters and maps change as it learns.',
    goSettings: 'Go to Settings',
  },
  runLabel: 'Model',
  live: (name: string) => `Live: ${name} (training)`,
  liveEpoch: (epoch: number) => `Live, weights of epoch ${epoch}; refreshed every 3 s.`,
  liveStarting: 'Live: waiting for the first checkpoint of the run…',
  picker: {
    label: 'Image',
    strip: 'Images of the project',
    pick: (name: string) => `Look at ${name}`,
    dropHint: 'Or drop an image on this view, or paste one (Ctrl+V).',
    dropped: (name: string) => `Dropped image ${name}`,
    pasted: 'Pasted image',
    noPaths: 'The dropped item has no file path.',
    pasteFailed: 'Could not use the pasted image.',
    notImage: 'The clipboard holds no image.',
    noImages: 'The project has no images yet; drop an image here to look at it.',
  },
  loading: 'Computing…',
  failed: 'Could not look inside the model.',
  millis: (ms: string) => `computed in ${ms} ms`,
  input: {
    heading: 'The input',
    body: 'The image as the network sees it: resized to the project’s input size, one number per pixel (three for colour).',
    alt: 'The network input',
  },
  filters: {
    heading: 'Filters (kernels)',
    body: 'A convolution slides each small filter over its input and takes a dot product at every position. Training shapes the filters into detectors of simple features — edges in one direction, spots, light/dark changes — much like the Laplacian edge filter.',
    first: (n: number, k: string) => `First convolution: ${n} filters of ${k}`,
    firstRgb: 'Shown in colour: each filter has one weight grid per red, green and blue channel.',
    deeper: (layer: number, n: number, inputs: number, k: string) =>
      `Layer ${layer}: ${n} filters of ${k}, each over ${inputs} maps`,
    deeperNote:
      'Deeper filters do not look at pixels but at the feature maps before them: each combines many simpler features (edges, corners) into larger patterns, so their picture (the mean over their input maps) says less than their output.',
  },
  maps: {
    heading: 'Feature maps after every layer',
    body: 'Each filter’s output is a feature map: bright where the feature it detects is present. Activations keep only positive responses, pooling keeps the strongest response of each window and shrinks the map; deeper maps are smaller and respond to larger, more abstract parts of the image.',
    layer: (n: number, type: string) => `${n} · ${type}`,
    shape: (c: number, h: number, w: number) => `${c}×${h}×${w}`,
    shapeLong: (c: number, h: number, w: number) => `${c} maps of ${h}×${w}`,
    hint: 'Click a map to enlarge it; hover a pixel of the enlarged map to see the region of the input it sees.',
    open: (layer: number, map: number) => `Enlarge map ${map} of layer ${layer}`,
    enlarged: (layer: number, map: number, type: string) => `Layer ${layer} (${type}), map ${map}`,
    close: 'Close',
    receptive: 'Receptive field',
    receptiveBody:
      'A pixel of this map is computed from a window of the input: its receptive field. It grows with every convolution and pooling layer, which is why deeper maps see larger parts of the image.',
    receptiveAt: (y: number, x: number, h: number, w: number, top: number, left: number) =>
      `Pixel (${y}, ${x}) sees ${h}×${w} input pixels from (${top}, ${left}).`,
    receptiveWhole: 'Every pixel of this layer sees the whole image.',
    receptiveSize: (h: number, w: number) => `Receptive field: ${h}×${w} pixels.`,
    hover: 'Hover the map.',
    range: (min: string, max: string) => `values ${min} … ${max}`,
  },
  types: {
    conv2d: 'Convolution',
    relu: 'ReLU',
    leakyRelu: 'Leaky ReLU',
    maxPool2d: 'Max pooling',
    avgPool2d: 'Average pooling',
    globalAvgPool: 'Global average pooling',
    batchNorm: 'Batch norm',
    dropout: 'Dropout',
    flatten: 'Flatten',
    dense: 'Dense',
  },
  classifier: {
    heading: 'The classifier',
    body: 'The fully connected (dense) layer reads all the final feature maps as one long vector and gives each class a score; softmax turns the scores into probabilities that add up to 100%.',
    denseInput: (n: string) => `The dense layer reads ${n} numbers.`,
    denseInputMaps: (n: string, shape: string) =>
      `The dense layer reads ${n} numbers: the ${shape} feature maps laid out in one row.`,
    barsLabel: 'Probabilities',
    explain: (label: string) => `Show where the model looked for ${label}`,
  },
  sharing: {
    heading: 'Parameter sharing',
    body: 'A convolution uses the same small filter at every position of the image, so its weights are shared instead of one weight per input–output pair as in a fully connected layer.',
    model: 'This model',
    dense: 'Fully connected equivalent',
    params: (n: string) => `${n} parameters`,
    ratio: (times: string, params: string, dense: string) =>
      `The same network with fully connected layers instead of convolutions would need ${dense} parameters, ${times}× as many as its ${params}: memory and training data the convolutions save, and a feature is detected the same way wherever it appears.`,
  },
  saliency: {
    heading: 'Where the model looked (Grad-CAM)',
    body: 'Grad-CAM weighs the last convolution’s feature maps by how much each raises the score of a class and overlays the result on the image: warm colours are the regions that made the model say that class.',
    explaining: (label: string) => `Heat map for ${label}`,
    flat: (label: string) => `Nothing in the image raises the score of ${label}.`,
    pick: 'Click a class to see where the model looks for it.',
    predicted: 'predicted',
    low: 'low',
    high: 'high',
  },
  /**
   * The experiments half of the view (renderer/src/features/inside/experiments/: stride/padding, pooling,
   * translation, filter playground) keeps its strings here, in this object of both inside-en.ts and
   * inside-zh-CN.ts (same keys: the i18n test compares them); `t.inside.experiments`'s type follows this object.
   * Written in inside-experiments-en.ts / -zh-CN.ts.
   */
  experiments: insideExperimentsEn,
};

export type InsideMessages = typeof insideEn;
