/**
 * English strings of the "Look inside" experiments (stride and padding, pooling, translation, filter playground).
 * inside-en.ts holds it as `t.inside.experiments` (zh-CN: inside-experiments-zh-CN.ts). The explanations follow
 * ../shared/seed-article.md.
 */
export const insideExperimentsEn = {
  heading: 'Experiments',
  loading: 'Computing…',
  failed: 'Could not compute this experiment.',
  retry: 'Try again',
  step: 'Step',
  back: 'Back',
  play: 'Play',
  pause: 'Pause',
  reset: 'Reset',
  stepOf: (i: number, n: number) => `Step ${i} of ${n}`,
  stride: {
    title: 'Stride and padding',
    explain:
      'A convolution slides its filter over the image and takes one dot product per position. The stride is how far it moves each time: a stride above 1 skips positions and shrinks the output. Zero padding surrounds the input with a border of zeros so that edge pixels are covered as often as the ones in the middle, and the output keeps its size.',
    layer: 'Layer',
    layerOption: (n: number, k: string, s: string, pad: string) =>
      `Layer ${n}: ${k} filter, stride ${s}, ${pad}`,
    padding: { same: 'same padding', valid: 'no padding', explicit: 'explicit padding' },
    channel: 'Input channel',
    inputOf: (shape: string) => `Input ${shape}, zero border drawn hatched`,
    outputOf: (shape: string) => `Output ${shape}`,
    formulaRows: 'Rows',
    formulaCols: 'Columns',
    matches: (shape: string) => `Same as the layer table: ${shape}`,
    mismatch: (shape: string) => `The layer table says ${shape}`,
    cell: (row: number, col: number, zeros: number) =>
      `Output cell (${row + 1}, ${col + 1}): the window covers ${zeros === 0 ? 'image pixels only' : `${zeros} zero${zeros === 1 ? '' : 's'} of the padding`}.`,
    canvasLabel: 'The filter window on the layer input; arrow keys move it',
    none: 'This model has no convolution.',
  },
  pooling: {
    title: 'Max pooling',
    explain:
      'Max pooling keeps only the strongest response of each window: if a region expresses a feature strongly, the others nearby need not be kept. The map shrinks (less memory and computation) and small shifts and noise matter less.',
    layerInfo: (n: number, window: string, stride: string) =>
      `Layer ${n}: ${window} window, stride ${stride}`,
    mapOf: (channel: number, shape: string) => `Feature map ${channel + 1} of the layer before (${shape})`,
    channel: 'Feature map',
    kept: 'Kept positions',
    result: (shape: string) => `Pooled map ${shape}`,
    cell: (row: number, col: number, y: number, x: number) =>
      `Output cell (${row + 1}, ${col + 1}) keeps the value at (${y + 1}, ${x + 1}).`,
    canvasLabel: 'The pooling window on the feature map; arrow keys move it',
    none: 'This model has no max pooling layer.',
  },
  shift: {
    title: 'Translation invariance',
    explain:
      'A cat anywhere in the picture is still a cat: the same filters slide over every position, and pooling forgets small moves. Move the image and see whether the prediction holds. The border that comes in is filled with zeros.',
    amount: 'Shift',
    pixels: (n: number) => `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n)} px`,
    axis: 'Direction',
    horizontal: 'Horizontal',
    vertical: 'Vertical',
    flip: 'Flip (mirror left–right)',
    prediction: 'Prediction at this shift',
    original: (label: string, p: string) => `Probability of “${label}” (the class at no shift): ${p}`,
    deepest: (n: number, shape: string) => `Deepest feature maps (layer ${n}, ${shape})`,
    stable: (label: string, from: string, to: string) =>
      `“${label}” stays the top class for every shift from ${from} to ${to}.`,
    unstable: (label: string) => `“${label}” is not the top class of the unshifted image in this direction.`,
    chartX: 'Shift (px)',
    chartSeries: (label: string) => `P(${label})`,
    chartNow: 'This shift',
    chartSummary: (label: string) => `Probability of ${label} against the shift of the image`,
  },
  playground: {
    title: 'Filter playground',
    explain:
      'A filter is a small grid of numbers; convolving slides it over the image and sums the products. Hand-made filters like the Laplacian below find edges. Your network learned its own first-layer filters: the ones closest to yours are shown beside it.',
    kernels: {
      laplacian: 'Laplacian (edges)',
      sobelX: 'Sobel x',
      sobelY: 'Sobel y',
      blur: 'Blur',
      sharpen: 'Sharpen',
    },
    presets: 'Classic filters',
    grid: 'Your 3×3 filter',
    cell: (row: number, col: number) => `Row ${row + 1}, column ${col + 1}`,
    invalid: 'Each cell needs a number between −100 and 100 (1/9 works).',
    apply: 'Convolve',
    response: 'Response of your filter',
    similar: 'Most similar learned filters (first layer)',
    filter: (n: number) => `Filter ${n + 1}`,
    similarity: (s: string) => `similarity ${s}`,
    filterOf: (n: number) => `Learned filter ${n + 1}`,
    responseOf: (n: number) => `Response of learned filter ${n + 1}`,
    noFilters: 'The first layer has no 3×3 filters to compare with.',
  },
};

/** The shape of the experiments' strings; zh-CN must match it. */
export type InsideExperimentsMessages = typeof insideExperimentsEn;
