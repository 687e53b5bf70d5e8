/**
 * The model spec and training configuration: plain JSON-able types shared by the UI, the IPC contract and the
 * CNN core (native-workers/cnn). No imports, no classes, no functions: only data shapes.
 */

/** Height, width and channels of one input image (channels: 1 grayscale, 3 RGB). */
export interface InputSpec {
  height: number;
  width: number;
  channels: number;
}

/** A size given either as one number (square) or as [height, width]. */
export type Size2d = number | [number, number];

/**
 * Zero padding of a convolution: 'valid' (none), 'same' (output = ceil(input / stride); when the total padding
 * is odd the extra row/column goes below/right, like TF and ONNX SAME_UPPER), or a number of zeros on every side.
 */
export type PaddingSpec = 'same' | 'valid' | number;

/** A 2-D convolution with `filters` output channels and a bias per filter. */
export interface Conv2dLayerSpec {
  type: 'conv2d';
  filters: number;
  kernelSize: Size2d;
  /** Defaults to 1. */
  stride?: Size2d;
  /** Defaults to 'valid'. */
  padding?: PaddingSpec;
}

/** Rectified linear unit: max(0, x). */
export interface ReluLayerSpec {
  type: 'relu';
}

/** Leaky ReLU: x for x > 0, alpha·x otherwise. */
export interface LeakyReluLayerSpec {
  type: 'leakyRelu';
  /** Defaults to 0.01. */
  alpha?: number;
}

/** Max pooling over windows of `size`, no padding. */
export interface MaxPool2dLayerSpec {
  type: 'maxPool2d';
  size: Size2d;
  /** Defaults to size (non-overlapping windows). */
  stride?: Size2d;
}

/** Average pooling over windows of `size`, no padding. */
export interface AvgPool2dLayerSpec {
  type: 'avgPool2d';
  size: Size2d;
  /** Defaults to size (non-overlapping windows). */
  stride?: Size2d;
}

/** Averages each channel over all positions: [C, H, W] → [C, 1, 1]. */
export interface GlobalAvgPoolLayerSpec {
  type: 'globalAvgPool';
}

/** Batch normalization per channel (per feature after a dense layer), with learned scale and shift. */
export interface BatchNormLayerSpec {
  type: 'batchNorm';
  /** Weight of the new batch statistics in the running averages. Defaults to 0.1 (PyTorch). */
  momentum?: number;
  /** Defaults to 1e-5. */
  epsilon?: number;
}

/** Inverted dropout: zeroes each value with probability `rate` while training, identity at inference. */
export interface DropoutLayerSpec {
  type: 'dropout';
  rate: number;
}

/** Reshapes [C, H, W] to [C·H·W, 1, 1]; optional, a dense layer flattens its input anyway. */
export interface FlattenLayerSpec {
  type: 'flatten';
}

/** A fully connected layer with `units` outputs and a bias per unit. */
export interface DenseLayerSpec {
  type: 'dense';
  units: number;
}

/** One layer of a model. */
export type LayerSpec =
  | Conv2dLayerSpec
  | ReluLayerSpec
  | LeakyReluLayerSpec
  | MaxPool2dLayerSpec
  | AvgPool2dLayerSpec
  | GlobalAvgPoolLayerSpec
  | BatchNormLayerSpec
  | DropoutLayerSpec
  | FlattenLayerSpec
  | DenseLayerSpec;

/** The name of a layer type. */
export type LayerType = LayerSpec['type'];

/**
 * A whole classifier. The last layer must be a dense layer with `numClasses` units: it produces the class
 * logits, which softmax + cross-entropy turn into probabilities and a loss.
 */
export interface ModelSpec {
  input: InputSpec;
  layers: LayerSpec[];
  numClasses: number;
  /**
   * Weight initialisation. 'he' (the default): He normal before a ReLU, Glorot uniform for the classifier, zero
   * biases. 'fan-in-uniform': weights and biases from U(±1/√fanIn) (PyTorch's default), which trains the batchnorm
   * presets to a higher accuracy in few epochs.
   */
  init?: 'he' | 'fan-in-uniform';
}

/** The shape [channels, height, width] of one example's activations (dense outputs are [units, 1, 1]). */
export type ActivationShape = [channels: number, height: number, width: number];

/** One row of a model description. */
export interface LayerDescription {
  index: number;
  type: LayerType;
  /** Human-readable summary, e.g. "conv 3×3, 16 filters, stride 1, same". */
  label: string;
  outputShape: ActivationShape;
  /** Learned parameters (weights + biases, batchnorm scale + shift). */
  params: number;
  /**
   * For convolutions: the parameters a fully connected layer with the same input and output sizes would need
   * (inputSize × outputSize weights + outputSize biases). Equal to `params` for other layers.
   */
  fullyConnectedParams: number;
  /** Multiply-accumulates per example in the forward pass. */
  macs: number;
}

/** What describeModel reports: shapes, parameter counts and the parameter-sharing saving. */
export interface ModelDescription {
  input: ActivationShape;
  layers: LayerDescription[];
  totalParams: number;
  /** Total parameters if every convolution were a fully connected layer (see LayerDescription). */
  totalFullyConnectedParams: number;
  totalMacs: number;
}

/** SGD with optional (Nesterov) momentum and L2 weight decay added to the gradient. */
export interface SgdConfig {
  type: 'sgd';
  /** Defaults to 0. */
  momentum?: number;
  /** Defaults to false. */
  nesterov?: boolean;
  /** Defaults to 0. */
  weightDecay?: number;
}

/** Adam (weight decay as L2 added to the gradient) or AdamW (decoupled weight decay). */
export interface AdamConfig {
  type: 'adam' | 'adamw';
  /** Defaults to 0.9. */
  beta1?: number;
  /** Defaults to 0.999. */
  beta2?: number;
  /** Defaults to 1e-8. */
  epsilon?: number;
  /** Defaults to 0 for adam, 0.01 for adamw. */
  weightDecay?: number;
}

/** An optimizer and its hyperparameters (the learning rate lives in the schedule). */
export type OptimizerConfig = SgdConfig | AdamConfig;

/**
 * How the learning rate changes over training (after the optional warm-up):
 * constant; step (multiply by gamma every `everyEpochs` epochs); cosine (from the base rate down to minLr
 * at the last step).
 */
export type LrScheduleConfig =
  | { type: 'constant' }
  | { type: 'step'; everyEpochs: number; gamma: number }
  | { type: 'cosine'; minLr?: number };

/** Seeded data augmentation applied to training batches only. */
export interface AugmentationConfig {
  /** Mirror left-right with probability 0.5. */
  flipHorizontal?: boolean;
  /** Shift by up to this many pixels in each direction, filling with zeros (a padded random crop). */
  maxShift?: number;
  /** Add a uniform random offset in [-brightness, brightness] to every pixel of an image. */
  brightness?: number;
  /** Scale each image's deviation from its mean by a uniform random factor in [1 − contrast, 1 + contrast]. */
  contrast?: number;
}

/** Everything that defines a training run besides the model and the data. */
export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  optimizer: OptimizerConfig;
  /** Defaults to constant. */
  schedule?: LrScheduleConfig;
  /** Linear warm-up from 0 to learningRate over this many steps (batches). Defaults to 0. */
  warmupSteps?: number;
  /** Rescale the whole gradient when its global L2 norm exceeds this. Off when absent. */
  clipGradNorm?: number;
  augmentation?: AugmentationConfig;
  /** Seeds weight init, shuffling, augmentation and dropout. */
  seed: number;
}

/** Precision, recall and F1 of one class (0 when undefined, e.g. a class never predicted). */
export interface ClassMetrics {
  classIndex: number;
  /** Examples whose true label is this class. */
  support: number;
  /** Examples of this class predicted correctly. */
  correct: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Loss and accuracy of the model on a dataset, with the confusion matrix and per-class metrics. */
export interface EvalMetrics {
  count: number;
  loss: number;
  accuracy: number;
  /** confusion[trueClass][predictedClass] = number of examples. */
  confusion: number[][];
  perClass: ClassMetrics[];
  /** Unweighted mean of the per-class F1 scores. */
  macroF1: number;
}

/** Progress after one training batch (one optimizer step). */
export interface BatchReport {
  /** 0-based epoch of this batch. */
  epoch: number;
  /** 0-based index of this batch within its epoch. */
  batchIndex: number;
  batchesPerEpoch: number;
  /** 0-based global step (= epoch · batchesPerEpoch + batchIndex). */
  step: number;
  totalSteps: number;
  batchSize: number;
  loss: number;
  accuracy: number;
  learningRate: number;
  /** Global L2 norm of the gradient before clipping. */
  gradNorm: number;
}

/** Summary of one finished training epoch. */
export interface EpochReport {
  epoch: number;
  /** Mean training loss and accuracy over the epoch's batches (with augmentation and dropout on). */
  trainLoss: number;
  trainAccuracy: number;
  /** Metrics on the validation set, when there is one. */
  validation?: EvalMetrics;
}
