"""Builds the spec's network in PyTorch (test/bench/torch_from_spec.py), loads the core's weights, and exports it
with torch.onnx.export (opset 13, eval mode), writing model.onnx and torch's own logits y.f32 for x.f32.

usage: torch_export.py BENCH_DIR WORK_DIR   (WORK_DIR holds spec.json, params.f32, state.f32, x.f32)
Prints {"batchNormNodes": N}: the BatchNormalization nodes left in the exported graph."""
import json
import os
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, sys.argv[1])
from torch_from_spec import build_module, load_flat  # noqa: E402

work = sys.argv[2]
spec = json.load(open(os.path.join(work, "spec.json")))
params = np.fromfile(os.path.join(work, "params.f32"), dtype="<f4")
state = np.fromfile(os.path.join(work, "state.f32"), dtype="<f4")
inp = spec["input"]
x = torch.from_numpy(np.fromfile(os.path.join(work, "x.f32"), dtype="<f4").copy()).view(
    -1, inp["channels"], inp["height"], inp["width"])

module = build_module(spec)
load_flat(module, params, state)
module.eval()
with torch.no_grad():
    y = module(x)
y.numpy().astype("<f4").tofile(os.path.join(work, "y.f32"))
out = os.path.join(work, "model.onnx")
torch.onnx.export(module, x[:1], out, opset_version=13, input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
graph = onnx.load(out).graph
print(json.dumps({"batchNormNodes": sum(1 for n in graph.node if n.op_type == "BatchNormalization")}))
