#!/usr/bin/python3
"""PyTorch CPU twin for bench-cnn.ts --pytorch (Debian python3-torch): the SAME network as ours, built from the
planned spec by torch_from_spec.py, on the same images, timed the same way as ours: training steps (zero_grad,
forward, cross-entropy, backward, gradient clipping when the config clips, the config's optimizer) in windows of
batches after a warm-up; inference in eval mode under no_grad at batch B and batch 1. PyTorch runs in its faster
configuration: glibc malloc keeps freed memory (torch_malloc.py), unless the job says "defaultMalloc": true.

usage: /usr/bin/python3 test/bench/pytorch-ref.py JOB.json   -> one JSON line on stdout
JOB: {"spec": ModelSpec, "config": {learningRate, optimizer, clipGradNorm?}, "params": ours (checked),
      "threads", "batch", "windows", "batches", "inferBatches", "defaultMalloc"?,
      "data": {"x": float32 file [n, C, H, W], "y": int32 file [n], "n", "inferX": float32 file [batch, C, H, W]}}
"""
import json, os, sys, time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_from_spec import build_module, count_params, make_optimizer  # noqa: E402
from torch_malloc import keep_freed_memory  # noqa: E402


def timed_windows(fn, calls, windows, images):
    out = []
    for _ in range(windows):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn()
        out.append(round(calls * images / (time.perf_counter() - t0), 1))
    return out


def main():
    job = json.load(open(sys.argv[1]))
    malloc = "glibc malloc defaults" if job.get("defaultMalloc") else keep_freed_memory() or "malloc defaults"
    spec, config = job["spec"], job["config"]
    threads, bs = job["threads"], job["batch"]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    inp = spec["input"]
    shape = (inp["channels"], inp["height"], inp["width"])
    d = job["data"]
    x = torch.from_numpy(np.fromfile(d["x"], np.float32).reshape(d["n"], *shape))
    y = torch.from_numpy(np.fromfile(d["y"], np.int32).astype(np.int64))
    xinf = torch.from_numpy(np.fromfile(d["inferX"], np.float32).reshape(-1, *shape))

    m = build_module(spec)
    params = count_params(m)
    if job.get("params") is not None and params != job["params"]:
        raise SystemExit(f"torch module has {params} parameters, ours {job['params']}")
    opt = make_optimizer(m, config)
    clip = config.get("clipGradNorm")
    lossf = nn.CrossEntropyLoss()
    pos = 0
    n = d["n"]

    def step():
        nonlocal pos
        idx = torch.arange(pos, pos + bs) % n
        pos = (pos + bs) % n
        opt.zero_grad()
        lossf(m(x[idx]), y[idx]).backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(m.parameters(), clip)
        opt.step()

    m.train()
    for _ in range(job.get("warmup", 5)):
        step()
    train = timed_windows(step, job["batches"], job["windows"], bs)
    m.eval()
    windows = max(3, job["windows"])
    with torch.no_grad():
        one = xinf[:1]
        for _ in range(5):
            m(xinf)
            m(one)
        infer = timed_windows(lambda: m(xinf), job["inferBatches"], windows, xinf.shape[0])
        infer1 = timed_windows(lambda: m(one), job["inferBatches"] * 4, windows, 1)
    print(json.dumps({"version": torch.__version__, "threads": threads, "params": params, "malloc": malloc, "trainWindows": train,
                      "inferWindows": infer, "inferBatch1Windows": infer1}))


main()
