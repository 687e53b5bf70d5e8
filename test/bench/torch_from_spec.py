"""Builds a PyTorch module from a CNN Studio model spec (the JSON of app/domain/model-spec.ts ModelSpec), the same
architecture as the app's CNN core (native-workers/cnn), layer for layer:

  conv2d       nn.Conv2d(C, filters, kernel, stride, bias=True); 'same' padding as the core pads it
               (out = ceil(in / stride), the odd zero below/right, like TF / ONNX SAME_UPPER): symmetric padding
               goes into the Conv2d, asymmetric padding into an F.pad before it; 'valid' = 0; an integer = that
               many zeros on every side
  relu         nn.ReLU            leakyRelu   nn.LeakyReLU(alpha, default 0.01)
  maxPool2d    nn.MaxPool2d(size, stride)   avgPool2d   nn.AvgPool2d(size, stride)  (no padding, floor)
  globalAvgPool nn.AdaptiveAvgPool2d(1)     [N, C, H, W] -> [N, C, 1, 1]
  batchNorm    nn.BatchNorm2d(C, eps, momentum) on 4-D activations, nn.BatchNorm1d after a dense layer; the
               core's momentum is the weight of the new batch statistics, PyTorch's convention (default 0.1),
               eps default 1e-5
  dropout      nn.Dropout(rate)  (inverted dropout, identity in eval mode, like the core)
  flatten      nn.Flatten()      ([C, H, W] read as C·H·W in NCHW order, as the core reads it)
  dense        nn.Linear(inputs, units); a 4-D input is flattened first (the core's dense flattens its input);
               a 4-D layer after a dense one sees [N, units, 1, 1] (nn.Unflatten)

Parameters come in the core's flat order: layer by layer, conv/dense weight then bias ([out, in, kh, kw] and
[out, in], the same shapes as PyTorch's), batch norm gamma (weight) then beta (bias); the state buffer holds each
batch norm's running mean then running variance. `load_flat` copies a model file's params/state in;
`count_params` must equal the core's paramCount. The core's default initialisations are not reproduced (load the
core's weights with load_flat when values matter).

Used by test/bench/pytorch-ref.py (the benchmark's PyTorch twin) and meant for generated model.py files (issue #15).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def _pair(v):
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def conv_axis(size, kernel, stride, padding):
    """(pad_before, pad_after, out) along one axis, exactly as native-workers/cnn/shape.ts convAxis."""
    if padding == "same":
        out = math.ceil(size / stride)
        total = max((out - 1) * stride + kernel - size, 0)
        before = total // 2
        return before, total - before, out
    pad = 0 if padding == "valid" else int(padding)
    return pad, pad, (size + 2 * pad - kernel) // stride + 1


class PadConv2d(nn.Module):
    """Zero padding (left, right, top, bottom) then an unpadded convolution: the core's asymmetric 'same'."""

    def __init__(self, pads, conv):
        super().__init__()
        self.pads = pads
        self.conv = conv

    def forward(self, x):
        return self.conv(F.pad(x, self.pads))


def build_module(spec):
    """An nn.Sequential of the spec's layers; its input is [N, C, H, W] float32, its output the class logits."""
    c, h, w = spec["input"]["channels"], spec["input"]["height"], spec["input"]["width"]
    rank4 = True  # [N, C, H, W], else [N, features] after a dense layer
    mods = []
    for i, layer in enumerate(spec["layers"]):
        t = layer["type"]
        if t in ("conv2d", "maxPool2d", "avgPool2d", "globalAvgPool") and not rank4:
            mods.append(nn.Unflatten(1, (c, 1, 1)))
            rank4 = True
        if t == "conv2d":
            kh, kw = _pair(layer["kernelSize"])
            sh, sw = _pair(layer.get("stride", 1))
            padding = layer.get("padding", "valid")
            top, bottom, oh = conv_axis(h, kh, sh, padding)
            left, right, ow = conv_axis(w, kw, sw, padding)
            f = layer["filters"]
            if top == bottom and left == right:
                mods.append(nn.Conv2d(c, f, (kh, kw), (sh, sw), padding=(top, left)))
            else:
                mods.append(PadConv2d((left, right, top, bottom), nn.Conv2d(c, f, (kh, kw), (sh, sw))))
            c, h, w = f, oh, ow
        elif t in ("maxPool2d", "avgPool2d"):
            ph, pw = _pair(layer["size"])
            sh, sw = _pair(layer.get("stride", layer["size"]))
            pool = nn.MaxPool2d if t == "maxPool2d" else nn.AvgPool2d
            mods.append(pool((ph, pw), (sh, sw)))
            h, w = (h - ph) // sh + 1, (w - pw) // sw + 1
        elif t == "globalAvgPool":
            mods.append(nn.AdaptiveAvgPool2d(1))
            h = w = 1
        elif t == "relu":
            mods.append(nn.ReLU())
        elif t == "leakyRelu":
            mods.append(nn.LeakyReLU(layer.get("alpha", 0.01)))
        elif t == "dropout":
            mods.append(nn.Dropout(layer["rate"]))
        elif t == "batchNorm":
            bn = nn.BatchNorm2d if rank4 else nn.BatchNorm1d
            mods.append(bn(c, eps=layer.get("epsilon", 1e-5), momentum=layer.get("momentum", 0.1)))
        elif t in ("flatten", "dense"):
            if rank4:
                mods.append(nn.Flatten())
                c, h, w, rank4 = c * h * w, 1, 1, False
            if t == "dense":
                mods.append(nn.Linear(c, layer["units"]))
                c = layer["units"]
        else:
            raise ValueError(f"layer {i}: unknown type {t!r}")
    return nn.Sequential(*mods)


def count_params(module):
    return sum(p.numel() for p in module.parameters())


def load_flat(module, params, state=None):
    """Copies the core's flat parameter buffer (and batch norm state buffer) into the module, in the core's order."""
    params = torch.as_tensor(params, dtype=torch.float32).flatten()
    state = None if state is None else torch.as_tensor(state, dtype=torch.float32).flatten()
    p = s = 0
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear, nn.BatchNorm1d, nn.BatchNorm2d)):
                for t in (m.weight, m.bias):
                    t.copy_(params[p:p + t.numel()].view_as(t))
                    p += t.numel()
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)) and state is not None:
                for t in (m.running_mean, m.running_var):
                    t.copy_(state[s:s + t.numel()])
                    s += t.numel()
    if p != params.numel():
        raise ValueError(f"expected {p} parameters, got {params.numel()}")
    if state is not None and s != state.numel():
        raise ValueError(f"expected {s} state values, got {state.numel()}")


def decay_groups(module, weight_decay):
    """Optimizer parameter groups with weight decay on conv/dense weights only, as the core's decayMask."""
    decay, rest = [], []
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            decay.append(m.weight)
            rest.append(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            rest += [m.weight, m.bias]
    return [{"params": decay, "weight_decay": weight_decay}, {"params": rest, "weight_decay": 0.0}]


def make_optimizer(module, config):
    """The torch optimizer of a TrainingConfig's optimizer (+ learningRate): sgd, adam (L2), adamw (decoupled)."""
    o, lr = config["optimizer"], config["learningRate"]
    wd = o.get("weightDecay", 0.01 if o["type"] == "adamw" else 0.0)
    if o["type"] == "sgd":
        return torch.optim.SGD(decay_groups(module, wd), lr, momentum=o.get("momentum", 0.0),
                               nesterov=o.get("nesterov", False))
    betas = (o.get("beta1", 0.9), o.get("beta2", 0.999))
    eps = o.get("epsilon", 1e-8)
    cls = torch.optim.AdamW if o["type"] == "adamw" else torch.optim.Adam
    return cls(decay_groups(module, wd), lr, betas=betas, eps=eps)
