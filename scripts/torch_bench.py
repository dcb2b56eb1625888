"""PyTorch side of scripts/bench-vs-torch: the same networks, batch and threads as `shears bench`.

Networks match Shears' model zoo exactly: CIFAR ResNet-20/56 with option-A (zero-padding)
shortcuts on 3x32x32, and the small VGG (conv 32-32-M-64-64-M-128-128-M, BN+ReLU, global pool,
linear) on 1x28x28. A training step is forward + cross-entropy + backward + SGD (momentum 0.9,
weight decay 5e-4); inference runs in eval mode under no_grad. Each figure is the median of the
timed steps after 3 warm-up steps. Run one network per process (--only) so that the peak RSS is
that network's own; without --only every network runs in a child process.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ShortcutA(nn.Module):
    def __init__(self, planes):
        super().__init__()
        self.pad = planes // 4

    def forward(self, x):
        return F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, self.pad, self.pad))


class BasicBlock(nn.Module):
    def __init__(self, cin, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = ShortcutA(planes) if stride != 1 or cin != planes else nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, blocks, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers, cin = [], 16
        for planes, stride in [(16, 1), (32, 2), (64, 2)]:
            for b in range(blocks):
                layers.append(BasicBlock(cin, planes, stride if b == 0 else 1))
                cin = planes
        self.layers = nn.Sequential(*layers)
        self.linear = nn.Linear(64, classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layers(out)
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


def vgg_small(classes=10):
    layers, cin = [], 1
    for c in [32, 32, "M", 64, 64, "M", 128, 128, "M"]:
        if c == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(cin, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True)]
            cin = c
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, classes))


NETWORKS = {
    "resnet20": (lambda: ResNet(3), (3, 32, 32)),
    "resnet56": (lambda: ResNet(9), (3, 32, 32)),
    "vgg-small": (vgg_small, (1, 28, 28)),
}


class GraphNet(nn.Module):
    """A network from the graph `shears bench --export-pruned` writes: the engine's nodes, each
    `{"name", "operation": {kind: {"_0": spec}}, "inputs"}`, run in order. The same shapes as
    the Shears network, so a pruned one is timed on the channel counts Shears chose."""

    def __init__(self, graph):
        super().__init__()
        self.order = []
        self.mods = nn.ModuleDict()
        self.maps = {}
        for node in graph["nodes"]:
            name, inputs = node["name"], node["inputs"]
            op = node["operation"]
            kind = next(iter(op)) if isinstance(op, dict) else op
            spec = op[kind].get("_0", {}) if isinstance(op, dict) and isinstance(op[kind], dict) else {}
            key = name.replace(".", "_")
            if kind == "conv":
                self.mods[key] = nn.Conv2d(spec["inChannels"], spec["outChannels"], spec["kernel"],
                                           spec["stride"], spec["padding"], bias=spec["bias"])
            elif kind == "batchNorm":
                self.mods[key] = nn.BatchNorm2d(spec["channels"], eps=spec["epsilon"])
            elif kind == "linear":
                self.mods[key] = nn.Linear(spec["inFeatures"], spec["outFeatures"], bias=spec["bias"])
            elif kind == "maxPool":
                self.mods[key] = nn.MaxPool2d(spec["kernel"], spec["stride"], spec["padding"])
            elif kind == "avgPool":
                self.mods[key] = nn.AvgPool2d(spec["kernel"], spec["stride"], spec["padding"])
            elif kind == "shortcutPad":
                self.maps[key] = (spec["stride"], spec["outChannels"],
                                  torch.tensor([i for i, m in enumerate(spec["channelMap"]) if m >= 0]),
                                  torch.tensor([m for m in spec["channelMap"] if m >= 0]))
            self.order.append((key, kind, [i.replace(".", "_") for i in inputs]))

    def forward(self, x):
        values = {"input": x}
        out = x
        for key, kind, inputs in self.order:
            a = values[inputs[0]]
            if kind in ("conv", "batchNorm", "linear", "maxPool", "avgPool"):
                out = self.mods[key](a)
            elif kind == "relu":
                out = F.relu(a)
            elif kind == "globalAvgPool":
                out = F.adaptive_avg_pool2d(a, 1)
            elif kind == "add":
                out = a + values[inputs[1]]
            elif kind == "flatten":
                out = a.flatten(1)
            elif kind == "shortcutPad":
                stride, channels, src, dst = self.maps[key]
                sub = a[:, :, ::stride, ::stride]
                out = sub.new_zeros(sub.shape[0], channels, sub.shape[2], sub.shape[3]).to(
                    memory_format=torch.channels_last if a.is_contiguous(memory_format=torch.channels_last)
                    else torch.contiguous_format)
                out[:, dst] = sub[:, src]
            else:
                raise SystemExit(f"torch_bench: unknown operation {kind}")
            values[key] = out
        return out


def measure_inference(model, shape, batch, steps, channels_last):
    torch.manual_seed(0)
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt).eval()
    x = torch.randn(batch, *shape).to(memory_format=fmt)
    times = []
    with torch.no_grad():
        for i in range(steps + 3):
            t0 = time.perf_counter()
            model(x)
            if i >= 3:
                times.append(time.perf_counter() - t0)
    return sorted(times)[len(times) // 2]


def measure_pruned(folder, batch, steps, channels_last, rounds=3):
    """Inference seconds of every exported graph in `folder` (base and pruned variants): as
    `shears bench` times them, each network's graphs in `rounds` interleaved rounds, the
    smallest median kept."""
    graphs = []
    for file in sorted(os.listdir(folder)):
        if file.endswith(".json"):
            graphs.append(json.load(open(os.path.join(folder, file))))
    rows = []
    for network in sorted({g["network"] for g in graphs}):
        group = [(g, GraphNet(g)) for g in graphs if g["network"] == network]
        best = [float("inf")] * len(group)
        for _ in range(rounds):
            for k, (graph, model) in enumerate(group):
                seconds = measure_inference(model, graph["inputShape"], batch, steps,
                                            channels_last)
                best[k] = min(best[k], seconds)
        for (graph, _), seconds in zip(group, best):
            rows.append({"network": graph["network"], "variant": graph["variant"],
                         "inferenceSeconds": seconds})
    return rows


def measure(name, batch, steps, channels_last):
    torch.manual_seed(0)
    make, shape = NETWORKS[name]
    model = make()
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    x = torch.randn(batch, *shape).to(memory_format=fmt)
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    model.train()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    model.eval()
    infer = []
    with torch.no_grad():
        for i in range(steps + 3):
            t0 = time.perf_counter()
            model(x)
            if i >= 3:
                infer.append(time.perf_counter() - t0)
    med = sorted(times)[len(times) // 2]
    imed = sorted(infer)[len(infer) // 2]
    return {
        "network": name,
        "trainImagesPerSecond": batch / med,
        "inferenceImagesPerSecond": batch / imed,
        "trainStepMilliseconds": med * 1000,
        "peakMemoryMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--channels-last", action="store_true")
    p.add_argument("--only")
    p.add_argument("--pruned", help="time the graphs `shears bench --export-pruned` wrote here")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    if a.pruned:
        print(json.dumps({"torch": torch.__version__, "channelsLast": a.channels_last,
                          "threads": a.threads,
                          "pruned": measure_pruned(a.pruned, a.batch, a.steps, a.channels_last)}))
        return
    if a.only:
        print(json.dumps(measure(a.only, a.batch, a.steps, a.channels_last)))
        return
    cases = []
    for name in NETWORKS:
        cmd = [sys.executable, __file__, "--threads", str(a.threads), "--batch", str(a.batch),
               "--steps", str(a.steps), "--only", name] + (["--channels-last"] if a.channels_last else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ).stdout
        cases.append(json.loads(out.strip().splitlines()[-1]))
    print(json.dumps({"torch": torch.__version__, "channelsLast": a.channels_last,
                      "threads": a.threads, "cases": cases}))


if __name__ == "__main__":
    main()
