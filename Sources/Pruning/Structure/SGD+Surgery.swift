import NeuralNet
import TensorCore

extension SGD {
  /// The optimizer for the network `plan` prunes out of `network`: every momentum buffer cut
  /// exactly like its parameter (rows of removed filters and batch-norm entries, columns of
  /// removed inputs), so the kept channels keep their velocities. Buffers of parameters that
  /// have none yet stay absent.
  public func pruned(for network: Network, with plan: PruningPlan) throws -> SGD {
    guard !velocities.isEmpty else { return self }
    // Surgery cuts parameters; a shadow network whose parameters are the velocities (zeros
    // where a parameter has no buffer yet) is cut the same way.
    var shadow = network
    for (path, weight) in network.parameters {
      shadow.parameters[path] = velocities[path] ?? Tensor(zeros: weight.shape)
    }
    for (path, v) in velocities where network.parameters[path]?.shape != v.shape {
      throw PruningError.invalidGraph(
        "the optimizer's buffer '\(path)' has shape \(v.shape), the parameter "
          + "\(network.parameters[path]?.shape.description ?? "is missing")")
    }
    let cut = try Surgery.prune(shadow, with: plan)
    var copy = self
    copy.velocities = [:]
    for path in velocities.keys {
      copy.velocities[path] = cut.parameters[path]
    }
    return copy
  }
}
