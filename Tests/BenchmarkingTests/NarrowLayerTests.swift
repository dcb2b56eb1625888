import Benchmarking
import Foundation
import NeuralNet
import Pruning
import TensorCore
import Testing

/// No pruned shape may fall back to one of oneDNN's reference kernels (`ref:`), which run tens
/// of times slower: neither the shapes of the bench's pruned networks (run whole, inference
/// and a training step, with oneDNN's verbose log captured) nor odd and narrow channel counts
/// of single convolutions (implementation names asked of the primitives).
@Suite(.serialized) struct NarrowLayerTests {
  /// A batch no other test uses, so the verbose lines of this test can be told apart.
  static let batch = 7

  /// The log's lines about this test's primitives that name a reference implementation.
  static func referenceLines(_ log: String) -> [String] {
    log.split(separator: "\n").map(String.init).filter { line in
      line.contains("onednn_verbose,exec") || line.contains("dnnl_verbose,exec")
    }.filter { line in
      line.contains("mb\(batch)") || line.contains("\(batch)x")
    }.filter { $0.contains(",ref:") || $0.contains("ref:any") }
  }

  @Test func singleConvolutionsOfOddAndNarrowWidthsRunJITKernels() throws {
    let context = try ComputeContext(threads: 2)
    var found: [String] = []
    for ci in [1, 3, 5, 8, 13, 16, 17, 24, 37] {
      for co in [1, 3, 8, 13, 16, 19, 40] {
        let g = ConvGeometry(
          batch: 2, inChannels: ci, outChannels: co, height: 8, width: 8, kernel: 3, stride: 1,
          padding: 1, bias: false)
        try context.perform {
          let k = try Conv2DKernel(
            context: context, geometry: g, src: .nChw16c(g.srcDims), training: true)
          for impl in k.implementations where impl.hasPrefix("ref") {
            found.append("\(ci)→\(co): \(impl)")
          }
        }
      }
    }
    #expect(found.isEmpty, "reference kernels: \(found)")
  }

  @Test func benchPrunedNetworksRunNoReferenceKernel() throws {
    let context = try ComputeContext(threads: 2)
    var rng = SeededRNG(seed: 3)
    for spec in PrunedBenchmark.networks {
      let network = try PrunedBenchmark.network(spec.name)
      for variant in [PrunedBenchmark.Variant.plain, .aligned] {
        let plan = try PrunedBenchmark.plan(network, variant: variant, context: context)
        var pruned = try Surgery.prune(network, with: plan)
        let data = SyntheticBatch(network: pruned, batch: Self.batch, rng: &rng)
        let log = try DNNLVerbose.capture {
          try context.perform {
            let inference = try Executor(
              network: pruned, batch: Self.batch, training: false, context: context)
            _ = try data.images.withUnsafeBufferPointer {
              try inference.forward(&pruned, images: $0)
            }
            let training = try Executor(
              network: pruned, batch: Self.batch, training: true, context: context)
            let logits = try data.images.withUnsafeBufferPointer {
              try training.forward(&pruned, images: $0)
            }
            let loss = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: data.labels)
            try training.backward(pruned, lossGradient: loss.gradient)
          }
        }
        // The log must have seen this test's convolutions at all, or the capture failed.
        #expect(log.contains("convolution"), "\(spec.name) \(variant): no verbose log captured")
        let refs = Self.referenceLines(log)
        if let dir = ProcessInfo.processInfo.environment["SHEARS_VERBOSE_DUMP"] {
          try? log.write(
            toFile: dir + "/\(spec.name)-\(variant).log", atomically: true, encoding: .utf8)
        }
        #expect(refs.isEmpty, "\(spec.name) \(variant): \(refs.prefix(5))")
      }
    }
  }
}
