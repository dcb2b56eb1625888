/// Errors of planning and surgery, with messages a user can act on.
public enum PruningError: Error, CustomStringConvertible, Equatable {
  /// The graph has a structure the pruning code cannot handle.
  case invalidGraph(String)
  /// A plan or request is not valid for this network.
  case invalidPlan(String)
  /// A pruning ratio or option is out of range.
  case invalidOption(String)

  public var description: String {
    switch self {
    case .invalidGraph(let m): return "cannot prune this graph: \(m)"
    case .invalidPlan(let m): return "invalid pruning plan: \(m)"
    case .invalidOption(let m): return "invalid pruning option: \(m)"
    }
  }
}
