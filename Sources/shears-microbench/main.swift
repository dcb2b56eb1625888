// Convolution micro-benchmark: forward, backward-data and backward-weights of the ResNet-20
// layer shapes at batch 128 through the engine's oneDNN kernels, printed as JSON.
//
// Protocol (as in ../shared/PERF_NOTES.md §1): buffers allocated before timing; per op 3
// warm-up calls, then the median of 15 timed calls; three interleaved rounds, minimum of the
// medians reported. Release builds only: debug timings would mislead.
import Benchmarking
import Foundation
import Pruning
import TensorCore

#if DEBUG
  FileHandle.standardError.write(
    Data("shears-microbench: build with -c release (debug timings are meaningless)\n".utf8))
  exit(1)
#else
  struct Shape {
    let name: String
    let count: Int
    let geometry: ConvGeometry
  }

  struct OpResult: Codable {
    let shape: String
    let countInResNet20: Int
    let op: String
    let ms: Double
    let gflops: Double
    let implementation: String
  }

  struct Report: Codable {
    let batch: Int
    let threads: Int
    let results: [OpResult]
    let resnet20WeightedMs: [String: Double]
  }

  let batch = Int(ProcessInfo.processInfo.environment["SHEARS_BENCH_BATCH"] ?? "") ?? 128
  let threads = Int(ProcessInfo.processInfo.environment["SHEARS_THREADS"] ?? "") ?? 2

  func conv(_ cin: Int, _ cout: Int, _ hw: Int, k: Int = 3, s: Int = 1) -> ConvGeometry {
    ConvGeometry(
      batch: batch, inChannels: cin, outChannels: cout, height: hw, width: hw, kernel: k, stride: s,
      padding: k / 2)
  }

  // SHEARS_CONVOLUTION=direct|winograd picks the algorithm (default: the engine's);
  // SHEARS_GRID=1 times a grid of 3x3 stride-1 shapes (16–64 channels in and out, 32/16/8
  // pixels) instead of ResNet-20's, to see where Winograd pays; SHEARS_GRID_CHANNELS and
  // SHEARS_GRID_PIXELS (comma-separated) replace the grid's channel counts and image sizes
  // (vgg-small's are 28/14/7).
  let convolution =
    ProcessInfo.processInfo.environment["SHEARS_CONVOLUTION"].flatMap(ConvolutionAlgorithm.init)
    ?? .default
  let grid = ProcessInfo.processInfo.environment["SHEARS_GRID"] == "1"
  func list(_ name: String, _ fallback: [Int]) -> [Int] {
    let values = (ProcessInfo.processInfo.environment[name] ?? "").split(separator: ",")
      .compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
    return values.isEmpty ? fallback : values
  }
  let gridChannels = list("SHEARS_GRID_CHANNELS", [16, 32, 48, 64])
  let gridPixels = list("SHEARS_GRID_PIXELS", [32, 16, 8])
  let gridShapes = gridChannels.flatMap { cin in
    gridChannels.flatMap { cout in
      gridPixels.map { hw in
        Shape(name: "\(cin)->\(cout) @\(hw)", count: 1, geometry: conv(cin, cout, hw))
      }
    }
  }
  let shapes =
    grid
    ? gridShapes
    : [
      Shape(name: "3->16 @32 (stem)", count: 1, geometry: conv(3, 16, 32)),
      Shape(name: "16->16 @32", count: 6, geometry: conv(16, 16, 32)),
      Shape(name: "16->32 @32 s2", count: 1, geometry: conv(16, 32, 32, s: 2)),
      Shape(name: "32->32 @16", count: 5, geometry: conv(32, 32, 16)),
      Shape(name: "32->64 @16 s2", count: 1, geometry: conv(32, 64, 16, s: 2)),
      Shape(name: "64->64 @8", count: 5, geometry: conv(64, 64, 8)),
      Shape(name: "1x1 16->32 s2", count: 1, geometry: conv(16, 32, 32, k: 1, s: 2)),
      Shape(name: "1x1 32->64 s2", count: 1, geometry: conv(32, 64, 16, k: 1, s: 2)),
    ]

  let context = try ComputeContext(threads: threads, convolution: convolution)
  // SHEARS_BN=1 times the training batch norm of a ResNet block instead: alone (with ReLU),
  // followed by the add, and joined with the add (BatchNorm+Residual.swift), per layer shape.
  if ProcessInfo.processInfo.environment["SHEARS_BN"] == "1" {
    var rows: [String: Double] = [:]
    try context.perform {
      var rng = SeededRNG(seed: 7)
      for (c, hw) in [(16, 32), (32, 16), (64, 8)] {
        let md = MemoryDescriptor.nChw16c([batch, c, hw, hw])
        let x = try context.reorder(Tensor(shape: md.dims, normalStd: 1, rng: &rng), to: md)
        let r = try context.reorder(Tensor(shape: md.dims, normalStd: 1, rng: &rng), to: md)
        var y = Tensor(zeros: md)
        var sum = Tensor(zeros: md)
        var mean = Tensor(zeros: [c])
        var variance = Tensor(zeros: [c])
        let gamma = Tensor(shape: [c], repeating: 1)
        let beta = Tensor(shape: [c], repeating: 0)
        let bnReLU = try BatchNormKernel(
          context: context, descriptor: md, fuseReLU: true, training: true)
        let bn = try BatchNormKernel(context: context, descriptor: md, training: true)
        let add = try AddKernel(context: context, descriptor: md, fuseReLU: true)
        let ops: [(String, () throws -> Void)] = [
          (
            "bn+relu",
            {
              try bnReLU.forwardTraining(
                x, scale: gamma, shift: beta, into: &y, mean: &mean, variance: &variance)
            }
          ),
          (
            "bn, then add+relu",
            {
              try bn.forwardTraining(
                x, scale: gamma, shift: beta, into: &y, mean: &mean, variance: &variance)
              try add.forward(y, r, into: &sum)
            }
          ),
          (
            "bn+add+relu joined",
            {
              try bn.forwardTrainingResidual(
                x, addend: r, scale: gamma, shift: beta, relu: true, into: &sum, mean: &mean,
                variance: &variance)
            }
          ),
        ]
        for _ in 0..<3 {
          for (name, run) in ops {
            let key = "\(c)@\(hw) \(name)"
            let t = Benchmark.median(try Benchmark.times(warmup: 3, timed: 15) { try run() })
            rows[key] = min(rows[key] ?? .infinity, t * 1000)
          }
        }
      }
    }
    for (k, v) in rows.sorted(by: { $0.key < $1.key }) {
      print(String(format: "%8.3f ms  %@", v, k))
    }
    exit(0)
  }
  // SHEARS_INFER=1 times what the latency model measures (LatencyProfiler.time: forward, bias
  // and ReLU fused, weights prepared once, the median of 7 calls after 2) over
  // SHEARS_GRID_CHANNELS in × out (SHEARS_GRID_SQUARE=1: only in = out) at SHEARS_GRID_PIXELS,
  // three interleaved rounds, minimum of the medians.
  if ProcessInfo.processInfo.environment["SHEARS_INFER"] == "1" {
    let square = ProcessInfo.processInfo.environment["SHEARS_GRID_SQUARE"] == "1"
    let cases: [(name: String, geometry: ConvGeometry)] = gridPixels.flatMap { hw in
      gridChannels.flatMap { cin in
        gridChannels.filter { !square || cin == $0 }.map { cout in
          (
            "\(cin)->\(cout) @\(hw)",
            ConvGeometry(
              batch: batch, inChannels: cin, outChannels: cout, height: hw, width: hw, kernel: 3,
              stride: 1, padding: 1, bias: true)
          )
        }
      }
    }
    var rng = SeededRNG(seed: 7)
    var best = [Double](repeating: .infinity, count: cases.count)
    for _ in 0..<3 {
      for (k, c) in cases.enumerated() {
        let t = try LatencyProfiler.time(
          c.geometry, plainInput: false, repeats: 7, context: context, rng: &rng)
        best[k] = min(best[k], t)
      }
    }
    for (k, c) in cases.enumerated() {
      let gflops = 2 * Double(c.geometry.macs) / best[k] / 1e9
      print(String(format: "%8.3f ms %7.1f GF/s  %@", best[k] * 1000, gflops, c.name))
    }
    exit(0)
  }
  let report: Report = try context.perform {
    var rng = SeededRNG(seed: 7)
    // One prepared case per shape: kernel, buffers, and the three timed closures.
    struct Case {
      let shape: Shape
      let kernel: Conv2DKernel
      let ops: [(String, () throws -> Void)]
    }
    var cases: [Case] = []
    for shape in shapes {
      let g = shape.geometry
      let isStem = g.inChannels < 8
      let srcMD: MemoryDescriptor = isStem ? .plain(g.srcDims) : .nChw16c(g.srcDims)
      let kernel = try Conv2DKernel(context: context, geometry: g, src: srcMD, training: true)
      let x = try context.reorder(Tensor(shape: g.srcDims, normalStd: 1, rng: &rng), to: srcMD)
      let w = Tensor(shape: g.weightDims, normalStd: 0.1, rng: &rng)
      var y = Tensor(zeros: kernel.dstDescriptor)
      let dy = try context.reorder(
        Tensor(shape: g.dstDims, normalStd: 1, rng: &rng), to: kernel.dstDescriptor)
      var dx = Tensor(zeros: srcMD)
      var dw = Tensor(zeros: g.weightDims)
      var db: Tensor? = nil
      var ops: [(String, () throws -> Void)] = [
        ("fwd", { try kernel.forward(x, weight: w, bias: nil, into: &y) }),
        ("bwd_weights", { try kernel.backwardWeights(x, dy, weightGrad: &dw, biasGrad: &db) }),
      ]
      if !isStem {
        ops.insert(("bwd_data", { try kernel.backwardData(dy, weight: w, into: &dx) }), at: 1)
      }
      cases.append(Case(shape: shape, kernel: kernel, ops: ops))
    }
    var best: [String: Double] = [:]
    for _ in 0..<(grid ? 1 : 3) {
      for c in cases {
        for (op, run) in c.ops {
          let times = try Benchmark.times(warmup: 3, timed: 15) { try run() }
          let key = "\(c.shape.name)|\(op)"
          best[key] = min(best[key] ?? .infinity, Benchmark.median(times))
        }
      }
    }
    var results: [OpResult] = []
    var weighted: [String: Double] = ["fwd": 0, "bwd_data": 0, "bwd_weights": 0]
    for c in cases {
      let impls = c.kernel.implementations
      for (i, (op, _)) in c.ops.enumerated() {
        let seconds = best["\(c.shape.name)|\(op)", default: .nan]  // filled by the rounds above
        let flops = 2 * Double(c.shape.geometry.macs)
        results.append(
          OpResult(
            shape: c.shape.name, countInResNet20: c.shape.count, op: op, ms: seconds * 1000,
            gflops: flops / seconds / 1e9,
            implementation: impls.count == 3 ? impls[i == 1 && c.ops.count == 2 ? 2 : i] : "?"))
        // The weighted total counts the option-A network's 19 convs (no 1x1 projections).
        if !c.shape.name.hasPrefix("1x1") {
          weighted[op, default: 0] += seconds * 1000 * Double(c.shape.count)
        }
      }
    }
    weighted["total"] = weighted.values.reduce(0, +)
    return Report(batch: batch, threads: threads, results: results, resnet20WeightedMs: weighted)
  }

  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
  print(String(decoding: try encoder.encode(report), as: UTF8.self))
#endif
