/// What a targeted strategy measures its reduction in.
public enum ReductionTarget: String, Hashable, Sendable, Codable {
  /// Multiply–accumulates of conv and linear layers.
  case flops
  /// Trainable parameters.
  case params
}
