/// Why a command failed while running (type errors are caught before, by the checker).
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The user stopped the command (Ctrl-C); nothing was bound.
  case interrupted(command: String)
  /// An argument's value is unusable for a reason the checker cannot see.
  case invalidArgument(command: String, name: String, problem: String)
  /// A value (from a variable) outside what the parameter accepts; `message` is the checker's.
  case invalidValue(command: String, message: String)
  /// The command would need more memory than is available (`needed` and `available` in bytes).
  case tooLarge(command: String, what: String, needed: Int, available: Int)
  /// The engine failed; `message` is its description.
  case engine(command: String, message: String)
  /// A stored value could not be restored.
  case unarchive(type: String, problem: String)
  /// A command does not support a value of this kind.
  case unsupported(command: String, problem: String)
  /// A command was run with arguments the checker should have refused (a bug).
  case internalInconsistency(String)

  /// A message naming the command, the value and what to do.
  public var description: String {
    switch self {
    case .interrupted(let command):
      return "\(command) was interrupted; nothing was bound, earlier values are unchanged"
    case .invalidArgument(let command, let name, let problem):
      return "\(command): \(name): \(problem)"
    case .invalidValue(let command, let message):
      return "\(command): \(message)"
    case .tooLarge(let command, let what, let needed, let available):
      return "\(command): \(what) would need about \(Self.bytes(needed)), more than the "
        + "\(Self.bytes(available)) this machine has free; make it smaller"
    case .engine(let command, let message):
      return "\(command): \(message)"
    case .unarchive(let type, let problem):
      return "cannot restore a stored \(type): \(problem)"
    case .unsupported(let command, let problem):
      return "\(command): \(problem)"
    case .internalInconsistency(let message):
      return "internal error (please report): \(message)"
    }
  }

  /// `1.5 GiB`, `320 MiB`, `12 KiB`.
  static func bytes(_ count: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var value = Double(count)
    var unit = 0
    while value >= 1024 && unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(count) bytes" }
    let rounded = (value * 10).rounded() / 10
    return "\(rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)) \(units[unit])"
  }
}
