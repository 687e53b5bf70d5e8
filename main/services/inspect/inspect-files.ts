/**
 * `cnn-studio inspect … --out DIR`: an Inspection written as PNGs (sharp) and an index.json.
 *
 *  - `filters-<L>.png` for each convolution: its filters as a grid (the first conv of an RGB model in colour, else
 *    the mean over input channels), each tile scaled on its own (min black, max white), enlarged with nearest-
 *    neighbour sampling so that a 3×3 filter is visible, tiles 2 px apart on gray. index shape: [outChannels,
 *    kernelHeight, kernelWidth].
 *  - `maps-<L>.png` for each convolution and pooling layer: its feature maps as a grid, each scaled on its own;
 *    a global average pool's [C, 1, 1] output is drawn as C one-pixel tiles on one shared scale. index shape: the
 *    layer's output [C, H, W].
 *  - `gradcam.png`: the network input (as the model saw it), enlarged to at least 256 px, with the Grad-CAM map
 *    bilinearly upsampled over it in a colour map (blue → green → yellow → red, weak evidence mostly transparent).
 *    index: layer = the 1-based index of the layer Grad-CAM weighs (0 = the input, for a model without spatial
 *    layers), its type and output shape [C, H, W].
 * `<L>` is the 1-based layer index, as `cnn-studio model describe` numbers layers.
 */
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { Inspection, TileAtlas } from '../../../app/domain/inspect';
import type { ModelSpec } from '../../../app/domain/model-spec';
import { describeModel } from '../../../native-workers/cnn/describe-model';
import { decodeBase64, tileAtlas } from '../../../native-workers/inspect/tiles';

export interface InspectIndexFile {
  file: string;
  layer: number;
  type: string;
  shape: [number, number, number];
}

/** index.json, exactly. */
export interface InspectIndex {
  files: InspectIndexFile[];
  prediction: { top: { label: string; probability: number }[] };
  gradcamClass: string;
}

const POOLING = new Set(['maxPool2d', 'avgPool2d', 'globalAvgPool']);
/** gradcam.png's side at least. */
const GRADCAM_SIZE = 256;

/** Pixels between tiles in the PNGs, and their gray. */
export const PNG_GAP = 2;
const GAP_GRAY = 128;

/**
 * An atlas as a PNG: each tile enlarged `scale` times (nearest neighbour), tiles PNG_GAP pixels apart on a mid-gray
 * background (so that black tiles stay distinct): width = columns·(tileWidth·scale + PNG_GAP) − PNG_GAP.
 */
async function atlasPng(atlas: TileAtlas, scale: number, file: string): Promise<void> {
  const bytes = decodeBase64(atlas.data);
  const { tiles, columns, tileWidth: tw, tileHeight: th, channels, width: aw } = atlas;
  const rows = Math.max(1, Math.ceil(tiles / columns));
  const W = Math.max(1, columns * (tw * scale + PNG_GAP) - PNG_GAP);
  const H = Math.max(1, rows * (th * scale + PNG_GAP) - PNG_GAP);
  const out = Buffer.alloc(W * H * channels, GAP_GRAY);
  for (let k = 0; k < tiles; k++) {
    const ax = (k % columns) * (tw + 1);
    const ay = Math.floor(k / columns) * (th + 1);
    const ox = (k % columns) * (tw * scale + PNG_GAP);
    const oy = Math.floor(k / columns) * (th * scale + PNG_GAP);
    for (let y = 0; y < th * scale; y++)
      for (let x = 0; x < tw * scale; x++) {
        const from = ((ay + Math.floor(y / scale)) * aw + ax + Math.floor(x / scale)) * channels;
        const to = ((oy + y) * W + ox + x) * channels;
        for (let c = 0; c < channels; c++) out[to + c] = bytes[from + c];
      }
  }
  await sharp(out, { raw: { width: W, height: H, channels } })
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .png()
    .toFile(file);
}

/** Enlargement so that a tile is at least ~32 px (at most 16×). */
function scaleFor(atlas: TileAtlas): number {
  return Math.max(1, Math.min(16, Math.ceil(32 / Math.max(atlas.tileWidth, atlas.tileHeight))));
}

/** A colour map for t in [0, 1]: blue, cyan, green, yellow, red (a "jet"-like ramp). */
export function heatColor(t: number): [number, number, number] {
  const c = (x: number) => Math.round(255 * Math.max(0, Math.min(1, x)));
  return [c(1.5 - Math.abs(4 * t - 3)), c(1.5 - Math.abs(4 * t - 2)), c(1.5 - Math.abs(4 * t - 1))];
}

/** Bilinear sample of a [h, w] map at the centre of output pixel (x, y) of a [H, W] frame (the map covers it). */
function sample(values: number[], w: number, h: number, x: number, y: number, W: number, H: number): number {
  const fx = Math.max(0, Math.min(w - 1, ((x + 0.5) * w) / W - 0.5));
  const fy = Math.max(0, Math.min(h - 1, ((y + 0.5) * h) / H - 0.5));
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const ax = fx - x0;
  const ay = fy - y0;
  const top = values[y0 * w + x0] * (1 - ax) + values[y0 * w + x1] * ax;
  const bottom = values[y1 * w + x0] * (1 - ax) + values[y1 * w + x1] * ax;
  return top * (1 - ay) + bottom * ay;
}

/** The Grad-CAM overlay on the network input (see the module comment). */
async function gradcamPng(inspection: Inspection, file: string): Promise<void> {
  const input = inspection.input;
  const side = Math.max(GRADCAM_SIZE, input.width, input.height);
  const W = Math.round((side * input.width) / Math.max(input.width, input.height));
  const H = Math.round((side * input.height) / Math.max(input.width, input.height));
  const base = await sharp(Buffer.from(decodeBase64(input.data)), {
    raw: { width: input.width, height: input.height, channels: input.channels },
  })
    .resize(W, H, { kernel: 'cubic' })
    .toColourspace(input.channels === 3 ? 'srgb' : 'b-w')
    .raw()
    .toBuffer();
  const { width: w, height: h, values } = inspection.heatmap;
  const out = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const t = w * h > 0 ? sample(values, w, h, x, y, W, H) : 0;
      const [r, g, b] = heatColor(t);
      const alpha = 0.25 + 0.45 * t; // weak evidence lets the image through
      const i = y * W + x;
      for (let c = 0; c < 3; c++) {
        const v = input.channels === 3 ? base[i * 3 + c] : base[i];
        out[i * 3 + c] = Math.round((1 - alpha) * v + alpha * [r, g, b][c]);
      }
    }
  await sharp(out, { raw: { width: W, height: H, channels: 3 } })
    .png()
    .toFile(file);
}

/** Writes the PNGs and index.json into `dir` (existing, empty); returns the index. */
export async function writeInspectionFiles(
  inspection: Inspection,
  spec: ModelSpec,
  dir: string,
): Promise<InspectIndex> {
  const shapes = describeModel(spec).layers.map((l) => l.outputShape);
  const files: InspectIndexFile[] = [];
  for (const layer of inspection.layers) {
    const L = layer.layerIndex + 1;
    const filters = inspection.filters.find((f) => f.layerIndex === layer.layerIndex);
    if (filters) {
      const file = `filters-${L}.png`;
      await atlasPng(filters.atlas, scaleFor(filters.atlas), path.join(dir, file));
      const [oc, , kh, kw] = filters.shape;
      files.push({ file, layer: L, type: layer.type, shape: [oc, kh, kw] });
    }
    if (layer.type === 'conv2d' || POOLING.has(layer.type)) {
      const [C, H, W] = layer.shape;
      let atlas = layer.maps;
      if (!atlas) {
        // a [C, 1, 1] output: one pixel per channel, one shared scale
        const values = layer.values ?? [];
        const range: [number, number] = [Math.min(...values), Math.max(...values)];
        atlas = tileAtlas(values, values.length, 1, 1, range[1] > range[0] ? { range } : {});
      }
      const file = `maps-${L}.png`;
      await atlasPng(atlas, scaleFor(atlas), path.join(dir, file));
      files.push({ file, layer: L, type: layer.type, shape: [C, H, W] });
    }
  }
  await gradcamPng(inspection, path.join(dir, 'gradcam.png'));
  const camLayer = inspection.heatmap.layerIndex;
  files.push({
    file: 'gradcam.png',
    layer: camLayer + 1,
    type: camLayer < 0 ? 'input' : spec.layers[camLayer].type,
    shape:
      camLayer < 0
        ? [spec.input.channels, spec.input.height, spec.input.width]
        : (shapes[camLayer] as [number, number, number]),
  });
  const index: InspectIndex = {
    files,
    prediction: { top: inspection.top.map((t) => ({ label: t.label, probability: t.probability })) },
    gradcamClass: inspection.heatmap.label,
  };
  fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
  return index;
}
