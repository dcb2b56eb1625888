/// Why an analysis of criteria (similarity, overlap, CWDA, applicability, global pruning), or
/// the JSON of its results, could not be done.
///
/// Every case names the criterion, layer, value or file involved so the message says what to
/// change.
public enum AnalysisError: Error, Equatable, Sendable, CustomStringConvertible {
  /// No score sets were given.
  case noCriteria
  /// Two score sets carry the same criterion name.
  case duplicateCriterion(name: String)
  /// A criterion has no scores for a layer that the analysis needs.
  case missingLayer(criterion: String, layer: String)
  /// Two criteria give a layer different numbers of scores.
  case scoreCountMismatch(layer: String, criterion: String, expected: Int, actual: Int)
  /// A score is NaN or infinite.
  case nonFiniteScore(criterion: String, layer: String, index: Int)
  /// The layer selection names a layer that is not a scored conv.
  case unknownLayer(name: String, known: [String])
  /// The layer selection left no layer to analyse.
  case noLayers
  /// An option needs the network (kernel sizes, weights) but none was given.
  case needsNetwork(option: String)
  /// The network has no conv node, or no weight tensor, with this name.
  case missingWeights(layer: String)
  /// A pruning ratio outside [0, 1].
  case invalidRatio(Double)
  /// A numeric option is out of range.
  case invalidOption(option: String, value: String, expected: String)
  /// A statistic failed on a layer's data.
  case statistics(layer: String, problem: String)
  /// A value could not be encoded as JSON.
  case encodingFailed(what: String, reason: String)
  /// JSON text could not be decoded as the expected value.
  case decodingFailed(what: String, reason: String)

  /// A message naming the criterion, layer, value or file and what was expected.
  public var description: String {
    switch self {
    case .noCriteria:
      return "analysis needs the scores of at least one criterion; score the network first"
    case .duplicateCriterion(let name):
      return "criterion '\(name)' appears twice; give each criterion's scores once"
    case .missingLayer(let criterion, let layer):
      return "criterion '\(criterion)' has no scores for layer '\(layer)'; score every criterion "
        + "on the same network, or restrict the analysis to layers all of them scored"
    case .scoreCountMismatch(let layer, let criterion, let expected, let actual):
      return "layer '\(layer)': criterion '\(criterion)' has \(actual) scores but \(expected) "
        + "were expected (one per filter); were the criteria scored on the same network?"
    case .nonFiniteScore(let criterion, let layer, let index):
      return "criterion '\(criterion)', layer '\(layer)': score \(index) is NaN or infinite; "
        + "check the network's weights and the criterion's inputs"
    case .unknownLayer(let name, let known):
      return "layer '\(name)' is not a scored conv; known: \(known.joined(separator: ", "))"
    case .noLayers:
      return "the layer selection leaves no layer to analyse; include more layers"
    case .needsNetwork(let option):
      return "\(option) needs the network (kernel sizes and weights); pass it to the analysis"
    case .missingWeights(let layer):
      return "the network has no conv '\(layer)' with a weight tensor '\(layer).weight'"
    case .invalidRatio(let value):
      return "pruning ratio \(value) is invalid; expected 0 ≤ ratio ≤ 1"
    case .invalidOption(let option, let value, let expected):
      return "\(option) = \(value) is invalid; expected \(expected)"
    case .statistics(let layer, let problem):
      return "layer '\(layer)': \(problem)"
    case .encodingFailed(let what, let reason):
      return "could not encode \(what) as JSON: \(reason)"
    case .decodingFailed(let what, let reason):
      return "could not read \(what) from JSON: \(reason); was it written by this version?"
    }
  }
}
