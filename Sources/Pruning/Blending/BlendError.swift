/// Errors of criteria clustering and blending, with messages a user can act on.
public enum BlendError: Error, CustomStringConvertible, Equatable {
  /// Clustering needs at least two criteria.
  case tooFewCriteria(Int)
  /// An option is out of range or inconsistent (the message names it).
  case invalidOption(String)
  /// The clusters were made for another model or another graph.
  case modelMismatch(String)
  /// The data cannot serve the search (too few images, wrong shape).
  case data(String)
  /// The search was stopped (Ctrl-C) before any individual was measured: nothing to bind.
  case stoppedBeforeFirstEvaluation

  public var description: String {
    switch self {
    case .tooFewCriteria(let n):
      return "clustering needs a similarity of at least two criteria, this one has \(n); "
        + "compute one with: similarity m by [l1, fpgm, taylor] on d"
    case .invalidOption(let m): return "invalid blend option: \(m)"
    case .modelMismatch(let m): return "the clusters do not fit this model: \(m)"
    case .data(let m): return "cannot run the blend search: \(m)"
    case .stoppedBeforeFirstEvaluation:
      return "the blend was stopped before it measured any individual; nothing is bound"
    }
  }
}
