/**
 * English strings of the Train tab's network explorer (`t.network`). Kept in their own file so the feature adds
 * one line to en.ts; zh-CN has the same shape (network-zh-CN.ts). The explanations follow the seed article.
 */
export const networkEn = {
  title: 'Network',
  intro:
    'The convolutional network that will learn from your images, layer by layer: what each layer computes, the shape of what it passes on, and how many numbers it learns.',
  presetsLabel: 'Architecture',
  recommended: 'Recommended',
  presets: {
    small: {
      title: 'Small',
      description:
        'Three convolution stages with batch normalization, then a dense layer. For 28–32 px images.',
    },
    medium: {
      title: 'Medium',
      description: 'Four convolution stages and global average pooling. For RGB photos of 64–128 px.',
    },
    large: {
      title: 'Large',
      description: 'Five convolution stages, about twice the work of Medium. For RGB photos of 96–128 px.',
    },
    reference: {
      title: 'Reference CNN',
      description: 'The classic two-convolution CNN: conv 16 → pool → conv 32 → pool → dense 128.',
    },
  },
  custom: 'Custom network',
  loading: 'Building the network…',
  loadFailed: 'Could not describe the network.',
  retry: 'Try again',
  layersHeading: 'Layers',
  layersLabel: (preset: string) => `Layers of ${preset}`,
  layerNumber: (n: number) => `Layer ${n}`,
  output: 'Output',
  params: 'Parameters',
  noParams: 'none',
  shapeMaps: (count: string, h: number, w: number) => `${count} × ${h}×${w}`,
  shapeMapsLong: (count: string, h: number, w: number) => `${count} feature maps of ${h}×${w}`,
  shapeVector: (count: string) => `${count} numbers`,
  channels: (n: number) => (n === 1 ? '1 channel (grayscale)' : `${n} channels (RGB)`),
  explain: 'What does it do?',
  types: {
    input: 'Input image',
    conv2d: 'Convolution',
    relu: 'ReLU',
    leakyRelu: 'Leaky ReLU',
    maxPool2d: 'Max pooling',
    avgPool2d: 'Average pooling',
    globalAvgPool: 'Global average pooling',
    batchNorm: 'Batch normalization',
    dropout: 'Dropout',
    flatten: 'Flatten',
    dense: 'Fully connected',
    softmax: 'Softmax',
  },
  explanations: {
    input:
      'Your image, resized to the project’s size, as a grid of pixel intensities: one channel for grayscale, three (red, green, blue) for colour.',
    conv2d:
      'Each filter (kernel) is a small grid of learned weights that detects one feature, such as an edge or a texture; deeper layers combine them into larger parts. The filter slides over the input, takes a dot product at every position and writes the result into its own feature map. The stride is how far it moves each step; zero padding adds a border of zeros so edge pixels count as much as central ones and the size is kept.',
    relu: 'Keeps positive values and turns negative ones into 0 (max(0, x)). This lets the network learn more than straight-line combinations. Learns nothing.',
    leakyRelu: 'Like ReLU, but negative values are scaled down instead of set to 0.',
    maxPool2d:
      'Keeps only the strongest value of each window: if a region clearly contains a feature, the rest of it need not be examined. The maps get smaller, which saves memory and computation, and small shifts and noise matter less. Learns nothing.',
    avgPool2d: 'Replaces each window by its average: smaller maps, less computation. Learns nothing.',
    globalAvgPool:
      'Averages each feature map into a single number: how strongly its feature appears anywhere in the image.',
    batchNorm:
      'Rescales each channel to a steady range, with a learned scale and shift per channel. Training becomes faster and more stable.',
    dropout:
      'While training, randomly sets a share of the values to 0 so the network cannot rely on any single one: less overfitting. Does nothing when predicting.',
    flatten:
      'Lines up all feature maps into one long list of numbers, so a fully connected layer can read them.',
    dense:
      'Every output is connected to every input, each connection with its own weight. It combines the detected features into evidence for the classes.',
    denseLast: 'The last fully connected layer gives one score (logit) per class.',
    softmax:
      'Turns the class scores into probabilities that add up to 100%. The class with the highest probability is the prediction.',
  },
  details: {
    filters: (n: string) => `${n} filters`,
    kernel: (h: number, w: number) => `kernel ${h}×${w}`,
    window: (h: number, w: number) => `window ${h}×${w}`,
    stride: (s: string) => `stride ${s}`,
    paddingSame: (px: string) => `zero padding ${px} px`,
    paddingNone: 'no padding',
    units: (n: string) => `${n} outputs`,
    rate: (percent: number) => `drops ${percent}%`,
    classes: (n: string) => `${n} classes`,
  },
  formula: {
    conv: (filters: string, k: string, c: string, perFilter: string) =>
      `${filters} filters × (${k}×${c} weights + 1 bias) = ${filters} × ${perFilter}`,
    dense: (inputs: string, units: string) => `(${inputs} inputs + 1 bias) × ${units} outputs`,
    batchNorm: (channels: string) => `scale + shift for ${channels} channels`,
  },
  totals: {
    heading: 'Totals',
    params: 'Parameters to learn',
    macs: 'Multiply-adds per image',
    input: 'Input',
    inputValue: (size: number, channels: number) => `${size}×${size}×${channels}`,
    classes: 'Classes',
    classesFromLabels: (n: string) => `${n}, one per label`,
    classesDefault: (n: string) => `${n} (until the dataset has two labels)`,
  },
  sharing: {
    heading: 'Parameter sharing',
    body: 'A filter uses the same few weights at every position of the image. A fully connected layer producing the same outputs would need a separate weight for every input–output pair.',
    layer: (n: number) => `Convolution ${n}`,
    compare: (conv: string, dense: string) => `${conv} instead of ${dense}`,
    times: (x: string) => `${x}× fewer`,
    total: (x: string, dense: string) =>
      `A fully connected layer producing the same outputs would need ${x}× more parameters: ${dense} for this network.`,
  },
  training: {
    heading: 'Train this network',
    body: 'Choose it in the training settings, press Train and watch its loss and accuracy curves in Progress.',
    use: 'Use for training',
    inUse: 'The training settings use this network.',
  },
};

/** The shape of the network explorer's strings in every language. */
export type NetworkMessages = typeof networkEn;
