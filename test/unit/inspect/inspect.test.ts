/**
 * "Look inside" on the real CNN core (native-workers/inspect/): feature maps of every layer against describeModel,
 * a hand-built Laplacian first filter against a direct convolution, the filter playground, the shift experiment,
 * and the uint8 tile atlases.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../../app/domain/model-spec';
import type { TileAtlas } from '../../../app/domain/inspect';
import { describeModel } from '../../../native-workers/cnn/describe-model';
import { buildModel, type Model } from '../../../native-workers/cnn/model';
import { presetSpec } from '../../../native-workers/cnn/presets';
import { Rng } from '../../../native-workers/cnn/rng';
import {
  convolveImage,
  inspectModel,
  MAX_FLAT_VALUES,
  shiftExperiment,
  shiftImage,
  topClasses,
} from '../../../native-workers/inspect/inspect';
import { atlasTile, decodeBase64, encodeBase64, tileAtlas } from '../../../native-workers/inspect/tiles';

const LAPLACIAN = [0, 1, 0, 1, -4, 1, 0, 1, 0];

function randomImage(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: size }, () => Math.round(rng.uniform() * 255) / 255);
}

/** An independent direct convolution: one [H, W] plane, 3×3 kernel, stride 1, zero padding 1. */
function direct(plane: ArrayLike<number>, H: number, W: number, k: ArrayLike<number>): number[] {
  const out: number[] = [];
  const at = (y: number, x: number) => (y < 0 || y >= H || x < 0 || x >= W ? 0 : plane[y * W + x]);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let s = 0;
      for (let i = -1; i <= 1; i++)
        for (let j = -1; j <= 1; j++) s += k[(i + 1) * 3 + j + 1] * at(y + i, x + j);
      out.push(s);
    }
  return out;
}

/** Every value of tile k within the uint8 quantisation step of the expected values, and the range exact. */
function expectTile(atlas: TileAtlas, k: number, expected: number[]): void {
  const min = Math.min(...expected);
  const max = Math.max(...expected);
  expect(atlas.ranges[k][0]).toBeCloseTo(min, 5);
  expect(atlas.ranges[k][1]).toBeCloseTo(max, 5);
  const got = atlasTile(atlas, k);
  const step = (max - min) / 510 + 1e-5;
  expected.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(step));
}

/** A model whose first conv's filter 0 is the Laplacian on every input channel (bias 0). */
function laplacianModel(channels: number, size = 8): Model {
  const spec: ModelSpec = {
    input: { channels, height: size, width: size },
    layers: [
      { type: 'conv2d', filters: 4, kernelSize: 3, padding: 1 },
      { type: 'relu' },
      { type: 'maxPool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 3 },
    ],
    numClasses: 3,
  };
  const model = buildModel(spec, { seed: 5, batchSize: 4 });
  const w = model.param(0, 'weight');
  for (let c = 0; c < channels; c++) w.set(LAPLACIAN, c * 9); // filter 0 = [channels, 3, 3]
  model.param(0, 'bias').fill(0);
  return model;
}

describe('tile atlases', () => {
  it('scales each tile to 0–255, keeps its range, and decodes back', () => {
    const data = Float32Array.from([0, 1, 2, 3, /* tile 1 */ -2, -2, -2, -2, /* tile 2 */ 10, 5, 0, -5]);
    const atlas = tileAtlas(data, 3, 2, 2);
    expect(atlas).toMatchObject({ tiles: 3, columns: 2, tileWidth: 2, tileHeight: 2, width: 5, height: 5 });
    expect(atlas.ranges).toEqual([
      [0, 3],
      [-2, -2],
      [-5, 10],
    ]);
    const bytes = decodeBase64(atlas.data);
    expect(bytes.length).toBe(25);
    // tile 0 at (0,0): 0, 85, 170, 255
    expect([bytes[0], bytes[1], bytes[5], bytes[6]]).toEqual([0, 85, 170, 255]);
    // the gap column and row are 0; tile 1 (constant) is all 0
    expect([bytes[2], bytes[3], bytes[4], bytes[8], bytes[9]]).toEqual([0, 0, 0, 0, 0]);
    // tile 2 at row 1: (10 → 255, 5 → 170, 0 → 85, −5 → 0)
    expect([bytes[15], bytes[16], bytes[20], bytes[21]]).toEqual([255, 170, 85, 0]);
    expect(Array.from(atlasTile(atlas, 2))).toEqual([10, 5, 0, -5]);
  });

  it('encodes base64 like Node does, for every padding', () => {
    for (let n = 0; n < 20; n++) {
      const bytes = Uint8Array.from({ length: n * 37 + (n % 3) }, (_, i) => (i * 97 + n) & 255);
      const b64 = encodeBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(decodeBase64(b64))).toEqual(Array.from(bytes));
    }
  });

  it('draws RGB tiles interleaved, and a fixed range when asked', () => {
    const rgb = Float32Array.from([1, 0, /* G */ 0, 0.5, /* B */ 0, 1]); // 1×1×2 tile, 3 channels
    const atlas = tileAtlas(rgb, 1, 1, 2, { channels: 3, range: [0, 1] });
    expect(Array.from(decodeBase64(atlas.data))).toEqual([255, 0, 0, 0, 128, 255]);
    expect(atlas.ranges).toEqual([[0, 1]]);
  });
});

describe('inspectModel', () => {
  it('gives every layer the output shape describeModel reports (small gray 28 px, medium RGB 64 px)', () => {
    for (const [name, input] of [
      ['small', { channels: 1, height: 28, width: 28 }],
      ['medium', { channels: 3, height: 64, width: 64 }],
      ['reference', { channels: 1, height: 28, width: 28 }],
    ] as const) {
      const spec = presetSpec(name, input, 4);
      const model = buildModel(spec, { seed: 1, batchSize: 2 });
      const image = randomImage(model.inputSize, 3);
      const found = inspectModel(model, image, ['a', 'b', 'c', 'd']);
      const described = describeModel(spec);
      expect(found.layers.map((l) => l.shape)).toEqual(described.layers.map((l) => l.outputShape));
      expect(found.layers.map((l) => l.type)).toEqual(described.layers.map((l) => l.type));
      for (const l of found.layers) {
        const [C, H, W] = l.shape;
        if (H * W > 1) {
          expect(l.values).toBeNull();
          expect(l.maps).toMatchObject({ tiles: C, tileHeight: H, tileWidth: W, channels: 1 });
          expect(decodeBase64(l.maps!.data).length).toBe(l.maps!.width * l.maps!.height);
        } else {
          expect(l.maps).toBeNull();
          expect(l.values).toHaveLength(Math.min(C, MAX_FLAT_VALUES));
        }
      }
      // the last layer's values are the logits; the top classes are their softmax, best first
      const logits = found.layers[found.layers.length - 1].values!;
      const probs = Array.from(model.predict(image));
      expect(found.top.map((t) => t.probability)).toEqual(
        [...probs].sort((a, b) => b - a).map((p) => expect.closeTo(p, 5)),
      );
      expect(found.top).toHaveLength(4);
      expect(logits).toHaveLength(4);
      // filters: one per conv layer; the first conv of an RGB model in colour
      const convs = spec.layers.flatMap((l, i) => (l.type === 'conv2d' ? [i] : []));
      expect(found.filters.map((f) => f.layerIndex)).toEqual(convs);
      expect(found.filters[0].atlas.channels).toBe(input.channels === 3 ? 3 : 1);
      for (const f of found.filters.slice(1)) expect(f.atlas.channels).toBe(1);
      for (const f of found.filters) {
        expect(f.atlas.tiles).toBe(f.shape[0]);
        expect([f.atlas.tileHeight, f.atlas.tileWidth]).toEqual([f.shape[2], f.shape[3]]);
      }
      expect(found.heatmap.values.length).toBe(found.heatmap.width * found.heatmap.height);
    }
  });

  it('a first filter that is the Laplacian gives the Laplacian response of the image', () => {
    const model = laplacianModel(1);
    const image = randomImage(64, 9);
    const found = inspectModel(model, image, ['x', 'y', 'z']);
    const expected = direct(image, 8, 8, LAPLACIAN);
    expectTile(found.layers[0].maps!, 0, expected);
    // its ReLU: the positive part
    expectTile(
      found.layers[1].maps!,
      0,
      expected.map((v) => Math.max(0, v)),
    );
    // and the filter drawn is the Laplacian
    expectTile(found.filters[0].atlas, 0, LAPLACIAN);
    // the input tile is the image at a fixed 0–1 scale
    expect(Array.from(decodeBase64(found.input.data))).toEqual(Array.from(image, (v) => Math.round(v * 255)));
  });

  it('explains the class asked for', () => {
    const model = laplacianModel(1);
    const image = randomImage(64, 4);
    for (const c of [0, 1, 2])
      expect(inspectModel(model, image, ['x', 'y', 'z'], c).heatmap.classIndex).toBe(c);
  });
});

describe('convolveImage', () => {
  it('convolves the gray (RGB: mean) image with the kernel, and finds the Laplacian filter with similarity 1', () => {
    for (const channels of [1, 3]) {
      const model = laplacianModel(channels);
      const image = randomImage(channels * 64, 11);
      const gray = Array.from({ length: 64 }, (_, i) => {
        let s = 0;
        for (let c = 0; c < channels; c++) s += image[c * 64 + i];
        return s / channels;
      });
      const result = convolveImage(model, image, LAPLACIAN);
      expectTile(result.response, 0, direct(gray, 8, 8, LAPLACIAN));
      expect(result.similar).toHaveLength(3);
      expect(result.similar[0].filter).toBe(0);
      expect(result.similar[0].similarity).toBeCloseTo(1, 6);
      for (let i = 1; i < 3; i++)
        expect(result.similar[i].similarity).toBeLessThanOrEqual(result.similar[i - 1].similarity);
      // filter 0's own feature map: the Laplacian over every channel summed (the layer's real output)
      const summed = Array.from({ length: 64 }, () => 0);
      for (let c = 0; c < channels; c++)
        direct(image.subarray(c * 64, (c + 1) * 64), 8, 8, LAPLACIAN).forEach((v, i) => (summed[i] += v));
      expectTile(result.similar[0].response, 0, summed);
    }
  });

  it('keeps the kernel orientation (an asymmetric Sobel kernel, as the conv layers correlate)', () => {
    const sobelX = [-1, 0, 1, -2, 0, 2, -1, 0, 1];
    const model = laplacianModel(1);
    model.param(0, 'weight').set(sobelX, 9); // filter 1 = Sobel x
    const image = randomImage(64, 12);
    const result = convolveImage(model, image, sobelX);
    expectTile(result.response, 0, direct(image, 8, 8, sobelX));
    expect(result.similar[0]).toMatchObject({ filter: 1, similarity: expect.closeTo(1, 6) });
    expectTile(result.similar[0].response, 0, direct(image, 8, 8, sobelX));
  });

  it('returns no similar filters when the first conv is not 3×3', () => {
    const model = buildModel(
      {
        input: { channels: 1, height: 8, width: 8 },
        layers: [
          { type: 'conv2d', filters: 2, kernelSize: 5 },
          { type: 'flatten' },
          { type: 'dense', units: 2 },
        ],
        numClasses: 2,
      },
      { seed: 1, batchSize: 1 },
    );
    const result = convolveImage(model, randomImage(64, 1), LAPLACIAN);
    expect(result.similar).toEqual([]);
    expect(result.response.tiles).toBe(1);
  });
});

describe('shiftExperiment', () => {
  it('moves the image with a zero fill, flipping first', () => {
    const image = Float32Array.from([1, 2, 3, 4, 5, 6]); // 1×2×3
    const shape = { channels: 1, height: 2, width: 3 };
    expect(Array.from(shiftImage(image, shape, 1, 0, false))).toEqual([0, 1, 2, 0, 4, 5]);
    expect(Array.from(shiftImage(image, shape, 0, -1, false))).toEqual([4, 5, 6, 0, 0, 0]);
    expect(Array.from(shiftImage(image, shape, 0, 0, true))).toEqual([3, 2, 1, 6, 5, 4]);
    expect(Array.from(shiftImage(image, shape, -1, 1, true))).toEqual([0, 0, 0, 2, 1, 0]);
  });

  it('a shift by 0 is the unshifted prediction; batches larger than the model batch work', () => {
    const spec = presetSpec('small', { channels: 1, height: 28, width: 28 }, 3);
    const model = buildModel(spec, { seed: 2, batchSize: 4 });
    const image = randomImage(model.inputSize, 5);
    const probs = Array.from(model.predict(image));
    const best = probs.indexOf(Math.max(...probs));
    const offsets = Array.from({ length: 9 }, (_, i) => ({ dx: i - 4, dy: (i % 3) - 1 }));
    offsets[6] = { dx: 0, dy: 0 };
    const result = shiftExperiment(model, image, ['a', 'b', 'c'], offsets, false);
    expect(result.originalLabel).toBe(['a', 'b', 'c'][best]);
    expect(result.points).toHaveLength(9);
    const zero = result.points[6];
    expect(zero.top).toEqual(
      topClasses(probs, ['a', 'b', 'c']).map((t) => ({
        ...t,
        probability: expect.closeTo(t.probability, 5),
      })),
    );
    expect(zero.probabilityOfOriginal).toBeCloseTo(probs[best], 5);
    // each point is the model's prediction of that shifted image
    for (const [i, p] of result.points.entries()) {
      const shifted = Array.from(
        model.predict(shiftImage(image, spec.input, offsets[i].dx, offsets[i].dy, false)),
      );
      expect(p.probabilityOfOriginal).toBeCloseTo(shifted[best], 5);
      expect(p.deepest.shape[1] * p.deepest.shape[2]).toBeGreaterThan(1);
    }
    // the deepest spatial layer of the small preset
    const described = describeModel(spec).layers;
    const deepest = described.map((l) => l.outputShape[1] * l.outputShape[2] > 1).lastIndexOf(true);
    expect(zero.deepest.layerIndex).toBe(deepest);
    expect(zero.deepest.shape).toEqual(described[deepest].outputShape);
  });
});
