/**
 * The readable ops packaged as a KernelSet: the default backend, and the reference the fast kernels are
 * tested against.
 */
import type { KernelSet } from './kernel-set';
import { conv2dBackward, conv2dForward } from './ops/conv2d';
import { denseBackward, denseForward } from './ops/dense';
import { maxPool2dBackward, maxPool2dForward } from './ops/max-pool2d';
import { reluBackward, reluForward } from './ops/relu';

/** The reference (pure TypeScript) implementation of every KernelSet op. */
export const referenceKernels: KernelSet = {
  conv2dForward,
  conv2dBackward,
  denseForward,
  denseBackward,
  maxPool2dForward,
  maxPool2dBackward,
  reluForward,
  reluBackward,
};
