/// The `format` field of a session file and of a journal's header: `shears-session/<version>`.
///
/// Version 2 is what this build writes and reads: random draws keyed by what each statement
/// computes, a hash chain through the cells, and `stoppedAt` for interrupted cells. Version 1
/// (draws keyed by cell position) cannot be replayed faithfully and is refused with
/// ``NotebookError/pastFormat(path:found:supported:)``; a higher version was written by a newer
/// Shears and is refused with ``NotebookError/futureFormat(path:found:supported:)``, both
/// before anything else in the file is decoded.
///
/// ```swift
/// SessionFormat.current.description                    // "shears-session/2"
/// SessionFormat(parsing: "shears-session/2")?.version  // 2
/// ```
public struct SessionFormat: Hashable, Sendable, CustomStringConvertible {
  /// The name before the slash.
  public static let name = "shears-session"
  /// The version this build writes and reads.
  public static let current = SessionFormat(version: 2)

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
