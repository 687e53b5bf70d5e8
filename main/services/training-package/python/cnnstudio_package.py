"""Helpers of train.py (a CNN Studio training package): the package and its dataset, the app's augmentation and
learning-rate schedule, gradient clipping, and the writers of the outputs (model.cnnmodel, model.onnx, JSON files).

Where the app defines the recipe, this mirrors it (native-workers/cnn in CNN Studio's sources):
  schedule   learningRateAt: linear warm-up base·(step+1)/warmup, then constant, step (gamma every N epochs) or
             cosine from base to minLr over the steps after the warm-up
  clipping   one scale for the whole gradient when its global L2 norm exceeds the limit (no epsilon)
  augment    per training image, in this order: horizontal flip (p 0.5), shift by up to maxShift pixels with zero
             fill, brightness offset in ±brightness, contrast factor in 1 ± contrast around the image mean
  decay      on conv / dense weights only (model.py's parameter_groups)
The random draws are PyTorch's / NumPy's, not the app's: the same recipe, not the same random numbers.
"""
import csv
import inspect
import json
import math
import os
import struct
import time

import numpy as np
import torch
import torch.nn.functional as F

PACKAGE_FORMAT = "cnn-studio-training-package"
PACKAGE_VERSION = 1
SPLITS = ("train", "val", "test")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff")

# The app's preprocessing, as its model files state it (native-workers/cnn/model-file.ts).
PREPROCESSING_DESCRIPTION = (
    'EXIF orientation applied; transparency flattened onto white; first frame/page only; resized to '
    'size×size with fit "cover" (aspect kept, centre crop, area averaging); 1 gray channel or 3 sRGB channels; '
    'uint8 laid out channel-major C×H×W; the network input is value / 255 (float32 in [0, 1]).'
)
ONNX_INPUT_NAME = "image"
ONNX_OUTPUT_NAME = "probabilities"


class PackageError(Exception):
    """A package that cannot be trained as it is; the message says why and what to do."""


# ----------------------------------------------------------------------------------------------- the package


def load_package(root):
    """training.json, checked: its format, and a version this script reads."""
    path = os.path.join(root, "training.json")
    try:
        with open(path, encoding="utf-8") as f:
            pkg = json.load(f)
    except FileNotFoundError:
        raise PackageError(f"{path} not found: run train.py from a training package folder") from None
    except json.JSONDecodeError as e:
        raise PackageError(f"{path} is not valid JSON ({e})") from None
    if pkg.get("format") != PACKAGE_FORMAT:
        raise PackageError(f"{path} is not a CNN Studio training package (format {pkg.get('format')!r})")
    version = pkg.get("version")
    if not isinstance(version, int) or version > PACKAGE_VERSION:
        raise PackageError(
            f"training.json is version {version}, newer than this train.py reads ({PACKAGE_VERSION}): "
            "use the train.py exported with it (export the package again with the same CNN Studio)"
        )
    return pkg


def read_manifest(root, pkg):
    """The manifest's rows as dicts (file, label, split, sha256), in tensors.u8 order."""
    path = os.path.join(root, pkg["dataset"]["manifest"])
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for i, row in enumerate(rows):
        if row.get("split") not in SPLITS or row.get("label") not in pkg["classNames"]:
            raise PackageError(f"{path} row {i + 2}: unknown split {row.get('split')!r} or label {row.get('label')!r}")
    return rows


class TensorImages:
    """dataset/tensors.u8: the app's decoded pixels, one uint8 C×H×W image per manifest row (memory-mapped)."""

    def __init__(self, root, pkg, rows):
        d = pkg["dataset"]["input"]
        self.shape = (d["channels"], d["height"], d["width"])
        path = os.path.join(root, pkg["dataset"]["tensors"])
        size = int(np.prod(self.shape))
        actual = os.path.getsize(path)
        if actual != size * len(rows):
            raise PackageError(f"{path} holds {actual} bytes, expected {len(rows)} images of {size} bytes")
        self.data = np.memmap(path, dtype=np.uint8, mode="r", shape=(len(rows),) + self.shape)
        self.rows = rows

    def __len__(self):
        return len(self.rows)

    def pixels(self, i):
        return np.asarray(self.data[i])


class FileImages:
    """--from-images: the image files under dataset/, decoded with Pillow like the app decodes them (EXIF
    orientation, first frame, transparency on white, cover-centre resize, gray or RGB). Not bit-identical with
    the app's decode (sharp / libvips resampling differs). Files added next to the exported ones
    (dataset/<split>/<class folder>/) are trained on too."""

    def __init__(self, root, pkg, rows):
        d = pkg["dataset"]["input"]
        self.shape = (d["channels"], d["height"], d["width"])
        self.base = os.path.join(root, "dataset")
        self.rows = [dict(r) for r in rows]
        known = {os.path.normpath(r["file"]) for r in rows}
        folder_label = {tuple(os.path.normpath(r["file"]).split(os.sep)[:2]): r["label"] for r in rows}
        for split in SPLITS:
            for name in pkg["classNames"]:
                folder_label.setdefault((split, name), name)
        for (split, folder), label in sorted(folder_label.items()):
            d = os.path.join(self.base, split, folder)
            if not os.path.isdir(d):
                continue
            for f in sorted(os.listdir(d)):
                rel = os.path.join(split, folder, f)
                if f.lower().endswith(IMAGE_EXTENSIONS) and os.path.normpath(rel) not in known:
                    self.rows.append({"file": rel, "label": label, "split": split, "sha256": ""})

    def __len__(self):
        return len(self.rows)

    def pixels(self, i):
        return decode_image(os.path.join(self.base, self.rows[i]["file"]), self.shape)


def decode_image(path, shape):
    """An image file as uint8 C×H×W: EXIF orientation, frame 0, flattened on white, cover-centre resize."""
    from PIL import Image, ImageOps  # only --from-images needs Pillow

    channels, height, width = shape
    with Image.open(path) as im:
        im.seek(0)
        im = ImageOps.exif_transpose(im)
        if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
            im = im.convert("RGBA")
            white = Image.new("RGBA", im.size, (255, 255, 255, 255))
            im = Image.alpha_composite(white, im)
        im = im.convert("L" if channels == 1 else "RGB")
        scale = max(width / im.width, height / im.height)
        w, h = max(width, round(im.width * scale)), max(height, round(im.height * scale))
        im = im.resize((w, h), Image.LANCZOS)
        left, top = (w - width) // 2, (h - height) // 2
        im = im.crop((left, top, left + width, top + height))
        a = np.asarray(im, dtype=np.uint8)
    return a[None, :, :] if channels == 1 else a.transpose(2, 0, 1).copy()


def split_indices(images, class_names, split):
    """(indices, labels) of one split, in manifest order."""
    index = {name: i for i, name in enumerate(class_names)}
    picked = [(i, index[r["label"]]) for i, r in enumerate(images.rows) if r["split"] == split]
    return np.array([p[0] for p in picked], dtype=np.int64), np.array([p[1] for p in picked], dtype=np.int64)


# ------------------------------------------------------------------------------------------- data + augmentation


class SplitDataset(torch.utils.data.Dataset):
    """One split as (float32 C×H×W in [0, 1], label) pairs; with an augmentation config, each image is augmented
    with a generator seeded by (seed, epoch, image), so the result depends neither on the number of processes or
    loader workers nor on a resume."""

    def __init__(self, images, indices, labels, augmentation=None, seed=0):
        self.images, self.indices, self.labels = images, indices, labels
        self.augmentation = augmentation if augmentation and augmentation_active(augmentation) else None
        self.seed = seed
        self.epoch = 0

    def set_epoch(self, epoch):
        self.epoch = epoch

    def __len__(self):
        return len(self.indices)

    def __getitem__(self, i):
        x = self.images.pixels(int(self.indices[i])).astype(np.float32) / np.float32(255)
        if self.augmentation:
            rng = np.random.default_rng([self.seed, 4, self.epoch, int(self.indices[i])])
            x = augment_image(x, self.augmentation, rng)
        return torch.from_numpy(np.ascontiguousarray(x)), int(self.labels[i])


def augmentation_active(a):
    return bool(a.get("flipHorizontal")) or any(a.get(k, 0) for k in ("maxShift", "brightness", "contrast"))


def augment_image(x, a, rng):
    """The app's augmentation of one C×H×W image (train/augment.ts): the same draws in the same order."""
    s, b, k = int(a.get("maxShift", 0) or 0), float(a.get("brightness", 0) or 0), float(a.get("contrast", 0) or 0)
    flip = rng.random() < 0.5 if a.get("flipHorizontal") else False
    dy = int(rng.integers(2 * s + 1)) - s if s > 0 else 0
    dx = int(rng.integers(2 * s + 1)) - s if s > 0 else 0
    delta = (2 * rng.random() - 1) * b if b > 0 else 0.0
    factor = 1 + (2 * rng.random() - 1) * k if k > 0 else 1.0
    if flip:
        x = x[:, :, ::-1]
    _, h, w = x.shape
    if abs(dy) >= h or abs(dx) >= w:
        x = np.zeros_like(x)
    elif dx or dy:
        out = np.zeros_like(x)
        # out[y, x] = in[y - dy, x - dx] where that lies inside the image, else 0
        out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            x[:, max(-dy, 0):h - max(dy, 0), max(-dx, 0):w - max(dx, 0)]
        x = out
    if delta:
        x = x + np.float32(delta)
    if factor != 1:
        mean = x.mean(dtype=np.float64)
        x = (mean + (x - mean) * factor).astype(np.float32)
    return x


# --------------------------------------------------------------------------------------------- recipe pieces


def learning_rate_at(base, schedule, warmup, step, steps_per_epoch, total_steps):
    """The app's learningRateAt (optim/schedule.ts) for the 0-based step."""
    if step < warmup:
        return base * (step + 1) / warmup
    kind = schedule.get("type", "constant")
    if kind == "constant":
        return base
    if kind == "step":
        return base * schedule["gamma"] ** math.floor(step / steps_per_epoch / schedule["everyEpochs"])
    if kind == "cosine":
        min_lr = schedule.get("minLr", 0.0) or 0.0
        span = max(1, total_steps - warmup)
        t = min(1.0, (step - warmup) / span)
        return min_lr + (base - min_lr) * 0.5 * (1 + math.cos(math.pi * t))
    raise PackageError(f"unknown learning-rate schedule {kind!r}")


def clip_grad_norm(parameters, max_norm):
    """Scales the gradients so that their global L2 norm is at most max_norm (the app's clip.ts: no epsilon);
    returns the norm before clipping."""
    grads = [p.grad for p in parameters if p.grad is not None]
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g.float()) for g in grads]))
    if max_norm is not None and norm.item() > max_norm:
        for g in grads:
            g.mul_(max_norm / norm)
    return norm.item()


def make_optimizer(groups, optimizer, lr):
    """torch's SGD / Adam / AdamW with the app's hyperparameters (the app's optimizers follow PyTorch's
    semantics: Adam's decay is L2 in the gradient, AdamW's is decoupled)."""
    kind = optimizer["type"]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=lr, momentum=optimizer.get("momentum", 0.0) or 0.0,
                               nesterov=bool(optimizer.get("nesterov", False)))
    betas = (optimizer.get("beta1", 0.9), optimizer.get("beta2", 0.999))
    cls = torch.optim.AdamW if kind == "adamw" else torch.optim.Adam
    if kind not in ("adam", "adamw"):
        raise PackageError(f"unknown optimizer {kind!r}")
    return cls(groups, lr=lr, betas=betas, eps=optimizer.get("epsilon", 1e-8))


def default_weight_decay(optimizer):
    return optimizer.get("weightDecay", 0.01 if optimizer["type"] == "adamw" else 0.0)


# ------------------------------------------------------------------------------------------------- outputs


def write_atomic(path, data):
    """Writes bytes to path through a temporary file and a rename, so a reader never sees half a file."""
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def jsonable(value):
    """value with every NaN or infinity (a diverged loss) as None: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def json_line(value):
    return json.dumps(jsonable(value), ensure_ascii=False, allow_nan=False) + "\n"


def write_json(path, value):
    text = json.dumps(jsonable(value), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    write_atomic(path, text.encode("utf-8"))


def save_checkpoint(path, checkpoint):
    tmp = f"{path}.tmp-{os.getpid()}"
    torch.save(checkpoint, tmp)
    os.replace(tmp, path)


def iso_now():
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + ".000Z"


def cnnmodel_meta(pkg, spec, accuracy, epochs, best_epoch):
    """The .cnnmodel metadata (native-workers/cnn/model-file.ts CnnModelMeta, version 1)."""
    channels = 3 if spec["input"]["channels"] == 3 else 1
    source = pkg.get("source") or {}
    run = ({"id": source["runId"], "name": source.get("runName", ""), "project": pkg["project"]["name"]}
           if source.get("kind") == "run" else None)
    return {
        "kind": "cnnmodel",
        "version": 1,
        "labels": list(pkg["classNames"]),
        "preprocessing": {
            "inputSize": spec["input"]["height"],
            "color": "rgb" if channels == 3 else "gray",
            "channels": channels,
            "layout": "CHW",
            "scale": "divide-255",
            "resize": "cover-centre",
            "background": "white",
            "description": PREPROCESSING_DESCRIPTION,
        },
        "metrics": {"accuracy": accuracy, "epochs": epochs, "bestEpoch": best_epoch},
        "appVersion": f"{pkg.get('appVersion', 'unknown')} (PyTorch {torch.__version__})",
        "run": run,
        "createdAt": iso_now(),
    }


def encode_cnnmodel(spec, meta, params, state):
    """CNN Studio's model file (bundle.ts + model-file.ts): "CNNS", container version 1 (uint32 LE), header length
    (uint32 LE), the JSON header space-padded to a multiple of 4, then params and state as float32 LE."""
    params = np.asarray(params, dtype="<f4").reshape(-1)
    state = np.asarray(state, dtype="<f4").reshape(-1)
    header = {"format": "cnn-studio-model", "spec": spec, "meta": meta,
              "sections": [["params", int(params.size)], ["state", int(state.size)]]}
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 4)
    return b"CNNS" + struct.pack("<II", 1, len(text)) + text + params.tobytes() + state.tobytes()


def _pad_symbolic(g, x, pad, mode, value):
    """aten::pad as ONE ONNX Pad with constant pads (torch 1.13 emits a dozen shape ops for F.pad otherwise)."""
    from torch.onnx import symbolic_helper

    pads = symbolic_helper._get_const(pad, "is", "pad")
    n = 4
    begin, end = [0] * n, [0] * n
    for i in range(len(pads) // 2):
        begin[n - 1 - i], end[n - 1 - i] = pads[2 * i], pads[2 * i + 1]
    return g.op("Pad", x, g.op("Constant", value_t=torch.tensor(begin + end, dtype=torch.int64)), mode_s="constant")


class _Probabilities(torch.nn.Module):
    """What the ONNX file computes: softmax over the network's logits."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return F.softmax(self.net(x), dim=1)


def _varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _metadata_props(entries):
    """ModelProto.metadata_props (field 14) as protobuf bytes: appending them to a serialized ModelProto adds them."""
    out = b""
    for key, value in entries.items():
        k, v = key.encode("utf-8"), value.encode("utf-8")
        entry = b"\x0a" + _varint(len(k)) + k + b"\x12" + _varint(len(v)) + v
        out += b"\x72" + _varint(len(entry)) + entry
    return out


def export_onnx(path, net, pkg, spec):
    """model.onnx: opset 13, input "image" float32 [N, C, H, W] in [0, 1] (N dynamic), output "probabilities"
    [N, classes] after softmax, batch norm kept as BatchNormalization nodes, CNN Studio's metadata_props."""
    import io

    try:
        torch.onnx.register_custom_op_symbolic("aten::pad", _pad_symbolic, 13)
    except Exception:  # noqa: BLE001 - another torch: its own (longer, equivalent) export of F.pad
        pass
    # newer torch (2.9+) exports through dynamo by default; this file relies on the TorchScript exporter
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    wrapper = _Probabilities(net.eval())
    # the wrapper claims training mode only so that torch does not merge equal-valued weights into Identity nodes;
    # the network itself is in eval mode and TrainingMode.PRESERVE keeps it so (no batch norm folding)
    wrapper.training = True
    c, h, w = spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"]
    buf = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(wrapper, torch.zeros(1, c, h, w), buf, opset_version=13,
                          input_names=[ONNX_INPUT_NAME], output_names=[ONNX_OUTPUT_NAME],
                          dynamic_axes={ONNX_INPUT_NAME: {0: "N"}, ONNX_OUTPUT_NAME: {0: "N"}},
                          training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False, **legacy)
    color = "rgb" if c == 3 else "gray"
    meta = {
        "labels": json.dumps(pkg["classNames"], ensure_ascii=False),
        "input": json.dumps({"name": ONNX_INPUT_NAME, "dtype": "float32", "layout": "NCHW", "shape": ["N", c, h, w],
                             "range": [0, 1], "color": color, "size": h}),
        "output": json.dumps({"name": ONNX_OUTPUT_NAME, "dtype": "float32", "shape": ["N", spec["numClasses"]]}),
        "preprocessing": PREPROCESSING_DESCRIPTION,
        "app_version": f"{pkg.get('appVersion', 'unknown')} (PyTorch {torch.__version__})",
    }
    write_atomic(path, buf.getvalue() + _metadata_props(meta))
