"""Test driver of model-py.test.ts: loads generated model.py files and reports what the test compares.

argv[1] is a job JSON: {"package": DIR of cnnstudio_package.py, "cases": [{"dir", "batch"}], "inits": [{"dir",
"seed"}]}. For a forward case, DIR holds model.py, params.f32, state.f32 and x.f32 (float32 LE); the driver loads
the app's weights with load_flat, runs model.eval() on x and writes logits.f32, and exports model.onnx as train.py
does. For an init case it runs init_parameters(seed) and reports each learned
module's statistics. Prints one JSON line: {"cases": [{"count", "flatParamsEqual"}], "inits": [{module: stats}]}.
"""
import importlib.util
import json
import sys

import numpy as np
import torch

cs = None  # cnnstudio_package, imported from the job's folder


def load(dirname):
    spec = importlib.util.spec_from_file_location(f"model_{abs(hash(dirname))}", f"{dirname}/model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def forward_case(case):
    d = case["dir"]
    m = load(d)
    net = m.build_model()
    params = np.fromfile(f"{d}/params.f32", dtype="<f4")
    state = np.fromfile(f"{d}/state.f32", dtype="<f4")
    m.load_flat(net, params, state)
    net.eval()
    x = torch.from_numpy(np.fromfile(f"{d}/x.f32", dtype="<f4").reshape(case["batch"], *m.INPUT_SHAPE))
    with torch.no_grad():
        logits = net(x)
    logits.numpy().astype("<f4").tofile(f"{d}/logits.f32")
    labels = [f"class {i}" for i in range(m.NUM_CLASSES)]
    cs.export_onnx(f"{d}/model.onnx", net, {"classNames": labels, "appVersion": "0.0.0-test"}, m.SPEC)
    return {
        "count": m.count_params(net),
        "flatParamsEqual": bool(np.array_equal(m.flat_params(net).numpy(), params)),
        "flatStateEqual": bool(np.array_equal(m.flat_state(net).numpy(), state)),
    }


def stats(t):
    t = t.detach().double().reshape(-1)
    return {"mean": t.mean().item(), "std": t.std(unbiased=False).item(), "maxAbs": t.abs().max().item(),
            "min": t.min().item(), "max": t.max().item()}


def init_case(case):
    m = load(case["dir"])
    net = m.build_model()
    m.init_parameters(net, case["seed"])
    out = {}
    for name in m.LEARNED_MODULES:
        mod = getattr(net, name)
        out[name] = {"weight": stats(mod.weight), "bias": stats(mod.bias)}
        if name in m.BATCH_NORM_MODULES:
            out[name]["runningMean"] = stats(mod.running_mean)
            out[name]["runningVar"] = stats(mod.running_var)
    # the same seed draws the same values; another seed other ones
    again = m.build_model()
    m.init_parameters(again, case["seed"])
    other = m.build_model()
    m.init_parameters(other, case["seed"] + 1)
    out["_sameSeedEqual"] = bool(torch.equal(m.flat_params(net), m.flat_params(again)))
    out["_otherSeedEqual"] = bool(torch.equal(m.flat_params(net), m.flat_params(other)))
    return out


def main():
    job = json.load(open(sys.argv[1]))
    global cs
    sys.path.insert(0, job["package"])
    import cnnstudio_package as cs
    result = {"cases": [forward_case(c) for c in job["cases"]], "inits": [init_case(c) for c in job["inits"]]}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
