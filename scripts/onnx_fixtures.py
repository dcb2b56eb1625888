"""Makes the ONNX import fixtures of Tests/ONNXTests/Fixtures with PyTorch and ONNX Runtime.

Run through scripts/make-onnx-fixtures (it sets up the virtual environment). Writes, for each
model, <name>.onnx as torch.onnx.export writes it (TorchScript exporter, opset 13, dynamic batch),
<name>.logits.f32 (ONNX Runtime's logits for the fixed inputs, float32 little-endian, row-major
[4, classes]) and the shared inputs inputs-<C>x<H>x<W>.f32 ([4, C, H, W], uniform [0, 1) from a
fixed seed); fixtures.json lists them. Also two files that must be refused: unsupported-op.onnx
(MatMul + Softmax after a conv) and dynamic-shape.onnx (dynamic H and W).

Models (small widths so that everything stays well under 2 MB):
  resnet20a   CIFAR ResNet-20, option-A shortcut as PyTorch users write it (a lambda with
              x[:, :, ::2, ::2] and F.pad on channels), widths 8/16/32, BN kept
              (training=TrainingMode.PRESERVE on an eval-mode model)
  resnet20b   the same with option-B shortcuts (1x1 conv + BN), BN kept
  vgg-folded  a small VGG with BN, default eval export (BN folded into the convolutions),
              flatten written as x.view(x.size(0), -1) (a Shape/Gather/Concat/Reshape chain)
  lenet       LeNet-5 on 1x28x28 (first conv padded), torch.flatten(x, 1)
  resnet20a-dynamo  resnet20a's architecture (other weights) through the newer exporter
              (dynamo=True, the default since PyTorch 2.9): opset 18+, BN folded, fixed batch 4,
              weights in resnet20a-dynamo.onnx.data beside the model
"""

import json
import os
import sys

import numpy as np
import onnxruntime as ort
import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = sys.argv[1]
BATCH = 4


class LambdaLayer(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride, option):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            if option == "A":
                self.shortcut = LambdaLayer(
                    lambda x: F.pad(
                        x[:, :, ::2, ::2], (0, 0, 0, 0, planes // 4, planes // 4), "constant", 0
                    )
                )
            else:
                self.shortcut = nn.Sequential(
                    nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes)
                )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += self.shortcut(x)
        return F.relu(out)


class ResNet(nn.Module):
    def __init__(self, option, widths=(8, 16, 32), blocks=3, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        layers = []
        in_planes = widths[0]
        for s, planes in enumerate(widths):
            blocks_ = []
            for k in range(blocks):
                stride = 2 if s > 0 and k == 0 else 1
                blocks_.append(BasicBlock(in_planes, planes, stride, option))
                in_planes = planes
            layers.append(nn.Sequential(*blocks_))
        self.layer1, self.layer2, self.layer3 = layers
        self.linear = nn.Linear(widths[2], classes)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer3(self.layer2(self.layer1(out)))
        out = F.avg_pool2d(out, out.size()[3])
        out = out.view(out.size(0), -1)
        return self.linear(out)


class VGG(nn.Module):
    def __init__(self, cfg=(16, 16, "M", 32, 32, "M", 64, "M"), classes=10):
        super().__init__()
        layers = []
        c = 1
        for v in cfg:
            if v == "M":
                layers.append(nn.MaxPool2d(2))
            else:
                layers += [nn.Conv2d(c, v, 3, padding=1, bias=False), nn.BatchNorm2d(v), nn.ReLU()]
                c = v
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c, classes)

    def forward(self, x):
        x = self.pool(self.features(x))
        x = x.view(x.size(0), -1)
        return self.classifier(x)


class LeNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class Attention(nn.Module):
    """Not a CNN: a conv, then a MatMul and a Softmax (what a Transformer layer does)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.w = nn.Parameter(torch.randn(8, 8))

    def forward(self, x):
        return torch.softmax(torch.matmul(self.conv(x), self.w), dim=-1)


def randomize_batch_norm(model, generator):
    """Non-trivial BN statistics and affine parameters, so that BN (kept or folded) matters."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            n = m.num_features
            with torch.no_grad():
                m.weight.copy_(0.5 + torch.rand(n, generator=generator))
                m.bias.copy_(0.2 * torch.randn(n, generator=generator))
                m.running_mean.copy_(0.2 * torch.randn(n, generator=generator))
                m.running_var.copy_(0.5 + torch.rand(n, generator=generator))


def export_dynamo(model, name, shape):
    """PyTorch's newer exporter (the default since 2.9): opset 18+, BN folded, weights in an
    external data file beside the model, fixed batch."""
    model.eval()
    x = torch.rand((BATCH,) + shape, generator=torch.Generator().manual_seed(7))
    path = os.path.join(OUT, name + ".onnx")
    torch.onnx.export(model, (x,), path, input_names=["input"], output_names=["output"], dynamo=True)
    return path, x


def export(model, name, shape, training=None, dynamic_hw=False):
    model.eval()
    x = torch.rand((BATCH,) + shape, generator=torch.Generator().manual_seed(7))
    path = os.path.join(OUT, name + ".onnx")
    axes = {0: "batch"}
    if dynamic_hw:
        axes.update({2: "height", 3: "width"})
    kwargs = dict(
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": axes, "output": {0: "batch"}},
        opset_version=13,
        dynamo=False,
    )
    if training is not None:
        kwargs["training"] = training
    torch.onnx.export(model, (x,), path, **kwargs)
    return path, x


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(2026)
    g = torch.Generator().manual_seed(2026)
    entries = []
    inputs_written = set()
    models = [
        ("resnet20a", ResNet("A"), (3, 32, 32), torch.onnx.TrainingMode.PRESERVE),
        ("resnet20b", ResNet("B"), (3, 32, 32), torch.onnx.TrainingMode.PRESERVE),
        ("vgg-folded", VGG(), (1, 28, 28), None),
        ("lenet", LeNet(), (1, 28, 28), None),
        ("resnet20a-dynamo", ResNet("A"), (3, 32, 32), "dynamo"),
    ]
    for name, model, shape, training in models:
        randomize_batch_norm(model, g)
        if training == "dynamo":
            path, x = export_dynamo(model, name, shape)
        else:
            path, x = export(model, name, shape, training)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        logits = session.run(None, {"input": x.numpy()})[0].astype("<f4")
        with torch.no_grad():
            reference = model(x).numpy()
        input_file = "inputs-%dx%dx%d.f32" % shape
        if input_file not in inputs_written:
            x.numpy().astype("<f4").tofile(os.path.join(OUT, input_file))
            inputs_written.add(input_file)
        logits.tofile(os.path.join(OUT, name + ".logits.f32"))
        ops = sorted({n.op_type for n in __import__("onnx").load(path).graph.node})
        entries.append(
            {
                "name": name,
                "file": name + ".onnx",
                "inputs": input_file,
                "inputShape": list(shape),
                "count": BATCH,
                "classes": int(logits.shape[1]),
                "logits": name + ".logits.f32",
                "operators": ops,
                "torchVsOnnxRuntimeMaxAbs": float(np.abs(reference - logits).max()),
            }
        )
        print(f"{name}: {os.path.getsize(path)} bytes, ops {ops}", file=sys.stderr)
    export(Attention(), "unsupported-op", (1, 8, 8))
    export(LeNet(), "dynamic-shape", (1, 28, 28), dynamic_hw=True)
    manifest = {
        "torch": torch.__version__,
        "onnxruntime": ort.__version__,
        "seed": 2026,
        "models": entries,
    }
    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
