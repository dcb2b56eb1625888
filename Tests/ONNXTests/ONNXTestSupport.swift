import Foundation
import NeuralNet
import TensorCore

/// Helpers shared by the ONNX tests: networks with non-trivial batch norm, inference, fixtures.
enum ONNXTestSupport {
  /// The committed fixtures (made by scripts/make-onnx-fixtures).
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// The bytes of fixture `name`.
  static func fixture(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
  }

  /// Little-endian float32 values of fixture `name`.
  static func floats(_ name: String) throws -> [Float] {
    let bytes = try fixture(name)
    return stride(from: 0, to: bytes.count, by: 4).map { i in
      Float(
        bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
          | UInt32(bytes[i + 3]) << 24)
    }
  }

  /// A zoo model at a small size, with batch-norm parameters and statistics drawn at random.
  static func zooModel(
    _ name: String, channels: Int = 3, size: Int = 16, width: Double = 0.5,
    shortcut: ModelOptions.Shortcut = .a
  ) throws -> Network {
    var rng = SeededRNG(seed: 11)
    var net = try ModelZoo.make(
      name,
      options: ModelOptions(
        inputChannels: channels, inputSize: size, widthMultiplier: width, shortcut: shortcut),
      rng: &rng)
    for node in net.nodes {
      guard case .batchNorm(let b) = node.operation else { continue }
      func uniform(_ lo: Float, _ hi: Float) -> Tensor {
        Tensor(
          shape: [b.channels],
          scalars: (0..<b.channels).map { _ in lo + (hi - lo) * rng.nextFloat() })
      }
      net.parameters[node.name + ".weight"] = uniform(0.5, 1.5)
      net.parameters[node.name + ".bias"] = uniform(-0.2, 0.2)
      net.buffers[node.name + ".running_mean"] = uniform(-0.2, 0.2)
      net.buffers[node.name + ".running_var"] = uniform(0.5, 1.5)
    }
    return net
  }

  /// `count` images uniform in [0, 1) for `net`.
  static func images(for net: Network, count: Int, seed: UInt64 = 5) -> [Float] {
    var rng = SeededRNG(seed: seed)
    return (0..<(count * net.inputShape.reduce(1, *))).map { _ in rng.nextFloat() }
  }

  /// Shears' logits of `images` (plain NCHW), `[count × classes]` row-major.
  static func logits(_ net: Network, _ images: [Float]) throws -> [Float] {
    var net = net
    let count = images.count / net.inputShape.reduce(1, *)
    let context = try ComputeContext(threads: 1)
    return try context.perform { () throws -> [Float] in
      let executor = try Executor(network: net, batch: count, training: false, context: context)
      return try images.withUnsafeBufferPointer { try executor.forward(&net, images: $0) }.scalars
    }
  }

  /// max |a − b| relative to max |b|.
  static func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    let diff = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    let scale = b.map { abs($0) }.max() ?? 1
    return diff / max(scale, 1e-30)
  }
}
