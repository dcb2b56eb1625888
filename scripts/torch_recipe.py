"""PyTorch side of scripts/recipe-vs-torch: Shears' `train` recipe, reproduced in PyTorch.

Trains the small VGG (the definition in torch_bench.py, imported) on Fashion-MNIST as

    d = data fashion-mnist
    m = model vgg-small for d
    m = train m on d epochs=2 lr=0.1 batch=128 schedule=onecycle nesterov=true
    eval m on d

does in Shears (sessions/train-vgg-small-onecycle.shears), and prints one JSON line: test
accuracy, train wall seconds (the training loop only: model built, data in memory) and img/s.

Every choice, with where Shears makes it:

Data (Sources/Datasets/Dataset+Loaders.swift, DataSplit.swift, ChannelStatistics.swift;
CommandRuntime/Commands/DataCommand.swift)
  - Debian's dataset-fashion-mnist files (/usr/share/datasets/fashion-mnist, gzip IDX), read
    with gzip + numpy; pixels / 255 as float32, shape N x 1 x 28 x 28.
  - `data` normalises by default: (x - mean) / std with one mean and the *population* std
    (numpy's ddof=0) of every value of the train split, computed in float64 after any subset,
    applied to both splits.
  - --limit N is `shears run --limit N`: at most N train and N test images, each a *stratified*
    subset (DataSplit+Subset.swift): N // 10 per class, a class with fewer gives all it has and
    the shortfall is spread over the others, the remainder goes to classes picked at random; the
    images keep their file order. The draws here are numpy's, so the images are not the ones
    Shears picks (its SeededRNG stream cannot be reproduced here); the class counts are.
  - No augmentation: `train`'s default for 28x28 grey-scale sets is none (crop/flip is CIFAR's).

Model (Sources/NeuralNet/ModelZoo.swift, NetworkBuilder.swift, Operation.swift)
  - conv3x3 32-32-M-64-64-M-128-128-M (no conv bias), each conv + BatchNorm + ReLU, 2x2 max
    pools (28 -> 14 -> 7 -> 3), global average pool, linear 128 -> 10 with bias: 288,170
    parameters, as `model vgg-small for d` reports.
  - Init differs from PyTorch's default and is matched to Shears: convolutions Kaiming-normal,
    std = sqrt(2 / fan_in) (PyTorch's default is kaiming_uniform(a=sqrt(5)), i.e. uniform
    +-1/sqrt(fan_in), std sqrt(1 / (3 fan_in)), a 2.4x smaller std). Linear weight and bias
    uniform +-1/sqrt(in_features) and BatchNorm gamma 1, beta 0, running mean 0 / var 1 are the
    same in both, so they keep PyTorch's defaults.
  - BatchNorm eps 1e-5, momentum 0.1, running variance updated with the unbiased batch variance
    (TensorCore/Kernels/BatchNorm.swift): PyTorch's defaults.

Training (Sources/NeuralNet/Trainer.swift, TrainingRun.swift, SGD.swift,
LearningRateSchedule.swift; CommandRuntime/Commands/TrainingRecipe.swift)
  - `train` defaults not given in the recipe: momentum 0.9, weight decay 5e-4 (L2 added to the
    gradient, on *every* parameter: conv and linear weights, linear bias, BN gamma and beta —
    SGD.decayAllParameters is true and `train` does not change it; PyTorch's SGD does the same),
    dampening 0, warm-up 0, label smoothing 0, no distillation.
  - SGD with Nesterov: g = grad + wd * w; v = mu * v + g; w -= lr * (g + mu * v) (v starts at
    0, so the first v is g): torch.optim.SGD(nesterov=True) is the same update.
  - Batch min(128, train images), a fresh shuffle of the whole train split every epoch, the
    last partial batch dropped (BatchSampler dropLast: true): 468 steps per epoch on 60,000.
  - One-cycle, per step (LearningRateSchedule.oneCycle, checked against PyTorch's sequence by
    RecipeTests.oneCycleMatchesPyTorch): torch's OneCycleLR with max_lr = lr, total_steps =
    epochs x steps per epoch, pct_start 0.3, div_factor 25, final_div_factor 1e4, cosine
    annealing, two phases — and cycle_momentum=False, because `train` keeps momentum at 0.9
    throughout unless `cycle=true` asks for OneCycleLR's default cycling between 0.95 and 0.85
    (--cycle-momentum here). Each step's rate and momentum are checked here against Shears'
    formulas; a mismatch stops the run.
  - Loss: mean softmax cross-entropy over the batch (F.cross_entropy).
  - Threads: torch.set_num_threads(--threads) (the bash script also sets OMP_NUM_THREADS).
    Default NCHW layout, no channels_last or malloc tunables (scripts/bench-vs-torch measures
    those separately).

Evaluation (Sources/NeuralNet/Trainer.swift evaluate, CommandRuntime eval): the whole test
split (or its subset) in order, batch 250, BatchNorm on running statistics, no gradients.

What cannot be the same: the random streams (init, shuffles, subset) — PyTorch's generator
seeded with --seed against Shears' SeededRNG derived from its session seed — so a seed here
and the same seed in Shears are two independent draws; and the kernels (oneDNN in Shears,
PyTorch's CPU kernels here) round differently. Compare accuracies over several seeds.

Checked once by hand (not part of this script): Shears' initial vgg-small exported to ONNX,
loaded here, both trained on the first 128 train images with batch 128 (full batch, so the
shuffle order does not matter), `train()` below against `train … schedule=onecycle
nesterov=true`. After 10 one-cycle steps: 220 vs 219 of the first 500 test images right, test
loss 1.678 vs 1.680. One step at constant lr: the classifier's gradient agrees to 8e-6
(relative), the last BN's to 2e-5, the lower layers' differ by 0.4-1%: oneDNN's training-mode
batch statistics are 1e-5 to 5e-5 (relative) off the float64 ones (PyTorch's float32: 1e-7),
enough to flip a ReLU sign (a value of 9e-6) and a max-pool near-tie, which moves the gradient
below them. That is rounding, not a recipe difference.
"""

import argparse
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from torch_bench import vgg_small

FASHION = "/usr/share/datasets/fashion-mnist"


def read_idx(path, dims):
    """The array of an IDX file (gzip or plain): uint8 values, `dims` dimensions."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    magic = int.from_bytes(raw[0:4], "big")
    if magic != 0x0800 + dims:
        raise SystemExit(f"torch_recipe: {path} is not an IDX file of {dims} dimension(s)")
    shape = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
    if data.size != math.prod(shape):
        raise SystemExit(f"torch_recipe: {path} holds {data.size} values, its header says {shape}")
    return data.reshape(shape)


def load_split(folder, prefix):
    def find(base):
        for name in (base + ".gz", base):
            if os.path.exists(os.path.join(folder, name)):
                return os.path.join(folder, name)
        raise SystemExit(f"torch_recipe: {os.path.join(folder, base + '.gz')} not found "
                         "(apt install dataset-fashion-mnist)")
    images = read_idx(find(f"{prefix}-images-idx3-ubyte"), 3)
    labels = read_idx(find(f"{prefix}-labels-idx1-ubyte"), 1)
    if len(images) != len(labels):
        raise SystemExit(f"torch_recipe: {len(images)} {prefix} images but {len(labels)} labels")
    return images, labels.astype(np.int64)


def stratified(labels, n, rng):
    """Indices of a stratified subset of `n` (Shears' DataSplit.stratifiedSubset, numpy draws)."""
    classes = sorted(set(labels.tolist()))
    members = [rng.permutation(np.flatnonzero(labels == c)) for c in classes]
    quota = [0] * len(classes)
    remaining, open_ = n, list(range(len(classes)))
    while remaining > 0:
        share = remaining // len(open_)
        if share == 0:
            for k in rng.permutation(open_)[:remaining]:
                quota[k] += 1
            break
        for k in open_:
            add = min(share, len(members[k]) - quota[k])
            quota[k] += add
            remaining -= add
        open_ = [k for k in open_ if quota[k] < len(members[k])]
    return np.sort(np.concatenate([m[:q] for m, q in zip(members, quota)]))


def one_cycle_phase(t, total):
    """LearningRateSchedule.oneCyclePhase: whether step t of total is still in the rising 30%
    (to step 0.3 * total - 1, as in PyTorch) and how far into its phase it is."""
    peak = 0.3 * total - 1
    if t <= peak:
        return True, t / peak if peak > 0 else 1
    rest = total - 1 - peak
    return False, min(1, (t - peak) / rest) if rest > 0 else 1


def anneal(a, b, pct):
    """Cosine annealing from a to b at pct of the way (LearningRateSchedule.anneal)."""
    return b + (a - b) / 2 * (1 + math.cos(math.pi * pct))


def shears_one_cycle(base, t, total):
    """LearningRateSchedule.oneCycle.rate at step t of total (the Swift code, line for line)."""
    initial = base / 25
    rising, pct = one_cycle_phase(t, total)
    return anneal(initial, base, pct) if rising else anneal(base, initial / 1e4, pct)


def shears_cycled_momentum(t, total, low=0.85, high=0.95):
    """LearningRateSchedule.cycledMomentum at step t of total (`cycle=true`, momentum 0.9)."""
    rising, pct = one_cycle_phase(t, total)
    return anneal(high, low, pct) if rising else anneal(low, high, pct)


def init_like_shears(model):
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
            if m.bias is not None:
                nn.init.zeros_(m.bias)


def load_data(folder, limit, rng):
    """Train and test images (normalised N x 1 x 28 x 28 float32 tensors) and labels: stratified
    subsets of at most `limit` each when a limit is given, as `shears run --limit`."""
    xs, ys = load_split(folder, "train")
    xt, yt = load_split(folder, "t10k")
    if limit is not None and limit < len(ys):
        keep = stratified(ys, limit, rng)
        xs, ys = xs[keep], ys[keep]
    if limit is not None and limit < len(yt):
        keep = stratified(yt, limit, rng)
        xt, yt = xt[keep], yt[keep]
    return normalised(xs, ys, xt, yt)


def normalised(xs, ys, xt, yt):
    """Pixels / 255, then (x - mean) / std by the train split's mean and population std."""
    train = xs.astype(np.float32) / 255
    test = xt.astype(np.float32) / 255
    mean = train.astype(np.float64).mean()
    std = train.astype(np.float64).std()
    shift, scale = np.float32(mean), np.float32(1 / std if std > 0 else 1.0)
    return (torch.from_numpy(((train - shift) * scale)[:, None]).contiguous(), torch.from_numpy(ys),
            torch.from_numpy(((test - shift) * scale)[:, None]).contiguous(), torch.from_numpy(yt))


def make_model(torch_init=False):
    """vgg-small from torch_bench.py with Shears' initialisation (PyTorch's own with
    `torch_init`)."""
    model = vgg_small()
    if not torch_init:
        init_like_shears(model)
    params = sum(t.numel() for t in model.parameters())
    if params != 288_170:
        raise SystemExit(f"torch_recipe: vgg-small has {params} parameters, Shears' has 288,170")
    return model


def train(model, x_train, y_train, epochs, lr, batch, shuffle, cycle=False, log=sys.stderr):
    """Shears' `train … schedule=onecycle nesterov=true` (other options at their defaults; with
    `cycle`, `cycle=true`: OneCycleLR's default momentum cycling, 0.95 → 0.85 → 0.95); returns
    the wall seconds of the loop and the images trained."""
    batch = min(batch, len(y_train))
    per_epoch = len(y_train) // batch
    total = epochs * per_epoch
    opt = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, dampening=0,
                          weight_decay=5e-4, nesterov=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=lr, total_steps=total, pct_start=0.3, anneal_strategy="cos",
        cycle_momentum=cycle, base_momentum=0.85, max_momentum=0.95, div_factor=25.0,
        final_div_factor=1e4, three_phase=False)
    model.train()
    start = time.perf_counter()
    step = 0
    for epoch in range(epochs):
        perm = torch.randperm(len(y_train), generator=shuffle)
        loss_sum, correct, seen = 0.0, 0, 0
        for b in range(per_epoch):
            rate = opt.param_groups[0]["lr"]
            want = shears_one_cycle(lr, step, total)
            if abs(rate - want) > 1e-9 * lr:
                raise SystemExit(f"torch_recipe: step {step}: OneCycleLR gives lr {rate}, "
                                 f"Shears' schedule {want}")
            momentum = opt.param_groups[0]["momentum"]
            want = shears_cycled_momentum(step, total) if cycle else 0.9
            if abs(momentum - want) > 1e-9:
                raise SystemExit(f"torch_recipe: step {step}: OneCycleLR gives momentum "
                                 f"{momentum}, Shears' cycle {want}")
            idx = perm[b * batch:(b + 1) * batch]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            loss_sum += loss.item() * len(yb)
            correct += (logits.argmax(1) == yb).sum().item()
            seen += len(yb)
        if log:
            print(f"torch epoch {epoch + 1}/{epochs}: loss {loss_sum / seen:.4f}, "
                  f"train accuracy {correct / seen * 100:.1f}%, "
                  f"{time.perf_counter() - start:.1f} s", file=log)
    return time.perf_counter() - start, total * batch


def evaluate(model, x_test, y_test, batch=250):
    """Images classified correctly and the mean cross-entropy (eval mode, no gradients)."""
    model.eval()
    right, loss = 0, 0.0
    with torch.no_grad():
        for i in range(0, len(y_test), batch):
            logits = model(x_test[i:i + batch])
            right += (logits.argmax(1) == y_test[i:i + batch]).sum().item()
            loss += F.cross_entropy(logits, y_test[i:i + batch], reduction="sum").item()
    return right, loss / len(y_test)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--limit", type=int, help="at most N train and N test images (stratified)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--data", default=FASHION)
    p.add_argument("--torch-init", action="store_true",
                   help="keep PyTorch's default conv init (kaiming_uniform, a=sqrt(5))")
    p.add_argument("--cycle-momentum", action="store_true",
                   help="cycle momentum 0.95 -> 0.85 -> 0.95 with the rate (Shears' cycle=true)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    x_train, y_train, x_test, y_test = load_data(a.data, a.limit, np.random.default_rng(a.seed))
    torch.manual_seed(a.seed)
    model = make_model(a.torch_init)
    seconds, images = train(model, x_train, y_train, a.epochs, a.lr, a.batch,
                            torch.Generator().manual_seed(a.seed), cycle=a.cycle_momentum)
    right, loss = evaluate(model, x_test, y_test)
    print(json.dumps({
        "framework": "pytorch", "torch": torch.__version__, "seed": a.seed, "threads": a.threads,
        "trainCount": len(y_train), "testCount": len(y_test), "accuracy": right / len(y_test),
        "correct": right, "loss": loss, "trainSeconds": seconds, "trainImages": images,
        "imagesPerSecond": images / seconds, "cycleMomentum": a.cycle_momentum,
        "torchInit": a.torch_init,
    }))


if __name__ == "__main__":
    main()
