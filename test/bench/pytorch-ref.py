#!/usr/bin/python3
"""PyTorch CPU anchor for bench-cnn.ts --pytorch: the reference CNN on Fashion-MNIST (Debian python3-torch),
timed the same way as ours (windows of batches of 64 after a warm-up; inference at batch 64).

usage: /usr/bin/python3 test/bench/pytorch-ref.py THREADS [WINDOWS] [BATCHES]   -> one JSON line on stdout
"""
import gzip, json, statistics, struct, sys, time
import numpy as np, torch, torch.nn as nn

SRC = "/usr/share/datasets/fashion-mnist"


def load(split):
    im = gzip.open(f"{SRC}/{split}-images-idx3-ubyte.gz").read()
    lb = gzip.open(f"{SRC}/{split}-labels-idx1-ubyte.gz").read()
    n = struct.unpack(">I", im[4:8])[0]
    x = np.frombuffer(im, np.uint8, offset=16).reshape(n, 1, 28, 28).astype(np.float32) / 255.0
    y = np.frombuffer(lb, np.uint8, offset=8).astype(np.int64)
    return torch.from_numpy(x), torch.from_numpy(y)


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    windows_n = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    batches = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    xtr, ytr = load("train")
    xte, _ = load("t10k")
    m = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    lossf = nn.CrossEntropyLoss()
    perm = torch.randperm(len(xtr))
    pos = 0

    def step():
        nonlocal pos
        idx = perm[pos:pos + 64]
        pos = (pos + 64) % (len(xtr) - 64)
        opt.zero_grad()
        lossf(m(xtr[idx]), ytr[idx]).backward()
        opt.step()

    for _ in range(5):
        step()
    train = []
    for _ in range(windows_n):
        t0 = time.perf_counter()
        for _ in range(batches):
            step()
        train.append(batches * 64 / (time.perf_counter() - t0))
    m.eval()
    infer = []
    with torch.no_grad():
        xb = xte[:64]
        for _ in range(10):
            m(xb)
        for _ in range(max(3, windows_n)):
            t0 = time.perf_counter()
            for _ in range(50):
                m(xb)
            infer.append(64 * 50 / (time.perf_counter() - t0))
    print(json.dumps({"version": torch.__version__, "threads": threads, "trainWindows": [round(v, 1) for v in train],
                      "inferWindows": [round(v, 1) for v in infer]}))


main()
