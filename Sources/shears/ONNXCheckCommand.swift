import ArgumentParser
import Datasets
import DurableIO
import Foundation
import NeuralNet
import ONNX
import Pruning
import TensorCore

/// `shears onnx-check` (hidden): writes what `scripts/check-onnx` hands to ONNX Runtime — each
/// case's exported `.onnx` file (normalisation in the graph), raw input images and Shears'
/// logits for them — and Shears' inference speed, for the peer comparison.
///
/// Cases: every zoo model (lenet5 and vgg-small on 1×28×28, the others on 3×32×32), resnet20
/// with option-B shortcuts, and resnet56 pruned 50% (l1, uniform). Weights are seeded; batch-norm
/// parameters and statistics are randomised so that they matter. Images are uniform in [0, 1).
struct ONNXCheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "onnx-check",
    abstract: "Write ONNX exports, inputs and Shears' logits for scripts/check-onnx.",
    discussion: "Example: shears onnx-check --out /tmp/onnx-check --images 256",
    shouldDisplay: false)

  @Option(help: "Folder to write into (created).")
  var out: String

  @Option(help: "Images per case.")
  var images: Int = 256

  @Option(help: "Comma-separated cases (default: all).")
  var cases: String?

  @Option(help: "OpenMP threads for oneDNN.")
  var threads: Int = 2

  @Option(help: "Timed inference passes per case (0: no timing).")
  var steps: Int = 0

  @Option(help: "Batch size of the timed passes.")
  var batch: Int = 64

  /// The cases and their input shapes.
  static let allCases: [(name: String, channels: Int, size: Int)] = [
    ("lenet5", 1, 28), ("vgg-small", 1, 28), ("vgg16", 3, 32), ("resnet20", 3, 32),
    ("resnet32", 3, 32), ("resnet56", 3, 32), ("resnet110", 3, 32), ("resnet20-b", 3, 32),
    ("resnet56-pruned50", 3, 32),
  ]

  struct Report: Codable {
    var name: String
    var file: String
    var inputs: String
    var logits: String
    var inputShape: [Int]
    var count: Int
    var classes: Int
    var parameters: Int
    var macs: Int
    var threads: Int
    var batch: Int
    var shearsImagesPerSecond: Double?
  }

  func run() throws {
    let wanted = cases.map { Set($0.split(separator: ",").map(String.init)) }
    try DurableFile.makeDirectory(out)
    let context = try ComputeContext(threads: threads)
    var reports: [Report] = []
    for c in Self.allCases where wanted?.contains(c.name) ?? true {
      reports.append(try check(c.name, channels: c.channels, size: c.size, context: context))
      Console.error("onnx-check: \(c.name) written")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try DurableFile.write([UInt8](encoder.encode(reports)), to: out + "/cases.json")
  }

  private func network(_ name: String, channels: Int, size: Int, context: ComputeContext) throws
    -> Network
  {
    var rng = SeededRNG(seed: 2026)
    let base =
      name.hasPrefix("resnet56") ? "resnet56" : name.hasPrefix("resnet20") ? "resnet20" : name
    let options = ModelOptions(
      inputChannels: channels, inputSize: size, shortcut: name.hasSuffix("-b") ? .b : .a)
    var net = try ModelZoo.make(base, options: options, rng: &rng)
    for node in net.nodes {
      guard case .batchNorm(let b) = node.operation else { continue }
      let n = b.channels
      func uniform(_ lo: Float, _ hi: Float) -> Tensor {
        Tensor(shape: [n], scalars: (0..<n).map { _ in lo + (hi - lo) * rng.nextFloat() })
      }
      net.parameters[node.name + ".weight"] = uniform(0.5, 1.5)
      net.parameters[node.name + ".bias"] = uniform(-0.2, 0.2)
      net.buffers[node.name + ".running_mean"] = uniform(-0.2, 0.2)
      net.buffers[node.name + ".running_var"] = uniform(0.5, 1.5)
    }
    if name.hasSuffix("-pruned50") {
      let scores = try CriterionRegistry.standard.criterion(named: "l1").score(
        ScoringInput(network: net, context: context, rng: rng.split()))
      let plan = try Planner(network: net).plan(scores: scores, ratio: 0.5)
      net = try Surgery.prune(net, with: plan)
    }
    return net
  }

  private func check(_ name: String, channels: Int, size: Int, context: ComputeContext) throws
    -> Report
  {
    var net = try network(name, channels: channels, size: size, context: context)
    // Published statistics of the data sets these inputs stand for.
    let stats =
      channels == 1
      ? ChannelStatistics(mean: [0.2860], std: [0.3530])
      : ChannelStatistics(mean: [0.4914, 0.4822, 0.4465], std: [0.2470, 0.2435, 0.2616])
    var rng = SeededRNG(seed: 7)
    let plane = size * size
    let raw = (0..<(images * channels * plane)).map { _ in rng.nextFloat() }
    let shift = stats.mean.map { Float($0) }
    let scale = stats.std.map { Float(1 / $0) }
    let normalized = raw.enumerated().map { i, x in
      let c = (i / plane) % channels
      return (x - shift[c]) * scale[c]
    }
    let logits = try context.perform { () throws -> [Float] in
      let executor = try Executor(network: net, batch: images, training: false, context: context)
      return try normalized.withUnsafeBufferPointer { try executor.forward(&net, images: $0) }
        .scalars
    }
    var speed: Double? = nil
    if steps > 0 {
      speed = try context.perform { () throws -> Double in
        let executor = try Executor(network: net, batch: batch, training: false, context: context)
        let part = Array(normalized.prefix(batch * channels * plane))
        var times: [Double] = []
        for i in 0..<(2 + steps) {
          let t0 = MonotonicClock.seconds()
          _ = try part.withUnsafeBufferPointer { try executor.forward(&net, images: $0) }
          if i >= 2 { times.append(MonotonicClock.seconds() - t0) }
        }
        return Double(batch) / times.sorted()[times.count / 2]
      }
    }
    let bytes = try ONNXExporter.encode(
      net,
      options: ONNXExportOptions(
        normalization: stats, provenance: ["shears.history": "onnx-check \(name)"]))
    try DurableFile.write(bytes, to: "\(out)/\(name).onnx")
    try DurableFile.write(Self.littleEndian(raw), to: "\(out)/\(name).input.f32")
    try DurableFile.write(Self.littleEndian(logits), to: "\(out)/\(name).logits.f32")
    return Report(
      name: name, file: name + ".onnx", inputs: name + ".input.f32", logits: name + ".logits.f32",
      inputShape: [images, channels, size, size], count: images, classes: net.classes,
      parameters: net.parameterCount, macs: net.macs, threads: threads, batch: batch,
      shearsImagesPerSecond: speed)
  }

  static func littleEndian(_ values: [Float]) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * 4)
    for v in values {
      withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
    return bytes
  }

}
