/// Completion candidates for the word under the cursor, for the shell's Tab key.
public struct Completion: Hashable, Sendable {
  /// The partial word before the cursor that the candidates replace (may be empty).
  public internal(set) var prefix: String
  /// The `Character` offset in the input where `prefix` starts.
  public internal(set) var start: Int
  /// Full replacements for `prefix`, sorted and without duplicates; keyword parameters end
  /// with `=` (e.g. `epochs=`).
  public internal(set) var candidates: [String]

  /// Creates a completion.
  public init(prefix: String, start: Int, candidates: [String]) {
    self.prefix = prefix
    self.start = start
    self.candidates = candidates
  }
}

/// Finds what may come at the cursor: command names at the start of a statement; after a
/// command, its values for the next positional parameter, its unused prepositions and its
/// unused `keyword=` names; after a preposition or `name=`, the bound variables of a fitting
/// type and the symbols the parameter accepts; in a list, what its elements accept; after `:`,
/// the meta command names, and command names after `:help`.
public enum Completer {
  private enum FrameKind {
    case top
    case paren
    case list
  }

  private struct Frame {
    var kind: FrameKind
    var tokens: [Token] = []
  }

  /// The expectation at the end of a command's argument tokens.
  private enum Expectation {
    /// The value of this parameter.
    case value(ParameterSpec)
    /// A fresh argument: maybe the next positional value, or a preposition or keyword.
    case fresh(next: ParameterSpec?, unused: [ParameterSpec])
    /// Nothing known.
    case none
  }

  /// The candidates for the word ending at `cursor` (a `Character` offset; default: the end).
  ///
  /// ```swift
  /// Completer.complete("train m o", context: context).candidates  // ["on"]
  /// ```
  public static func complete(_ input: String, cursor: Int? = nil, context: any CheckContext)
    -> Completion
  {
    let characters = Array(input)
    let end = min(max(cursor ?? characters.count, 0), characters.count)
    var start = end
    while start > 0, Lexer.isWordBody(characters[start - 1]) || "-.".contains(characters[start - 1])
    {
      start -= 1
    }
    let prefix = String(characters[start..<end])
    let none = Completion(prefix: prefix, start: start, candidates: [])
    if let first = prefix.first, !Lexer.isWordStart(first) { return none }
    let before = String(characters[..<start])
    let lexed = Lexer.tokenize(before)
    if lexed.endsInsideText { return none }

    // A meta command is a whole line that starts a statement.
    let lineStart = before.lastIndex(where: \.isNewline).map { before.index(after: $0) }
    let line = String(before[(lineStart ?? before.startIndex)...])
    let earlier = Lexer.tokenize(String(before[..<(lineStart ?? before.startIndex)]))
    let trimmed = line.drop { $0 == " " || $0 == "\t" }
    if trimmed.first == ":" && earlier.openBrackets == 0 && !earlier.endsInsideText {
      let names =
        trimmed == ":" ? context.metaCommandNames : metaCandidates(line: line, context: context)
      return Completion(prefix: prefix, start: start, candidates: filter(names, prefix))
    }
    let tokens = Array(lexed.tokens.dropLast())
    let statement = Array(tokens.split(whereSeparator: { $0.kind == .newline }).last ?? [])
    let current = tokens.last?.kind == .newline ? [] : statement
    let candidates = candidates(after: current, context: context)
    return Completion(prefix: prefix, start: start, candidates: filter(candidates, prefix))
  }

  private static func filter(_ candidates: [String], _ prefix: String) -> [String] {
    Array(Set(candidates.filter { $0.hasPrefix(prefix) })).sorted()
  }

  private static func metaCandidates(line: String, context: any CheckContext) -> [String] {
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    guard let first = words.first else { return [] }
    switch first {
    case ":help": return context.commandNames
    case ":type": return context.commandNames + context.variableNames
    default: return []
    }
  }

  private static func candidates(after statement: [Token], context: any CheckContext)
    -> [String]
  {
    var frames = [Frame(kind: .top)]
    for token in statement {
      switch token.kind {
      case .leftBracket, .leftParen:
        frames[frames.count - 1].tokens.append(token)
        frames.append(Frame(kind: token.kind == .leftBracket ? .list : .paren))
      case .rightBracket, .rightParen:
        if frames.count > 1 { frames.removeLast() }
      default:
        frames[frames.count - 1].tokens.append(token)
      }
    }
    let frame = frames[frames.count - 1]
    if frame.kind == .list {
      // The list's own elements so far do not matter; what the list is for does.
      let parent = frames[frames.count - 2]
      guard case .value(let parameter) = expectation(in: Array(parent.tokens.dropLast()), context)
      else { return [] }
      return values(for: parameter, type: parameter.type.element ?? .any, context: context)
    }
    switch expectation(in: frame.tokens, context) {
    case .value(let parameter):
      return values(for: parameter, type: parameter.type, context: context)
    case .fresh(let next, let unused):
      var result = next.map { values(for: $0, type: $0.type, context: context) } ?? []
      for parameter in unused {
        if let word = parameter.preposition { result.append(word) }
        result.append(parameter.name + "=")
      }
      return result
    case .none:
      var tokens = frame.tokens
      if frame.kind == .top, tokens.count >= 2, case .word = tokens[0].kind,
        tokens[1].kind == .equals
      {
        tokens.removeFirst(2)
      }
      return tokens.isEmpty ? context.commandNames + context.variableNames : []
    }
  }

  /// Walks a call's tokens (`NAME args...`) to find what the next token should be.
  private static func expectation(in frameTokens: [Token], _ context: any CheckContext)
    -> Expectation
  {
    var tokens = frameTokens
    if tokens.count >= 2, case .word = tokens[0].kind, tokens[1].kind == .equals {
      tokens.removeFirst(2)
    }
    guard let head = tokens.first, case .word(let name) = head.kind,
      let signature = context.signature(of: name)
    else { return .none }
    var used: Set<String> = []
    let positionals = signature.positionalParameters
    var positionalCount = 0
    var index = 1
    while index < tokens.count {
      let token = tokens[index]
      if case .word(let word) = token.kind, index + 1 < tokens.count,
        tokens[index + 1].kind == .equals
      {
        guard index + 2 < tokens.count else {
          return signature.parameter(named: word).map(Expectation.value) ?? .none
        }
        used.insert(word)
        index += 3
        continue
      }
      if case .word(let word) = token.kind, let parameter = signature.parameter(preposition: word) {
        guard index + 1 < tokens.count else { return .value(parameter) }
        used.insert(parameter.name)
        index += 2
        continue
      }
      if positionalCount < positionals.count { used.insert(positionals[positionalCount].name) }
      positionalCount += 1
      index += 1
    }
    let next = positionalCount < positionals.count ? positionals[positionalCount] : nil
    let unused = signature.parameters.filter { !$0.isPositional && !used.contains($0.name) }
    return .fresh(next: next, unused: unused)
  }

  /// Bound variables of a fitting type and accepted symbols for a value of `type`.
  private static func values(
    for parameter: ParameterSpec, type: ValueType, context: any CheckContext
  ) -> [String] {
    var result = context.variableNames.filter { name in
      context.type(ofVariable: name).map { type.accepts($0) } ?? false
    }
    if !type.isList {
      result += parameter.symbols + context.symbols(accepting: type)
      if type == .bool { result += ["true", "false"] }
    }
    return result
  }
}
