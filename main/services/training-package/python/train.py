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
import json
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
import model as model_py  # noqa: E402

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
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
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


def main():
    args = parse_args()
    pkg = cs.load_package(ROOT)
    t = recipe(pkg, args)
    rank, world, device = setup_processes(args)
    lead = rank == 0
    say = print if lead else (lambda *a, **k: None)
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)

    # -- data
    rows = cs.read_manifest(ROOT, pkg)
    source = cs.FileImages if args.from_images else cs.TensorImages
    images = source(ROOT, pkg, rows)
    names = pkg["classNames"]
    train_idx, train_lab = cs.split_indices(images, names, "train")
    if len(train_idx) == 0:
        raise cs.PackageError("the package has no training images")
    train_set = cs.SplitDataset(images, train_idx, train_lab, t.get("augmentation"), t["seed"])
    val_set = cs.SplitDataset(images, *cs.split_indices(images, names, "val"))
    test_set = cs.SplitDataset(images, *cs.split_indices(images, names, "test"))
    if args.batch_scope == "global":
        local_batch = math.ceil(t["batchSize"] / world)
        if local_batch * world != t["batchSize"]:
            say(f"note: batch {t['batchSize']} is not divisible by {world} processes; each takes {local_batch} "
                f"(a global batch of {local_batch * world})")
    else:
        local_batch = t["batchSize"]
    sampler = torch.utils.data.distributed.DistributedSampler(
        train_set, num_replicas=world, rank=rank, shuffle=True, seed=t["seed"], drop_last=False)
    workers = args.workers if args.workers is not None else (2 if device.type == "cuda" else 0)
    loader = torch.utils.data.DataLoader(train_set, batch_size=local_batch, sampler=sampler, num_workers=workers,
                                         pin_memory=device.type == "cuda", drop_last=False)
    steps_per_epoch = len(loader)
    total_steps = steps_per_epoch * t["epochs"]

    # -- model and optimizer
    net = model_py.build_model()
    model_py.init_parameters(net, t["seed"])
    if args.sync_bn and world > 1:
        if device.type != "cuda":
            raise cs.PackageError("--sync-bn needs GPUs: PyTorch's SyncBatchNorm does not run on the CPU")
        net = torch.nn.SyncBatchNorm.convert_sync_batchnorm(net)
    net.to(device)
    opt_cfg = t["optimizer"]
    groups = model_py.parameter_groups(net, cs.default_weight_decay(opt_cfg))
    optimizer = cs.make_optimizer(groups, opt_cfg, t["learningRate"])

    # -- state of the run (restored by --resume)
    checkpoint_path = os.path.join(out, "checkpoint.pt")
    epoch, step, history = 0, 0, []
    best = {"epoch": None, "valLoss": None, "sinceBest": 0, "params": None, "state": None}
    stopped_early = False
    if args.resume:
        if not os.path.exists(checkpoint_path):
            raise cs.PackageError(f"--resume: {checkpoint_path} does not exist")
        cp = torch.load(checkpoint_path, map_location="cpu")
        if cp.get("format") != CHECKPOINT_FORMAT:
            raise cs.PackageError(f"{checkpoint_path} is not a checkpoint of this train.py")
        if cp["seed"] != t["seed"] or cp["batchSize"] != t["batchSize"]:
            raise cs.PackageError("the checkpoint was taken with another seed or batch size: resume with the "
                                       f"same (--seed {cp['seed']} --batch-size {cp['batchSize']})")
        model_py.unwrap(net).load_state_dict(cp["model"])
        optimizer.load_state_dict(cp["optimizer"])
        epoch, step, history, best, stopped_early = cp["epoch"], cp["step"], cp["history"], cp["best"], cp["stoppedEarly"]
        say(f"resumed from {checkpoint_path} after epoch {epoch}")
        if cp["worldSize"] != world:
            say(f"note: the checkpoint was written by {cp['worldSize']} process(es), this run has {world}: "
                "the shuffling and batch norm statistics differ from an uninterrupted run")
    ddp = torch.nn.parallel.DistributedDataParallel(
        net, device_ids=[device.index] if device.type == "cuda" else None) if world > 1 else net

    say(f"{pkg['project']['name']}: {len(train_set)} training, {len(val_set)} validation, {len(test_set)} test images; "
        f"{model_py.count_params(net)} parameters; {world} process(es) on {device.type}, "
        f"{local_batch} images per process and step, {steps_per_epoch} steps per epoch")
    eval_batch = max(local_batch, 64)
    lr = t["learningRate"]
    while epoch < t["epochs"] and not stopped_early:
        started = time.perf_counter()
        sampler.set_epoch(epoch)
        train_set.set_epoch(epoch)
        torch.manual_seed(t["seed"] * 1_000_003 + epoch * 1009 + rank)  # dropout: a pure function of the position
        ddp.train()
        loss_sum = torch.zeros((), dtype=torch.float64, device=device)
        correct = torch.zeros((), dtype=torch.int64, device=device)
        seen = 0
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            lr = cs.learning_rate_at(t["learningRate"], t["schedule"], t["warmupSteps"], step,
                                          steps_per_epoch, total_steps)
            for g in optimizer.param_groups:
                g["lr"] = lr
            optimizer.zero_grad(set_to_none=True)
            logits = ddp(x)
            loss = F.cross_entropy(logits, y)
            loss.backward()
            if t.get("clipGradNorm") is not None:
                cs.clip_grad_norm(list(net.parameters()), t["clipGradNorm"])
            optimizer.step()
            loss_sum += loss.detach().double() * len(y)
            correct += (logits.detach().argmax(1) == y).sum()
            seen += len(y)
            step += 1
        train_seconds = time.perf_counter() - started
        loss_sum, correct, seen = all_sum([loss_sum.item(), correct.item(), seen], device, world)
        broadcast_buffers(net, world)
        val_loss, val_acc, _ = evaluate(net, val_set, eval_batch, device, rank, world) if len(val_set) else (None, None, 0)
        epoch += 1
        if val_loss is None or best["valLoss"] is None or val_loss < best["valLoss"]:
            best.update(epoch=epoch, valLoss=val_loss, sinceBest=0)
            if val_loss is not None:
                best.update(params=model_py.flat_params(net), state=model_py.flat_state(net))
        else:
            best["sinceBest"] += 1
        history.append({
            "epoch": epoch, "trainLoss": loss_sum / seen, "trainAccuracy": correct / seen,
            "valLoss": val_loss, "valAccuracy": val_acc, "seconds": time.perf_counter() - started,
            "imagesPerSecond": seen / train_seconds if train_seconds > 0 else 0.0, "learningRate": lr,
        })
        stopped_early = (t["patience"] > 0 and val_loss is not None and best["sinceBest"] >= t["patience"]
                         and epoch < t["epochs"])
        if lead:
            cs.save_checkpoint(checkpoint_path, {
                "format": CHECKPOINT_FORMAT, "version": 1, "epoch": epoch, "step": step, "seed": t["seed"],
                "batchSize": t["batchSize"], "worldSize": world, "model": model_py.unwrap(net).state_dict(),
                "optimizer": optimizer.state_dict(), "best": best, "history": history, "stoppedEarly": stopped_early,
            })
            cs.write_atomic(os.path.join(out, "metrics.jsonl"),
                                 "".join(json.dumps(h) + "\n" for h in history).encode("utf-8"))
        h = history[-1]
        val_text = f"  val loss {val_loss:.4f} acc {100 * val_acc:.2f}%" if val_loss is not None else ""
        say(f"epoch {epoch}/{t['epochs']}  train loss {h['trainLoss']:.4f} acc {100 * h['trainAccuracy']:.2f}%"
            f"{val_text}  lr {lr:.3g}  {h['seconds']:.1f} s  {h['imagesPerSecond']:.0f} img/s"
            + ("  (early stop)" if stopped_early else ""))

    finish(pkg, t, net, history, best, val_set, test_set, eval_batch, device, rank, world, out)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()


def finish(pkg, t, net, history, best, val_set, test_set, eval_batch, device, rank, world, out):
    """The final model (the best epoch's weights with early stopping on), its evaluation and the output files."""
    keep_best = t["patience"] > 0 and best["params"] is not None
    if keep_best:
        model_py.load_flat(net, best["params"], best["state"])
    broadcast_buffers(net, world)
    split, data = ("test", test_set) if len(test_set) else ("val", val_set)
    loss, accuracy, count = evaluate(net, data, eval_batch, device, rank, world)
    val_acc = None
    if len(val_set):
        val_acc = accuracy if split == "val" else evaluate(net, val_set, eval_batch, device, rank, world)[1]
    if rank != 0:
        return
    spec = model_py.SPEC
    # the epoch whose weights these are: the best one when early stopping kept it, else the last one
    weights_epoch = best["epoch"] if keep_best else (history[-1]["epoch"] if history else None)
    accuracies = {"train": None, "val": val_acc, "test": accuracy if split == "test" else None}
    meta = cs.cnnmodel_meta(pkg, spec, accuracies, len(history), weights_epoch)
    params, state = model_py.flat_params(net), model_py.flat_state(net)
    cs.write_atomic(os.path.join(out, "model.cnnmodel"),
                         cs.encode_cnnmodel(spec, meta, params.numpy(), state.numpy()))
    cs.write_json(os.path.join(out, "eval.json"),
                       {"accuracy": accuracy, "count": count, "loss": loss, "split": split})
    plain = model_py.build_model()  # plain modules on the CPU (no DDP, no SyncBatchNorm) for the export
    model_py.load_flat(plain, params, state)
    cs.export_onnx(os.path.join(out, "model.onnx"), plain, pkg, spec)
    shown = f"{100 * accuracy:.2f}% of {count} {split} images" if count else f"no {split} images"
    print(f"final model{' (best epoch ' + str(best['epoch']) + ')' if keep_best else ''}: {shown}; wrote "
          f"{', '.join(['model.cnnmodel', 'model.onnx', 'eval.json', 'metrics.jsonl'])} to {out}")


if __name__ == "__main__":
    try:
        main()
    except cs.PackageError as e:
        print(f"train.py: {e}", file=sys.stderr)
        sys.exit(2)
