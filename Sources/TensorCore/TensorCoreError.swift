/// Errors raised by the tensor engine, with messages a user can act on.
public enum TensorCoreError: Error, CustomStringConvertible, Equatable {
  /// A oneDNN call failed; `call` names it and `status` is oneDNN's status code.
  case dnnl(call: String, status: Int)
  /// Two shapes that must agree do not.
  case shapeMismatch(String)
  /// An argument is outside what the kernel supports.
  case invalidArgument(String)
  /// Memory for a tensor could not be allocated.
  case allocationFailed(bytes: Int)

  public var description: String {
    switch self {
    case .dnnl(let call, let status):
      let reason: String
      switch status {
      case 1: reason = "out of memory"
      case 2: reason = "invalid arguments"
      case 3: reason = "unimplemented for these shapes/layouts"
      default: reason = "status \(status)"
      }
      return "oneDNN \(call) failed: \(reason)"
    case .shapeMismatch(let message): return "shape mismatch: \(message)"
    case .invalidArgument(let message): return "invalid argument: \(message)"
    case .allocationFailed(let bytes): return "could not allocate \(bytes) bytes for a tensor"
    }
  }
}
