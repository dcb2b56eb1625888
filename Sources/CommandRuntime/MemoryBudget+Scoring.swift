import NeuralNet
import Pruning

extension MemoryBudget {
  /// Refuses to score `network` when one scoring batch would not fit: criteria that read
  /// gradients (taylor) hold a training step's memory for `batch` images, criteria that read
  /// activations (apoz, hrank, frs) every node's output for the batch; weight-only criteria
  /// allocate nothing the model does not already hold.
  ///
  /// ```swift
  /// try MemoryBudget.checkScoring(net, needs: [.gradients], batch: 64, command: "score", limit: nil)
  /// ```
  static func checkScoring(
    _ network: Network, needs: [CriterionNeeds], batch: Int, command: String, limit: Int?
  ) throws {
    let footprint = try ModelFootprint(network)
    let bytes: Int
    let reading: String
    if needs.contains(.gradients) {
      bytes = footprint.trainingBytes(batch: batch)
      reading = "gradients"
    } else if needs.contains(.data) {
      bytes = footprint.inferenceBytes(batch: batch)
      reading = "activations"
    } else {
      return
    }
    try check(
      bytes, for: "scoring \(network.name) by \(reading) on batches of \(batch)",
      command: command, limit: limit)
  }
}
