"""ONNX Runtime as a peer for Shears' ONNX export (run through scripts/check-onnx).

  onnx_check.py compare DIR [--tolerance T] [--threads N] [--steps N]
      Runs every case of DIR/cases.json (written by `shears onnx-check`) in ONNX Runtime on
      the same raw images and compares with Shears' logits: max |difference| and the same
      relative to the largest |logit|. With --steps, also ONNX Runtime's inference speed at the
      batch Shears was timed at. Exit 1 when a case is over the tolerance.
  onnx_check.py fixtures FIXTURES DIR [--tolerance T]
      The PyTorch fixtures after Shears imported and exported them again (DIR/<name>.onnx) give
      the logits ONNX Runtime recorded for the originals.
  onnx_check.py accuracy MODEL.onnx [--data DIR] [--threads N]
      Accuracy of MODEL.onnx in ONNX Runtime on the raw Fashion-MNIST test set (pixels / 255,
      no other preprocessing: the file must normalise itself).
"""

import argparse
import gzip
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort


def session(path, threads):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def compare(args):
    cases = json.load(open(os.path.join(args.dir, "cases.json")))
    failed = []
    print(
        f"{'case':20} {'images':>6} {'max |diff|':>11} {'relative':>9} "
        f"{'shears img/s':>12} {'ORT img/s':>10}"
    )
    rows = []
    for c in cases:
        s = session(os.path.join(args.dir, c["file"]), args.threads)
        x = np.fromfile(os.path.join(args.dir, c["inputs"]), dtype="<f4").reshape(c["inputShape"])
        ours = np.fromfile(os.path.join(args.dir, c["logits"]), dtype="<f4").reshape(
            c["count"], c["classes"]
        )
        name = s.get_inputs()[0].name
        theirs = s.run(None, {name: x})[0]
        diff = float(np.abs(theirs - ours).max())
        relative = diff / max(float(np.abs(ours).max()), 1e-30)
        ort_speed = None
        if args.steps > 0 and c.get("shearsImagesPerSecond"):
            b = min(c["batch"], c["count"])
            part = x[:b]
            times = []
            for i in range(2 + args.steps):
                t0 = time.perf_counter()
                s.run(None, {name: part})
                if i >= 2:
                    times.append(time.perf_counter() - t0)
            ort_speed = b / sorted(times)[len(times) // 2]
        ours_speed = c.get("shearsImagesPerSecond")
        print(
            f"{c['name']:20} {c['count']:>6} {diff:>11.3e} {relative:>9.2e} "
            f"{(f'{ours_speed:.0f}' if ours_speed else '-'):>12} "
            f"{(f'{ort_speed:.0f}' if ort_speed else '-'):>10}"
        )
        rows.append(
            {
                "case": c["name"],
                "images": c["count"],
                "maxAbsDifference": diff,
                "relative": relative,
                "shearsImagesPerSecond": ours_speed,
                "onnxRuntimeImagesPerSecond": ort_speed,
                "batch": c["batch"],
                "threads": args.threads,
            }
        )
        if not relative <= args.tolerance:
            failed.append(c["name"])
    if args.json:
        json.dump({"onnxruntime": ort.__version__, "cases": rows}, open(args.json, "w"), indent=2)
    print(f"ONNX Runtime {ort.__version__}, {args.threads} thread(s); tolerance {args.tolerance}")
    if failed:
        print("check-onnx: over the tolerance: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def fixtures(args):
    """Fixtures imported by Shears and exported again give ONNX Runtime's recorded logits."""
    manifest = json.load(open(os.path.join(args.fixtures, "fixtures.json")))
    failed = []
    for m in manifest["models"]:
        x = np.fromfile(os.path.join(args.fixtures, m["inputs"]), dtype="<f4").reshape(
            [m["count"]] + m["inputShape"]
        )
        expected = np.fromfile(os.path.join(args.fixtures, m["logits"]), dtype="<f4").reshape(
            m["count"], m["classes"]
        )
        s = session(os.path.join(args.dir, m["file"]), args.threads)
        got = s.run(None, {s.get_inputs()[0].name: x})[0]
        diff = float(np.abs(got - expected).max())
        relative = diff / max(float(np.abs(expected).max()), 1e-30)
        print(f"round trip {m['name']:12} max |diff| {diff:.3e}  relative {relative:.2e}")
        if not relative <= args.tolerance:
            failed.append(m["name"])
    if failed:
        print("check-onnx: round trips over the tolerance: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def accuracy(args):
    images = idx(os.path.join(args.data, "t10k-images-idx3-ubyte.gz")).astype(np.float32) / 255
    labels = idx(os.path.join(args.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    images = images.reshape(-1, 1, 28, 28)
    s = session(args.model, args.threads)
    name = s.get_inputs()[0].name
    correct = 0
    for start in range(0, len(images), 500):
        logits = s.run(None, {name: images[start : start + 500]})[0]
        correct += int((logits.argmax(axis=1) == labels[start : start + 500]).sum())
    print(
        json.dumps(
            {"model": args.model, "images": len(images), "correct": correct,
             "accuracy": correct / len(images), "onnxruntime": ort.__version__}
        )
    )
    return 0


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("compare")
    c.add_argument("dir")
    c.add_argument("--tolerance", type=float, default=1e-4)
    c.add_argument("--threads", type=int, default=2)
    c.add_argument("--steps", type=int, default=0)
    c.add_argument("--json")
    r = sub.add_parser("fixtures")
    r.add_argument("fixtures")
    r.add_argument("dir")
    r.add_argument("--tolerance", type=float, default=1e-4)
    r.add_argument("--threads", type=int, default=2)
    a = sub.add_parser("accuracy")
    a.add_argument("model")
    a.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    return {"compare": compare, "fixtures": fixtures, "accuracy": accuracy}[args.mode](args)


if __name__ == "__main__":
    sys.exit(main())
