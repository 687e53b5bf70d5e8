/**
 * `predict.py`, written beside an ONNX export: onnxruntime + Pillow (+ numpy, which onnxruntime needs anyway).
 * Its `preprocess` reproduces CNN Studio's preprocessing (main/services/dataset/decode.ts, preprocessImage) step by
 * step; test/integration/export/sample-preprocessing.test.ts runs it with Debian's Pillow against the app's own
 * tensors. Python strings only: nothing here runs in the app.
 */
import type { CnnModelPreprocessing } from '../../../native-workers/cnn/model-file';

export function pythonSample(p: CnnModelPreprocessing): string {
  return `#!/usr/bin/env python3
"""Classify images with model.onnx, preprocessing them exactly as CNN Studio does.

    pip install onnxruntime pillow numpy
    python3 predict.py photo.jpg other.png [--top 3] [--json]

Prints the top-k classes (labels.txt, in output order) for every image given on the command line.
\`preprocess\` can be imported on its own (from predict import preprocess).
"""
import argparse
import json
import math
import os
import sys

import numpy as np
from PIL import Image, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))
SIZE = ${p.inputSize}  # side of the square network input, pixels
COLOR = "${p.color}"  # "gray" (1 channel) or "rgb" (3 channels)
INPUT_NAME = "image"  # float32 [N, C, SIZE, SIZE] in [0, 1]
OUTPUT_NAME = "probabilities"  # float32 [N, classes], softmax
# Small 8-bit images are used at their own size; larger ones are first shrunk to a shorter side of
# max(2 * SIZE, 128) (CNN Studio decodes them that way), then area-averaged to SIZE x SIZE.
SMALL_PIXELS = 256 * 256


def _srgb_to_linear(v):
    c = v / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(y):
    c = np.where(y <= 0.0031308, 12.92 * y, 1.055 * np.power(np.maximum(y, 0), 1 / 2.4) - 0.055)
    return c * 255.0


def _resample_matrix(in_len, out_len, scale):
    """[out_len, in_len] weights of a centre-cropped resize by \`scale\` (output px per source px):
    area (box) weights when shrinking, linear interpolation when enlarging."""
    m = np.zeros((out_len, in_len))
    span = out_len / scale
    start = (in_len - span) / 2
    for o in range(out_len):
        if scale <= 1:
            a = start + o / scale
            b = start + (o + 1) / scale
            for i in range(math.floor(a), math.ceil(b - 1e-9)):
                cover = min(b, i + 1) - max(a, i)
                if cover > 1e-9:
                    m[o, min(in_len - 1, max(0, i))] += cover / (b - a)
        else:
            centre = start + (o + 0.5) / scale - 0.5
            i0 = math.floor(centre)
            f = centre - i0
            m[o, min(in_len - 1, max(0, i0))] += 1 - f
            m[o, min(in_len - 1, max(0, i0 + 1))] += f
    return m


def _decode(path, size):
    """8-bit pixels [H, W, C] (C = 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA): first frame, EXIF orientation applied."""
    img = Image.open(path)
    img.seek(0)
    plain = img.mode in ("1", "L", "LA", "P", "PA", "RGB", "RGBA")
    img = ImageOps.exif_transpose(img)
    if img.mode in ("P", "PA"):
        img = img.convert("RGBA" if img.mode == "PA" or "transparency" in img.info else "RGB")
    elif img.mode == "1":
        img = img.convert("L")
    elif img.mode not in ("L", "LA", "RGB", "RGBA"):
        img = img.convert("RGBA" if "A" in img.mode else "RGB")
    w, h = img.size
    if not (plain and w * h <= SMALL_PIXELS):
        side = max(2 * size, 128)
        img = img.convert("RGBA" if img.mode in ("LA", "RGBA") else "RGB")
        scale = max(side / w, side / h)
        if scale < 1:
            img = img.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.LANCZOS)
    data = np.asarray(img, dtype=np.float64)
    return data if data.ndim == 3 else data[:, :, None]


def preprocess(path, size=SIZE, color=COLOR):
    """The network input for one image file: float32 [C, size, size] in [0, 1], as CNN Studio makes it."""
    data = _decode(path, size)
    h, w, have = data.shape
    # 1. Flatten transparency onto white; 1 gray channel (luminance in linear light) or 3 RGB channels.
    if have in (2, 4):
        a = data[:, :, have - 1 : have] / 255.0
        colours = data[:, :, : have - 1] * a + (1 - a) * 255.0
    else:
        colours = data
    if color == "gray":
        if colours.shape[2] == 1:
            planes = colours[:, :, :1]
        else:
            lin = _srgb_to_linear(colours)
            y = 0.2126 * lin[:, :, 0] + 0.7152 * lin[:, :, 1] + 0.0722 * lin[:, :, 2]
            planes = _linear_to_srgb(y)[:, :, None]
    else:
        planes = np.repeat(colours, 3, axis=2) if colours.shape[2] == 1 else colours[:, :, :3]
    planes = planes.astype(np.float32).astype(np.float64)  # CNN Studio keeps the planes in float32
    # 2. Cover-resize to size x size (aspect kept, centre crop) with area weights, round to uint8.
    scale = max(size / w, size / h)
    wx = _resample_matrix(w, size, scale)
    wy = _resample_matrix(h, size, scale)
    out = np.empty((planes.shape[2], size, size), dtype=np.float32)
    for c in range(planes.shape[2]):
        rows = (planes[:, :, c] @ wx.T).astype(np.float32).astype(np.float64)
        v = wy @ rows
        out[c] = np.clip(np.floor(v + 0.5), 0, 255)
    # 3. uint8 -> float32 in [0, 1].
    return out / np.float32(255)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Classify images with model.onnx")
    parser.add_argument("images", nargs="+", help="image files")
    parser.add_argument("--top", type=int, default=5, help="classes to print per image (default 5)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)

    import onnxruntime as ort  # pip install onnxruntime

    with open(os.path.join(HERE, "labels.txt"), encoding="utf-8") as f:
        labels = [line.rstrip("\\n") for line in f if line.strip()]
    session = ort.InferenceSession(os.path.join(HERE, "model.onnx"), providers=["CPUExecutionProvider"])
    batch = np.stack([preprocess(p) for p in args.images])
    (probabilities,) = session.run([OUTPUT_NAME], {INPUT_NAME: batch})
    results = []
    for path, row in zip(args.images, probabilities):
        order = np.argsort(-row)[: args.top]
        results.append({"file": os.path.abspath(path),
                        "top": [{"label": labels[i], "probability": float(row[i])} for i in order]})
    if args.json:
        print(json.dumps({"predictions": results}, indent=2))
    else:
        for r in results:
            print(r["file"])
            for t in r["top"]:
                print(f"  {t['probability'] * 100:6.2f} %  {t['label']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
`;
}
