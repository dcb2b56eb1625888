/// Errors of the network layer, with messages a user can act on.
public enum NeuralNetError: Error, CustomStringConvertible, Equatable {
  /// The graph is malformed (unknown input, cycle, duplicate name, shape that does not fit).
  case invalidGraph(String)
  /// A parameter is missing or has the wrong shape.
  case parameter(path: String, problem: String)
  /// An unknown model name or a bad model option.
  case unknownModel(name: String, known: [String])
  /// A model option outside what the architecture supports.
  case invalidOption(String)
  /// Training diverged: the loss became NaN or infinite. Weights are as before that step.
  case divergence(epoch: Int, batch: Int, loss: Double)
  /// Input data does not fit the network.
  case dataMismatch(String)
  /// A checkpoint could not be read or written.
  case checkpoint(path: String, problem: String)

  public var description: String {
    switch self {
    case .invalidGraph(let m): return "invalid network graph: \(m)"
    case .parameter(let path, let problem): return "parameter \(path): \(problem)"
    case .unknownModel(let name, let known):
      return "unknown model '\(name)'; known models: \(known.joined(separator: ", "))"
    case .invalidOption(let m): return "invalid model option: \(m)"
    case .divergence(let epoch, let batch, let loss):
      return
        "training diverged at epoch \(epoch), batch \(batch) (loss \(loss)); the weights are those "
        + "before that step — lower the learning rate and train again"
    case .dataMismatch(let m): return "data does not fit the network: \(m)"
    case .checkpoint(let path, let problem): return "checkpoint \(path): \(problem)"
    }
  }
}
