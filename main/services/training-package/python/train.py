"""Trains this CNN Studio training package with PyTorch DistributedDataParallel.

    python3 train.py                                          one process (CPU, or one GPU)
    torchrun --standalone --nproc_per_node 4 train.py         4 processes on this machine (CPUs or GPUs)
    torchrun --nnodes 2 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29500 train.py

Every setting defaults to the app's (training.json "training"); flags override them (python3 train.py --help).
Writes output/: metrics.jsonl (one line per epoch), checkpoint.pt (every epoch; --resume continues from it),
model.cnnmodel (CNN Studio's format: `cnn-studio import-model PROJECT output/model.cnnmodel`), model.onnx and
eval.json (this script's evaluation of the final model on the test split, else the validation split).
"""
import argparse
import copy
import functools
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, ROOT)

import cnnstudio_package as cs  # noqa: E402

try:
    import model as model_py  # the network, generated from the project's spec
except ModuleNotFoundError as e:
    if e.name != "model":
        raise
    sys.exit(f"train.py: no model.py next to {__file__}: run it from a CNN Studio training package folder")

CHECKPOINT_FORMAT = "cnn-studio-torch-checkpoint"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, help="epochs to train (default: training.json)")
    p.add_argument("--batch-size", type=int, help="images per optimizer step (default: training.json)")
    p.add_argument("--batch-scope", choices=["global", "per-process"], default="global",
                   help="global (default): --batch-size is split across the processes, as one step of the app; "
                        "per-process: every process takes --batch-size images per step")
    p.add_argument("--lr", type=float, help="base learning rate")
    p.add_argument("--weight-decay", type=float, help="weight decay (conv / dense weights only)")
    p.add_argument("--optimizer", choices=["sgd", "adam", "adamw"], help="optimizer (other hyperparameters: defaults)")
    p.add_argument("--warmup-steps", type=int, help="linear warm-up steps (0 = none)")
    p.add_argument("--clip", type=float, help="global gradient norm clip (0 = off)")
    p.add_argument("--seed", type=int, help="seed of initialisation, shuffling, augmentation and dropout")
    p.add_argument("--patience", type=int, help="early stopping after this many epochs without a lower "
                                                "validation loss, keeping the best weights (0 = off)")
    p.add_argument("--workers", type=int, help="data loader worker processes per process (default: 0 on CPU, 2 on GPU)")
    p.add_argument("--sync-bn", action="store_true", help="batch norm statistics over all processes (SyncBatchNorm)")
    p.add_argument("--from-images", action="store_true",
                   help="decode dataset/<split>/<class>/ image files with Pillow instead of reading dataset/tensors.u8 "
                        "(not bit-identical with the app's decode; includes images added to the class folders)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto",
                   help="auto (default): a GPU per process when CUDA is available, else the CPU")
    p.add_argument("--backend", choices=["auto", "gloo", "nccl"], default="auto",
                   help="process group backend (auto: nccl with CUDA, else gloo)")
    p.add_argument("--out", default=os.path.join(ROOT, "output"), help="output folder (default: output/ here)")
    p.add_argument("--resume", action="store_true", help="continue from OUT/checkpoint.pt at its next epoch")
    return p.parse_args(argv)


def recipe(pkg, args):
    """training.json's recipe with the command line's overrides."""
    t = copy.deepcopy(pkg["training"])
    opt = t["optimizer"]
    if args.optimizer and args.optimizer != opt["type"]:
        opt = {"type": args.optimizer}
    if args.weight_decay is not None:
        opt["weightDecay"] = args.weight_decay
    t["optimizer"] = opt
    for key, value in (("epochs", args.epochs), ("batchSize", args.batch_size), ("learningRate", args.lr),
                       ("warmupSteps", args.warmup_steps), ("seed", args.seed), ("patience", args.patience)):
        if value is not None:
            t[key] = value
    if args.clip is not None:
        t["clipGradNorm"] = args.clip if args.clip > 0 else None
    if t["epochs"] < 1 or t["batchSize"] < 1:
        raise cs.PackageError("epochs and batch size must be at least 1")
    return t


def setup_processes(args):
    """(rank, world size, local rank, device), with the process group started under torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    cuda = torch.cuda.is_available() if args.device == "auto" else args.device == "cuda"
    if cuda and not torch.cuda.is_available():
        raise cs.PackageError("--device cuda, but PyTorch sees no CUDA device")
    device = torch.device("cuda", local % torch.cuda.device_count()) if cuda else torch.device("cpu")
    if cuda:
        torch.cuda.set_device(device)
    if world > 1:
        backend = args.backend if args.backend != "auto" else ("nccl" if cuda else "gloo")
        dist.init_process_group(backend=backend)
    return rank, world, device


def all_sum(values, device, world):
    """Sums a list of numbers over every process."""
    t = torch.tensor(values, dtype=torch.float64, device=device)
    if world > 1:
        dist.all_reduce(t)
    return t.tolist()


def evaluate(net, dataset, batch, device, rank, world):
    """(mean loss, accuracy, count) of net in eval mode on a dataset sharded over the processes."""
    net.eval()
    shard = torch.utils.data.Subset(dataset, range(rank, len(dataset), world))
    loader = torch.utils.data.DataLoader(shard, batch_size=batch, shuffle=False)
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    correct = torch.zeros((), dtype=torch.int64, device=device)
    with torch.no_grad():
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            logits = net(x)
            loss_sum += F.cross_entropy(logits, y, reduction="sum").double()
            correct += (logits.argmax(1) == y).sum()
    loss_sum, correct = all_sum([loss_sum.item(), correct.item()], device, world)
    n = len(dataset)
    return (loss_sum / n, correct / n, n) if n else (None, None, 0)


def broadcast_buffers(net, world):
    """Rank 0's batch norm statistics to every process (DDP trains with them; without SyncBatchNorm each process
    computes its own)."""
    if world > 1:
        for b in net.buffers():
            dist.broadcast(b, 0)


class Data:
    """The package's splits, the training sampler and loader, and the batch each process takes per step."""

    def __init__(self, pkg, t, args, rank, world, device, say):
        rows = cs.read_manifest(ROOT, pkg)
        images = (cs.FileImages if args.from_images else cs.TensorImages)(ROOT, pkg, rows)
        names = pkg["classNames"]
        train_idx, train_labels = cs.split_indices(images, names, "train")
        if len(train_idx) == 0:
            raise cs.PackageError("the package has no training images")
        self.train = cs.SplitDataset(images, train_idx, train_labels, t.get("augmentation"), t["seed"])
        self.val = cs.SplitDataset(images, *cs.split_indices(images, names, "val"))
        self.test = cs.SplitDataset(images, *cs.split_indices(images, names, "test"))
        if args.batch_scope == "global":
            self.local_batch = math.ceil(t["batchSize"] / world)
            if self.local_batch * world != t["batchSize"]:
                say(f"note: batch {t['batchSize']} is not divisible by {world} processes; each takes "
                    f"{self.local_batch} (a global batch of {self.local_batch * world})")
        else:
            self.local_batch = t["batchSize"]
        # every process takes ceil(n / processes) images per epoch (a few repeated when it does not divide), so
        # steps per epoch = ceil(n / global batch), as in the app
        self.sampler = torch.utils.data.distributed.DistributedSampler(
            self.train, num_replicas=world, rank=rank, shuffle=True, seed=t["seed"], drop_last=False)
        workers = args.workers if args.workers is not None else (2 if device.type == "cuda" else 0)
        self.loader = torch.utils.data.DataLoader(
            self.train, batch_size=self.local_batch, sampler=self.sampler, num_workers=workers,
            pin_memory=device.type == "cuda")
        self.eval_batch = max(self.local_batch, 64)

    def set_epoch(self, epoch):
        self.sampler.set_epoch(epoch)
        self.train.set_epoch(epoch)


def fresh_state():
    """What changes while training, besides the weights and the optimizer (saved in every checkpoint)."""
    return {"epoch": 0, "step": 0, "history": [], "stoppedEarly": False,
            "best": {"epoch": None, "valLoss": None, "sinceBest": 0, "params": None, "state": None}}


def restore(path, net, optimizer, t, world, say):
    """The state of OUT/checkpoint.pt, loaded into net and optimizer (--resume)."""
    if not os.path.exists(path):
        raise cs.PackageError(f"--resume: {path} does not exist")
    cp = torch.load(path, map_location="cpu")
    if cp.get("format") != CHECKPOINT_FORMAT:
        raise cs.PackageError(f"{path} is not a checkpoint of this train.py")
    if cp["seed"] != t["seed"] or cp["batchSize"] != t["batchSize"]:
        raise cs.PackageError("the checkpoint was taken with another seed or batch size: resume with the same "
                              f"(--seed {cp['seed']} --batch-size {cp['batchSize']})")
    model_py.unwrap(net).load_state_dict(cp["model"])
    optimizer.load_state_dict(cp["optimizer"])
    say(f"resumed from {path} after epoch {cp['state']['epoch']}")
    if cp["worldSize"] != world:
        say(f"note: the checkpoint was written by {cp['worldSize']} process(es), this run has {world}: the "
            "shuffling and batch norm statistics differ from an uninterrupted run")
    return cp["state"]


def train_epoch(ddp, net, optimizer, data, t, state, steps_per_epoch, total_steps, device, rank):
    """One epoch: the app's schedule per step, clipping, and (loss sum, correct, seen, last learning rate) of this
    process. Shuffling, augmentation and dropout are functions of (seed, epoch), so a resumed run repeats them."""
    epoch = state["epoch"]
    data.set_epoch(epoch)
    torch.manual_seed(t["seed"] * 1_000_003 + epoch * 1009 + rank)  # dropout masks
    ddp.train()
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    correct = torch.zeros((), dtype=torch.int64, device=device)
    seen, lr = 0, t["learningRate"]
    for x, y in data.loader:
        x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
        lr = cs.learning_rate_at(t["learningRate"], t["schedule"], t["warmupSteps"], state["step"],
                                 steps_per_epoch, total_steps)
        for g in optimizer.param_groups:
            g["lr"] = lr
        optimizer.zero_grad(set_to_none=True)
        logits = ddp(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()  # DDP averages the gradients of the processes
        if t.get("clipGradNorm") is not None:
            cs.clip_grad_norm(list(net.parameters()), t["clipGradNorm"])
        optimizer.step()
        loss_sum += loss.detach().double() * len(y)
        correct += (logits.detach().argmax(1) == y).sum()
        seen += len(y)
        state["step"] += 1
    return loss_sum.item(), correct.item(), seen, lr


def end_of_epoch(state, t, net, val_loss):
    """Best epoch and early stopping, as the app decides them: a lower validation loss is an improvement (every
    epoch is one without validation images); patience epochs without one stop the run."""
    best = state["best"]
    if val_loss is None or best["valLoss"] is None or val_loss < best["valLoss"]:
        best.update(epoch=state["epoch"], valLoss=val_loss, sinceBest=0)
        if val_loss is not None:
            best.update(params=model_py.flat_params(net), state=model_py.flat_state(net))
    else:
        best["sinceBest"] += 1
    state["stoppedEarly"] = (t["patience"] > 0 and val_loss is not None and best["sinceBest"] >= t["patience"]
                             and state["epoch"] < t["epochs"])


def main():
    args = parse_args()
    pkg = cs.load_package(ROOT)
    t = recipe(pkg, args)
    rank, world, device = setup_processes(args)
    say = functools.partial(print, flush=True) if rank == 0 else (lambda *a, **k: None)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    data = Data(pkg, t, args, rank, world, device, say)
    steps_per_epoch = len(data.loader)
    total_steps = steps_per_epoch * t["epochs"]

    net = model_py.build_model()
    model_py.init_parameters(net, t["seed"])
    if args.sync_bn and world > 1:
        if device.type != "cuda":
            raise cs.PackageError("--sync-bn needs GPUs: PyTorch's SyncBatchNorm does not run on the CPU")
        net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    net.to(device)
    groups = model_py.parameter_groups(net, cs.default_weight_decay(t["optimizer"]))
    optimizer = cs.make_optimizer(groups, t["optimizer"], t["learningRate"])
    checkpoint_path = os.path.join(out, "checkpoint.pt")
    state = restore(checkpoint_path, net, optimizer, t, world, say) if args.resume else fresh_state()
    ddp = torch.nn.parallel.DistributedDataParallel(
        net, device_ids=[device.index] if device.type == "cuda" else None) if world > 1 else net

    say(f"{pkg['project']['name']}: {len(data.train)} training, {len(data.val)} validation, {len(data.test)} test "
        f"images; {model_py.count_params(net)} parameters; {world} process(es) on {device.type}, "
        f"{data.local_batch} images per process and step, {steps_per_epoch} steps per epoch")
    while state["epoch"] < t["epochs"] and not state["stoppedEarly"]:
        started = time.perf_counter()
        loss_sum, correct, seen, lr = train_epoch(ddp, net, optimizer, data, t, state, steps_per_epoch,
                                                  total_steps, device, rank)
        train_seconds = time.perf_counter() - started
        loss_sum, correct, seen = all_sum([loss_sum, correct, seen], device, world)
        broadcast_buffers(net, world)
        val_loss, val_acc, _ = evaluate(net, data.val, data.eval_batch, device, rank, world)
        state["epoch"] += 1
        end_of_epoch(state, t, net, val_loss)
        state["history"].append({
            "epoch": state["epoch"], "trainLoss": loss_sum / seen, "trainAccuracy": correct / seen,
            "valLoss": val_loss, "valAccuracy": val_acc, "seconds": time.perf_counter() - started,
            "imagesPerSecond": seen / train_seconds if train_seconds > 0 else 0.0, "learningRate": lr,
        })
        if rank == 0:
            cs.save_checkpoint(checkpoint_path, {
                "format": CHECKPOINT_FORMAT, "version": 1, "seed": t["seed"], "batchSize": t["batchSize"],
                "worldSize": world, "model": model_py.unwrap(net).state_dict(),
                "optimizer": optimizer.state_dict(), "state": state,
            })
            lines = "".join(cs.json_line(h) for h in state["history"])
            cs.write_atomic(os.path.join(out, "metrics.jsonl"), lines.encode("utf-8"))
        say(progress_line(state, t))

    finish(pkg, t, net, state, data, device, rank, world, out)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


def progress_line(state, t):
    h = state["history"][-1]
    val = f"  val loss {h['valLoss']:.4f} acc {100 * h['valAccuracy']:.2f}%" if h["valLoss"] is not None else ""
    return (f"epoch {h['epoch']}/{t['epochs']}  train loss {h['trainLoss']:.4f} acc {100 * h['trainAccuracy']:.2f}%"
            f"{val}  lr {h['learningRate']:.3g}  {h['seconds']:.1f} s  {h['imagesPerSecond']:.0f} img/s"
            + ("  (early stop)" if state["stoppedEarly"] else ""))


def finish(pkg, t, net, state, data, device, rank, world, out):
    """The final model (the best epoch's weights with early stopping on), its evaluation and the output files."""
    best, history = state["best"], state["history"]
    keep_best = t["patience"] > 0 and best["params"] is not None
    if keep_best:
        model_py.load_flat(net, best["params"], best["state"])
    broadcast_buffers(net, world)
    split, split_set = ("test", data.test) if len(data.test) else ("val", data.val)
    loss, accuracy, count = evaluate(net, split_set, data.eval_batch, device, rank, world)
    val_acc = accuracy if split == "val" else evaluate(net, data.val, data.eval_batch, device, rank, world)[1]
    if rank != 0:
        return
    spec = model_py.SPEC
    # the epoch whose weights these are: the best one when early stopping kept it, else the last one
    weights_epoch = best["epoch"] if keep_best else (history[-1]["epoch"] if history else None)
    accuracies = {"train": None, "val": val_acc, "test": accuracy if split == "test" else None}
    meta = cs.cnnmodel_meta(pkg, spec, accuracies, len(history), weights_epoch)
    params, bn_state = model_py.flat_params(net), model_py.flat_state(net)
    cs.write_atomic(os.path.join(out, "model.cnnmodel"),
                    cs.encode_cnnmodel(spec, meta, params.numpy(), bn_state.numpy()))
    cs.write_json(os.path.join(out, "eval.json"), {"accuracy": accuracy, "count": count, "loss": loss, "split": split})
    plain = model_py.build_model()  # plain modules on the CPU (no DDP, no SyncBatchNorm) for the export
    model_py.load_flat(plain, params, bn_state)
    cs.export_onnx(os.path.join(out, "model.onnx"), plain, pkg, spec)
    shown = f"{100 * accuracy:.2f}% of {count} {split} images" if count else f"no {split} images"
    kept = f" (best epoch {best['epoch']})" if keep_best else ""
    print(f"final model{kept}: {shown}; wrote model.cnnmodel, model.onnx, eval.json, metrics.jsonl to {out}",
          flush=True)


if __name__ == "__main__":
    try:
        main()
    except cs.PackageError as e:
        print(f"train.py: {e}", file=sys.stderr)
        sys.exit(2)
