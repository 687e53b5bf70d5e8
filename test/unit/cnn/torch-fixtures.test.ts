/**
 * Compares our ops and a whole network against tensors computed once by PyTorch
 * (scripts/gen-torch-fixtures.py → test/fixtures/torch). Torch is not needed to run these tests. These call the
 * readable reference ops directly; torch-fixtures-kernels.test.ts runs the same fixtures through every kernel backend.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { Conv2dShape, DenseShape, Pool2dShape } from '../../../native-workers/cnn/kernel-set';
import { buildModel } from '../../../native-workers/cnn/model';
import { avgPool2dBackward, avgPool2dForward } from '../../../native-workers/cnn/ops/avg-pool2d';
import {
  batchNormBackwardTrain,
  batchNormForwardEval,
  batchNormForwardTrain,
  type BatchNormShape,
} from '../../../native-workers/cnn/ops/batch-norm';
import { conv2dBackward, conv2dForward } from '../../../native-workers/cnn/ops/conv2d';
import { denseBackward, denseForward } from '../../../native-workers/cnn/ops/dense';
import { globalAvgPoolBackward, globalAvgPoolForward } from '../../../native-workers/cnn/ops/global-avg-pool';
import { maxPool2dBackward, maxPool2dForward } from '../../../native-workers/cnn/ops/max-pool2d';
import {
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from '../../../native-workers/cnn/ops/softmax-cross-entropy';
import { convAxis } from '../../../native-workers/cnn/shape';
import { expectClose, f32, loadFixtures as load } from './torch-fixtures';

describe('conv2d vs PyTorch', () => {
  for (const c of load('conv2d.json')) {
    it(c.name, () => {
      const s: Conv2dShape = c.shape;
      if (c.padding === 'same') {
        expect(convAxis(s.inHeight, s.kernelHeight, s.strideH, 'same').padBefore).toBe(s.padTop);
        expect(convAxis(s.inWidth, s.kernelWidth, s.strideW, 'same').padBefore).toBe(s.padLeft);
        expect(convAxis(s.inHeight, s.kernelHeight, s.strideH, 'same').out).toBe(s.outHeight);
        expect(convAxis(s.inWidth, s.kernelWidth, s.strideW, 'same').out).toBe(s.outWidth);
      }
      const inp = f32(c.inp);
      const w = f32(c.weight);
      const b = f32(c.bias);
      const out = new Float32Array(c.out.length);
      conv2dForward(s, inp, w, b, out);
      expectClose('out', out, c.out);
      const dinp = new Float32Array(inp.length);
      const dw = new Float32Array(w.length);
      const db = new Float32Array(b.length);
      conv2dBackward(s, inp, w, f32(c.dout), dinp, dw, db);
      expectClose('dinp', dinp, c.dinp);
      expectClose('dweight', dw, c.dweight);
      expectClose('dbias', db, c.dbias);
    });
  }
});

describe('pooling vs PyTorch', () => {
  for (const c of load('pool.json')) {
    it(c.name, () => {
      const s: Pool2dShape = c.shape;
      const out = new Float32Array(c.out.length);
      const dinp = new Float32Array(c.inp.length);
      if (c.kind === 'max') {
        const argmax = new Int32Array(out.length);
        maxPool2dForward(s, f32(c.inp), out, argmax);
        maxPool2dBackward(s, f32(c.dout), argmax, dinp);
      } else {
        avgPool2dForward(s, f32(c.inp), out);
        avgPool2dBackward(s, f32(c.dout), dinp);
      }
      expectClose('out', out, c.out);
      expectClose('dinp', dinp, c.dinp);
    });
  }
});

describe('global average pooling vs PyTorch', () => {
  for (const c of load('global-avg-pool.json')) {
    it(c.name, () => {
      const s = { batch: c.shape.batch, channels: c.shape.channels, spatial: c.shape.height * c.shape.width };
      const out = new Float32Array(c.out.length);
      globalAvgPoolForward(s, f32(c.inp), out);
      expectClose('out', out, c.out);
      const dinp = new Float32Array(c.inp.length);
      globalAvgPoolBackward(s, f32(c.dout), dinp);
      expectClose('dinp', dinp, c.dinp);
    });
  }
});

describe('dense vs PyTorch', () => {
  for (const c of load('dense.json')) {
    it(c.name, () => {
      const s: DenseShape = c.shape;
      const out = new Float32Array(c.out.length);
      denseForward(s, f32(c.inp), f32(c.weight), f32(c.bias), out);
      expectClose('out', out, c.out);
      const dinp = new Float32Array(c.inp.length);
      const dw = new Float32Array(c.weight.length);
      const db = new Float32Array(c.bias.length);
      denseBackward(s, f32(c.inp), f32(c.weight), f32(c.dout), dinp, dw, db);
      expectClose('dinp', dinp, c.dinp);
      expectClose('dweight', dw, c.dweight);
      expectClose('dbias', db, c.dbias);
    });
  }
});

describe('softmax cross-entropy vs PyTorch', () => {
  for (const c of load('softmax-cross-entropy.json')) {
    it(c.name, () => {
      const probs = new Float32Array(c.logits.length);
      const loss = softmaxCrossEntropyForward(f32(c.logits), c.labels, probs, c.batch, c.classes);
      expect(Math.abs(loss - c.loss)).toBeLessThan(1e-4 * Math.max(1, c.loss));
      expectClose('probs', probs, c.probs, 1e-6);
      const d = new Float32Array(c.logits.length);
      softmaxCrossEntropyBackward(probs, c.labels, d, c.batch, c.classes);
      expectClose('dlogits', d, c.dlogits, 1e-6);
    });
  }
});

describe('batch norm vs PyTorch', () => {
  for (const c of load('batch-norm.json')) {
    it(c.name, () => {
      const s: BatchNormShape = c.shape;
      const C = s.channels;
      const out = new Float32Array(c.out.length);
      const mean = new Float32Array(C);
      const invStd = new Float32Array(C);
      const rm = f32(c.runningMeanBefore);
      const rv = f32(c.runningVarBefore);
      batchNormForwardTrain(s, f32(c.inp), f32(c.gamma), f32(c.beta), out, mean, invStd, rm, rv);
      expectClose('out', out, c.out);
      expectClose('running mean', rm, c.runningMeanAfter);
      expectClose('running var', rv, c.runningVarAfter);
      const dinp = new Float32Array(c.inp.length);
      const dgamma = new Float32Array(C);
      const dbeta = new Float32Array(C);
      batchNormBackwardTrain(s, f32(c.inp), f32(c.gamma), mean, invStd, f32(c.dout), dinp, dgamma, dbeta);
      expectClose('dinp', dinp, c.dinp);
      expectClose('dgamma', dgamma, c.dgamma);
      expectClose('dbeta', dbeta, c.dbeta);
      const evalOut = new Float32Array(c.evalOut.length);
      batchNormForwardEval(s, f32(c.evalInp), f32(c.gamma), f32(c.beta), evalOut, rm, rv);
      expectClose('eval out', evalOut, c.evalOut);
    });
  }
});

describe('whole network vs PyTorch', () => {
  for (const c of load('net.json')) {
    it(c.name, () => {
      const spec: ModelSpec = c.spec;
      const model = buildModel(spec, { seed: 0, batchSize: c.batch });
      model.loadParams(f32(c.params));
      const { loss } = model.computeGradients(f32(c.input), c.labels);
      expectClose(
        'logits',
        model.activations[model.layers.length - 1].subarray(0, c.logits.length),
        c.logits,
      );
      expect(Math.abs(loss - c.loss)).toBeLessThan(1e-5 * Math.max(1, c.loss));
      expectClose('all parameter gradients', model.grads, c.grads);
      expectClose('batchnorm running stats', model.state, c.stateAfter);
      expectClose('eval logits', model.forward(f32(c.input), { training: false }), c.evalLogits);
    });
  }
});
