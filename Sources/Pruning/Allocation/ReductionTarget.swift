/// What a targeted strategy measures its reduction in.
public enum ReductionTarget: String, Hashable, Sendable, Codable {
  /// Multiply–accumulates of conv and linear layers.
  case flops
  /// Trainable parameters.
  case params
  /// Inference time of one batch on this machine, as a ``LatencyModel`` predicts it (the plan
  /// needs one: `profile m`).
  case latency
}
