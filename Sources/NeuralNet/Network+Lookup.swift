import TensorCore

extension Network {
  /// The parameter at `path`; throws ``NeuralNetError/parameter(path:problem:)`` when the
  /// network lacks it (``parameters`` is public and mutable, so a caller may have removed it).
  func parameter(_ path: String) throws -> Tensor {
    guard let tensor = parameters[path] else {
      throw NeuralNetError.parameter(path: path, problem: "missing from the network")
    }
    return tensor
  }

  /// The buffer at `path` (running statistics); throws like ``parameter(_:)`` when it is missing.
  func buffer(_ path: String) throws -> Tensor {
    guard let tensor = buffers[path] else {
      throw NeuralNetError.parameter(path: path, problem: "buffer missing from the network")
    }
    return tensor
  }

  /// Removes and returns the buffer at `path` (so that it can be updated in place without a
  /// copy); throws like ``buffer(_:)`` when it is missing.
  mutating func takeBuffer(_ path: String) throws -> Tensor {
    guard let tensor = buffers.removeValue(forKey: path) else {
      throw NeuralNetError.parameter(path: path, problem: "buffer missing from the network")
    }
    return tensor
  }
}
