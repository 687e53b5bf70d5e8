/**
 * All learned parameters live in ONE flat Float32Array and their gradients in one parallel buffer (llm.c): an
 * optimizer step is one loop, a checkpoint is one copy, and data-parallel workers can reduce one flat gradient.
 * Each layer sees its tensors as named views (subarrays) into those buffers.
 */
import type { LayerPlan } from './plan';
import { sizeOf } from './plan';

/** Where one named tensor sits in the flat parameter buffer. */
export interface ParamEntry {
  /** e.g. "layer0.conv2d.weight". */
  name: string;
  layerIndex: number;
  kind: 'weight' | 'bias' | 'gamma' | 'beta';
  offset: number;
  length: number;
  shape: number[];
  /** Whether weight decay applies (weights: yes; biases and batchnorm scale/shift: no). */
  decay: boolean;
}

/** The layout of the flat parameter buffer and of the flat non-learned state buffer (batchnorm running stats). */
export interface ParamLayout {
  entries: ParamEntry[];
  paramCount: number;
  /** Offset of each layer's state in the state buffer (−1 when it has none). */
  stateOffsets: number[];
  stateCount: number;
}

/** Lays out every layer's parameters one after another, in layer order. */
export function layoutParams(plans: LayerPlan[]): ParamLayout {
  const entries: ParamEntry[] = [];
  let offset = 0;
  let stateCount = 0;
  const stateOffsets: number[] = [];
  for (const p of plans) {
    for (const t of p.params) {
      const length = sizeOf(t.shape);
      entries.push({
        name: `layer${p.index}.${p.spec.type}.${t.name}`,
        layerIndex: p.index,
        kind: t.name,
        offset,
        length,
        shape: t.shape,
        decay: t.decay,
      });
      offset += length;
    }
    stateOffsets.push(p.stateSize > 0 ? stateCount : -1);
    stateCount += p.stateSize;
  }
  return { entries, paramCount: offset, stateOffsets, stateCount };
}

/** A 0/1 mask over the flat parameters: 1 where weight decay applies. */
export function decayMask(layout: ParamLayout): Uint8Array {
  const mask = new Uint8Array(layout.paramCount);
  for (const e of layout.entries) if (e.decay) mask.fill(1, e.offset, e.offset + e.length);
  return mask;
}
