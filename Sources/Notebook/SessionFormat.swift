/// The `format` field of a session file and of a journal's header: `shears-session/<version>`.
///
/// Version 3 is what this build writes: random draws keyed by what each statement computes, a
/// hash chain through the cells, `stoppedAt` for interrupted cells, and the convolution
/// algorithm in the options. Version 2 is the same without the algorithm (its sessions ran
/// direct convolutions) and is read and replayed as such. Version 1 (draws keyed by cell
/// position) cannot be replayed faithfully and is refused with
/// ``NotebookError/pastFormat(path:found:supported:)``; a higher version was written by a newer
/// Shears and is refused with ``NotebookError/futureFormat(path:found:supported:)``, both
/// before anything else in the file is decoded.
///
/// ```swift
/// SessionFormat.current.description                    // "shears-session/3"
/// SessionFormat(parsing: "shears-session/3")?.version  // 3
/// ```
public struct SessionFormat: Hashable, Sendable, CustomStringConvertible {
  /// The name before the slash.
  public static let name = "shears-session"
  /// The version this build writes.
  public static let current = SessionFormat(version: 3)
  /// The oldest version this build replays faithfully.
  public static let oldestReadable = SessionFormat(version: 2)

  /// The format version.
  public internal(set) var version: Int

  /// A format of `version`.
  public init(version: Int) {
    self.version = version
  }

  /// Parses `shears-session/N`; nil for any other text.
  public init?(parsing text: String) {
    let prefix = Self.name + "/"
    guard text.hasPrefix(prefix), let version = Int(text.dropFirst(prefix.count)), version >= 0
    else { return nil }
    self.version = version
  }

  /// `shears-session/N`.
  public var description: String { "\(Self.name)/\(version)" }
}
