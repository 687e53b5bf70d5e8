#!/usr/bin/python3
"""PyTorch twin of `cnn-studio train PROJECT --preset medium` on a photo set of class folders (scripts/make-photo-set.mjs):
the same network, initialisation, data split, pixels, augmentation and recipe as the app, so its test accuracy is
the figure ours should match (issue 14, "Photo-like data and accuracy").

What it mirrors (read from the app's code; change both together):
- data: OUT/train imported as a project: the 80/10/10 split the importer makes (stratified per label, images in the
  order of sha256("42:" + sha256(file)), each to the split furthest below its share: main/services/dataset/splits.ts),
  or read from the project's database with --db; the model trains on "train", validates on "val" after each epoch,
  and the final (last-epoch) weights are tested on OUT/test.
- pixels: the JPEG decoded to 8-bit sRGB (Pillow gives the same bytes as sharp/libjpeg-turbo for these files), at
  96x96 already (the import's cover-resize is the identity), channel-major, / 255, no mean/std normalisation.
- network: presetSpec('medium', 96x96x3, classes) as `cnn-studio model describe --json` gives it (or --spec FILE),
  built by torch_from_spec.py: conv3x3/32 stride 2 'same' (the one padding pixel right/bottom, like ours), BN, ReLU,
  maxpool2, then conv64, conv128, conv128 (each same, BN, ReLU, maxpool2), global average pool, dropout 0.3, dense.
  BN momentum 0.1, eps 1e-5. Init 'fan-in-uniform' (U(+-1/sqrt(fan_in)) for weights and biases, init.ts) is
  PyTorch's default for Conv2d/Linear.
- recipe: presetSettings('medium') through trainingConfigFor (main/services/training/settings.ts): AdamW lr 1e-3,
  betas (0.9, 0.999), eps 1e-8, weight decay 0.05 on conv and dense weights only (not biases, not BN: plan.ts
  `decay`), batch 32 (last batch partial), a fresh shuffle per epoch, gradient clipping to global norm 5, cosine
  schedule with presetTrainingConfig's 200 warm-up steps and floor 1e-5 (this script's defaults). Until 2026-11-28
  the app's preset settings dropped both; the runs measured before then used --warmup-steps 0 --min-lr 0.
- augmentation (native-workers/cnn/train/augment.ts), per image: flip with p 0.5, then a shift by integers dy, dx in
  [-6, 6] with zero fill, then one brightness offset in [-0.1, 0.1] added to every pixel (fill included), no clamp.

usage: /usr/bin/python3 test/bench/pytorch-photo-twin.py SET_DIR [--epochs 20] [--seed 1] [--threads 2]
           [--db PROJECT_DB] [--spec SPEC.json] [--warmup-steps 200] [--min-lr 1e-5] [--ghost-bn 1]
           [--default-malloc] [--json]
  --default-malloc  glibc's malloc defaults instead of PyTorch's faster configuration (torch_malloc.py); the
                 runs measured before 2026-11-28 11:00 UTC used the defaults
  --ghost-bn K   batchnorm statistics over K equal shards of each batch (ours with K workers normalises per shard)
prints progress on stderr; with --json one JSON object on stdout at the end.
"""
import argparse, hashlib, json, math, os, subprocess, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_from_spec import build_module, decay_groups  # noqa: E402
from torch_malloc import keep_freed_memory  # noqa: E402

SPLIT_SEED = 42
SPLIT_RATIOS = (("train", 0.8), ("val", 0.1), ("test", 0.1))
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png"}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def class_folders(root):
    """(path, class name) of every image under root/<class>/, in path order (the importer's scan order)."""
    files = []
    for c in sorted(os.listdir(root)):
        d = os.path.join(root, c)
        if not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if os.path.splitext(f)[1].lower() in IMAGE_EXTENSIONS:
                files.append((os.path.join(d, f), c))
    files.sort(key=lambda t: t[0])
    return files


def split_key(sha_hex):
    h = hashlib.sha256(f"{SPLIT_SEED}:{sha_hex}".encode()).digest()
    return int.from_bytes(h[:4], "big") / 2**32


def app_splits(files):
    """The importer's automatic split (main/services/dataset/splits.ts fillSplits) of freshly imported files."""
    by_label = {}
    for i, (path, label) in enumerate(files):
        sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
        by_label.setdefault(label, []).append((split_key(sha), i, path))
    split_of = {}
    for items in by_label.values():
        items.sort()
        counts = {s: 0 for s, _ in SPLIT_RATIOS}
        for _, _, path in items:
            total = sum(counts.values()) + 1
            best, best_deficit = "train", -math.inf
            for s, r in SPLIT_RATIOS:
                if r <= 0:
                    continue
                deficit = r * total - counts[s]
                if deficit > best_deficit + 1e-9:
                    best, best_deficit = s, deficit
            counts[best] += 1
            split_of[path] = best
    return split_of


def db_splits(db):
    import sqlite3

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("SELECT source_path, split FROM images WHERE removed_at IS NULL").fetchall()
    return {os.path.realpath(p): s for p, s in rows}


def load_images(items, classes):
    x = np.empty((len(items), 3, 96, 96), np.uint8)
    y = np.empty(len(items), np.int64)
    for k, (path, label) in enumerate(items):
        im = np.asarray(Image.open(path).convert("RGB"))
        if im.shape != (96, 96, 3):
            raise SystemExit(f"{path}: {im.shape}, expected 96x96 RGB")
        x[k] = im.transpose(2, 0, 1)
        y[k] = classes.index(label)
    return torch.from_numpy(x), torch.from_numpy(y)


class GhostBatchNorm2d(nn.BatchNorm2d):
    """BatchNorm2d whose training statistics come from `shards` equal parts of the batch (ours with that many
    data-parallel workers, each normalising its own shard); running statistics are the shards' average."""

    def __init__(self, c, shards):
        super().__init__(c)
        self.shards = shards

    def forward(self, x):
        if not self.training or self.shards == 1 or x.shape[0] < self.shards:
            return super().forward(x)
        parts = torch.tensor_split(x, self.shards)
        mean0, var0 = self.running_mean.clone(), self.running_var.clone()
        outs, means, vars_ = [], [], []
        for p in parts:
            self.running_mean.copy_(mean0)
            self.running_var.copy_(var0)
            outs.append(super().forward(p))
            means.append(self.running_mean.clone())
            vars_.append(self.running_var.clone())
        self.running_mean.copy_(torch.stack(means).mean(0))
        self.running_var.copy_(torch.stack(vars_).mean(0))
        return torch.cat(outs)


def medium_spec(classes):
    """presetSpec('medium', 96x96x3, classes) as the app's CLI describes it (one source of truth: presets.ts)."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    argv = [os.environ.get("NODE", "node"), os.path.join(root, "bin", "cnn-studio.js"), "--json", "model", "describe",
            "--preset", "medium", "--size", "96", "--color", "rgb", "--classes", str(classes)]
    return json.loads(subprocess.run(argv, check=True, capture_output=True, text=True).stdout)["spec"]


def build(spec, ghost):
    """The spec's network (torch_from_spec.py); batch norms over `ghost` shards of each batch when ghost > 1."""
    if spec.get("init") not in (None, "fan-in-uniform"):
        raise SystemExit(f"init {spec['init']!r}: the twin relies on PyTorch's default init, which is fan-in-uniform")
    model = build_module(spec)
    if ghost > 1:
        for i, m in enumerate(model):
            if isinstance(m, nn.BatchNorm2d):
                model[i] = GhostBatchNorm2d(m.num_features, ghost)
    return model


def augment(x, gen, max_shift=6, brightness=0.1):
    """augment.ts per image: flip (p 0.5), shift with zero fill, then a brightness offset over every pixel."""
    n, _, h, w = x.shape
    out = torch.empty_like(x)
    padded = F.pad(x, (max_shift,) * 4)
    r = torch.rand(n, 4, generator=gen)
    for i in range(n):
        dy = int(r[i, 1] * (2 * max_shift + 1)) - max_shift
        dx = int(r[i, 2] * (2 * max_shift + 1)) - max_shift
        src = padded[i]
        if r[i, 0] < 0.5:
            src = src.flip(-1)
        # out[y, x] = src[y - dy, x - dx]
        out[i] = src[:, max_shift - dy : max_shift - dy + h, max_shift - dx : max_shift - dx + w]
        out[i] += (2 * r[i, 3] - 1) * brightness
    return out


def learning_rate(step, total, base, warmup, min_lr):
    """native-workers/cnn/optim/schedule.ts learningRateAt, cosine."""
    if step < warmup:
        return base * (step + 1) / warmup
    span = max(1, total - warmup)
    t = min(1.0, (step - warmup) / span)
    return min_lr + (base - min_lr) * 0.5 * (1 + math.cos(math.pi * t))


def evaluate(model, x, y, batch=256):
    model.eval()
    loss, correct = 0.0, 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            logits = model(x[i : i + batch].float() / 255)
            loss += F.cross_entropy(logits, y[i : i + batch], reduction="sum").item()
            correct += (logits.argmax(1) == y[i : i + batch]).sum().item()
    return loss / len(x), correct / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("set_dir")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--warmup-steps", type=int, default=200)
    ap.add_argument("--min-lr", type=float, default=1e-5)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--shift", type=int, default=6)
    ap.add_argument("--brightness", type=float, default=0.1)
    ap.add_argument("--ghost-bn", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--spec", help="a model spec JSON (default: the medium preset's, from bin/cnn-studio.js)")
    ap.add_argument("--db", help="the project's database: take the train/val split from it")
    ap.add_argument("--default-malloc", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    malloc = "glibc malloc defaults" if a.default_malloc else keep_freed_memory() or "malloc defaults"
    log(f"allocator: {malloc}")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    t_load = time.perf_counter()
    files = class_folders(os.path.join(a.set_dir, "train"))
    classes = sorted({c for _, c in files})
    if a.db:
        split_of = db_splits(a.db)
        split_of = {p: split_of[os.path.realpath(p)] for p, _ in files}
        derived = app_splits(files)
        mismatches = sum(split_of[p] != derived[p] for p, _ in files)
        log(f"split from {a.db}; the twin's own derivation differs on {mismatches} of {len(files)} images")
    else:
        split_of = app_splits(files)
    xtr, ytr = load_images([f for f in files if split_of[f[0]] == "train"], classes)
    xva, yva = load_images([f for f in files if split_of[f[0]] == "val"], classes)
    xte, yte = load_images(class_folders(os.path.join(a.set_dir, "test")), classes)
    log(f"train {len(xtr)}, val {len(xva)}, test {len(xte)} images, {len(classes)} classes; "
        f"loaded in {time.perf_counter() - t_load:.1f} s")

    spec = json.load(open(a.spec)) if a.spec else medium_spec(len(classes))
    spec = spec.get("spec", spec)  # a model spec, or `model describe --json` around one
    model = build(spec, a.ghost_bn)
    opt = torch.optim.AdamW(decay_groups(model, a.weight_decay), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    batches = math.ceil(len(xtr) / a.batch)
    total = batches * a.epochs
    gen = torch.Generator().manual_seed(a.seed + 1)
    step = 0
    epochs = []
    t0 = time.perf_counter()
    train_seconds = 0.0
    for epoch in range(a.epochs):
        model.train()
        te = time.perf_counter()
        order = torch.randperm(len(xtr), generator=gen)
        loss_sum, correct, seen, step_seconds = 0.0, 0, 0, 0.0
        for b in range(batches):
            ts = time.perf_counter()
            idx = order[b * a.batch : (b + 1) * a.batch]
            x = augment(xtr[idx].float() / 255, gen, a.shift, a.brightness)
            y = ytr[idx]
            lr = learning_rate(step, total, a.lr, a.warmup_steps, a.min_lr)
            for g in opt.param_groups:
                g["lr"] = lr
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if a.clip > 0:
                nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            opt.step()
            step += 1
            loss_sum += loss.item() * len(y)
            correct += (logits.argmax(1) == y).sum().item()
            seen += len(y)
            step_seconds += time.perf_counter() - ts
            if (b + 1) % 50 == 0 and b + 1 < batches:
                log(f"  epoch {epoch + 1} batch {b + 1}/{batches}: loss {loss_sum / seen:.4f}, {seen / step_seconds:.1f} img/s")
        train_seconds += step_seconds
        val_loss, val_acc = evaluate(model, xva, yva)
        e = {
            "epoch": epoch + 1,
            "trainLoss": round(loss_sum / seen, 4),
            "trainAccuracy": round(correct / seen, 4),
            "valLoss": round(val_loss, 4),
            "valAccuracy": round(val_acc, 4),
            "seconds": round(time.perf_counter() - te, 1),
            "imagesPerSecond": round(seen / step_seconds, 1),
        }
        epochs.append(e)
        log(f"epoch {e['epoch']}: train loss {e['trainLoss']}, train acc {e['trainAccuracy']:.4f}, val loss "
            f"{e['valLoss']}, val acc {e['valAccuracy']:.4f}, {e['seconds']} s, {e['imagesPerSecond']} img/s, lr {lr:.2e}")
    wall = time.perf_counter() - t0
    test_loss, test_acc = evaluate(model, xte, yte)
    result = {
        "library": f"pytorch {torch.__version__}",
        "threads": a.threads,
        "malloc": malloc,
        "recipe": {k: getattr(a, k) for k in ("epochs", "batch", "lr", "weight_decay", "warmup_steps", "min_lr",
                                              "clip", "shift", "brightness", "ghost_bn", "seed")},
        "dataset": {"train": len(xtr), "val": len(xva), "test": len(xte), "classes": classes},
        "epochs": epochs,
        "trainSeconds": round(wall, 1),
        "stepSeconds": round(train_seconds, 1),
        "trainImagesPerSecond": round(len(xtr) * a.epochs / train_seconds, 1),
        "testAccuracy": round(test_acc, 4),
        "testLoss": round(test_loss, 4),
        "loadavg": [round(v, 2) for v in os.getloadavg()],
    }
    log(f"test accuracy {test_acc * 100:.2f} % on {len(xte)} images; training {wall:.1f} s "
        f"({result['trainImagesPerSecond']} img/s in the steps); load {result['loadavg']}")
    if a.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
