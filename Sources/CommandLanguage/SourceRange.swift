/// A span of source text, located by 1-based line and column counted in `Character`s.
///
/// `offset` is the 0-based `Character` index of the first character in the whole source, and
/// `length` counts `Character`s (a line break counts as one), so a span may cross lines; the
/// renderer clips a multi-line span to the end of its first line.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
  /// 1-based line of the first character.
  public var line: Int
  /// 1-based column of the first character, counted in `Character`s.
  public internal(set) var column: Int
  /// Number of `Character`s covered (0 for a point such as the end of input).
  public internal(set) var length: Int
  /// 0-based `Character` index of the first character in the whole source.
  public internal(set) var offset: Int

  /// Creates a range from its start position, length and offset.
  public init(line: Int, column: Int, length: Int, offset: Int) {
    self.line = line
    self.column = column
    self.length = length
    self.offset = offset
  }

  /// The offset just past the last character.
  var endOffset: Int { offset + length }

  /// `line:column`, as shown to users.
  public var description: String { "\(line):\(column)" }

  /// The smallest range that starts where `self` starts and ends where `other` ends.
  func extended(through other: SourceRange) -> SourceRange {
    SourceRange(
      line: line, column: column, length: max(length, other.endOffset - offset), offset: offset)
  }

  /// A zero-length range at the end of `self` on the same line (for "missing value" errors).
  public var end: SourceRange {
    SourceRange(line: line, column: column + length, length: 0, offset: endOffset)
  }
}
