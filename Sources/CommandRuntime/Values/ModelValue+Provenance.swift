import DurableIO

extension ModelValue {
  /// Metadata key of the content hash of the plan that pruned the model (16 hex digits); an
  /// ONNX export writes it as `shears.plan`.
  public static let planKey = "plan"

  /// The same model recording `plan` (its archive's content hash) as the plan that made it.
  public func recording(plan: PlanValue) -> ModelValue {
    var copy = self
    if let bytes = try? plan.archive() { copy.metadata[Self.planKey] = ContentHash.hex(bytes) }
    return copy
  }
}
