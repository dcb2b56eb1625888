/// What went wrong, independent of the wording.
public enum DiagnosticKind: String, Hashable, Sendable, CaseIterable {
  /// A character that cannot start any token, e.g. `$`, or a malformed number such as `2x`.
  case unexpectedCharacter
  /// A token in a place where the grammar does not allow it, e.g. `x = ,`.
  case unexpectedToken
  /// A text literal whose closing `"` never comes.
  case unterminatedText
  /// A `[` or `(` that is never closed, a closer without an opener, or a mismatched pair.
  case unbalancedBrackets
  /// A value of the wrong type for a parameter.
  case wrongType
  /// A command name that no signature has.
  case unknownCommand
  /// A bare word that is neither a bound variable nor an accepted symbol.
  case unknownName
  /// A required parameter that was not given, or a preposition without its value.
  case missingArgument
  /// A `name=value` whose name is not a parameter of the command.
  case unknownArgument
  /// More positional values than the command has positional parameters.
  case tooManyPositionalArguments
  /// The same parameter given twice.
  case duplicateArgument
  /// A number outside the parameter's range, or a text outside its accepted choices.
  case valueOutOfRange
  /// A fractional number where a whole number is required.
  case integerExpected
  /// Input beyond one of ``InputLimits`` (a line, a name or nesting too long, a number too
  /// large to represent), or too many errors on one line.
  case limitExceeded
}

/// An error found before anything runs: its kind, a message a user can act on, and where it is.
///
/// Render it with ``DiagnosticRenderer`` to get the line, column and caret.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
  /// What went wrong.
  public var kind: DiagnosticKind
  /// One sentence naming the offending value and what was expected.
  public var message: String
  /// The span the caret marks.
  public var range: SourceRange
  /// An optional extra hint, such as the command's usage example.
  public internal(set) var help: String?

  /// Creates a diagnostic.
  public init(_ kind: DiagnosticKind, _ message: String, at range: SourceRange, help: String? = nil)
  {
    self.kind = kind
    self.message = message
    self.range = range
    self.help = help
  }

  /// `line:column: error: message`.
  public var description: String { "\(range.line):\(range.column): error: \(message)" }
}
