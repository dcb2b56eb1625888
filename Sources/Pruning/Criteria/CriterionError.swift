/// Why a criterion could not score a network.
public enum CriterionError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No criterion has this name.
  case unknownCriterion(name: String, known: [String])
  /// A data-driven criterion was run without a data split.
  case missingData(criterion: String)
  /// The split's images do not fit the network's input.
  case dataMismatch(criterion: String, imageShape: [Int], networkInput: [Int])
  /// An option (batch count, batch size, λ, …) is out of range.
  case invalidOption(criterion: String, option: String, value: String, expected: String)
  /// The criterion needs a batch-norm node reading this convolution, and there is none.
  case noBatchNorm(criterion: String, layer: String)
  /// No ReLU is reachable from this convolution through batch norm and additions.
  case noActivation(criterion: String, layer: String)
  /// The criterion cannot propagate through this node.
  case unsupportedOperation(criterion: String, node: String, kind: String)
  /// A numerical step failed (non-finite weights, a LAPACK error).
  case numerical(criterion: String, layer: String, problem: String)

  /// A message naming the criterion, the value and what was expected.
  public var description: String {
    switch self {
    case .unknownCriterion(let name, let known):
      return "unknown criterion '\(name)'; known criteria: \(known.joined(separator: ", "))"
    case .missingData(let criterion):
      return "criterion '\(criterion)' reads images: give it a data split (e.g. the train split)"
    case .dataMismatch(let criterion, let imageShape, let networkInput):
      return "criterion '\(criterion)': the images are \(imageShape) but the network takes "
        + "\(networkInput); use the data set the network was built for"
    case .invalidOption(let criterion, let option, let value, let expected):
      return "criterion '\(criterion)': \(option) = \(value) is invalid; expected \(expected)"
    case .noBatchNorm(let criterion, let layer):
      return "criterion '\(criterion)': no batch norm reads conv '\(layer)'; "
        + "use a criterion that does not need one (e.g. l1)"
    case .noActivation(let criterion, let layer):
      return "criterion '\(criterion)': no ReLU follows conv '\(layer)' (through batch norm or "
        + "an addition), so it has no activation map to measure"
    case .unsupportedOperation(let criterion, let node, let kind):
      return "criterion '\(criterion)' cannot handle node '\(node)' of kind \(kind)"
    case .numerical(let criterion, let layer, let problem):
      return "criterion '\(criterion)', layer '\(layer)': \(problem)"
    }
  }
}
