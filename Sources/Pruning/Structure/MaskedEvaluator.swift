import Datasets
import NeuralNet
import TensorCore

/// Loss and accuracy of masked variants of one network on a fixed calibration set, reusing one
/// inference executor (masked networks keep the graph, so nothing is rebuilt).
final class MaskedEvaluator {
  /// The unmasked network.
  public let network: Network
  let calibration: Calibration
  private var executor: Executor?
  private let count: Int

  /// Prepares evaluation of `network`'s variants on `calibration`.
  public init(network: Network, calibration: Calibration) throws {
    guard calibration.split.imageShape == network.inputShape else {
      throw PruningError.invalidOption(
        "calibration images are \(calibration.split.imageShape), the network takes \(network.inputShape)"
      )
    }
    self.network = network
    self.calibration = calibration
    self.count = min(calibration.images, calibration.split.count)
    guard count > 0 else { throw PruningError.invalidOption("no calibration images") }
  }

  /// Mean loss and accuracy of `variant` (same graph as ``network``).
  public func evaluate(_ variant: Network) throws -> Metrics {
    let bs = min(calibration.batchSize, count)
    let split = calibration.split
    return try calibration.context.perform {
      let reused =
        try executor
        ?? Executor(network: network, batch: bs, training: false, context: calibration.context)
      executor = reused
      var net = variant
      return try reused.evaluate(&net, on: split, count: count)
    }
  }
}
