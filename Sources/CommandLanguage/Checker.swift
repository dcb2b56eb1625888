/// Type-checks statements against command signatures before anything runs.
///
/// It resolves each call to its signature, binds every argument to its parameter (pairing
/// prepositions with the value after them), fills in defaults, decides for each bare word
/// whether it is a variable or a symbol, and computes each statement's type. A whole script is
/// checked statement by statement, so an assignment's type is visible to the statements after it.
///
/// Word resolution: a bound variable whose type fits wins; otherwise a symbol the parameter
/// accepts (its own symbols plus the context's symbols for the expected type); otherwise a
/// variable of the wrong type is a type error and anything else is an unknown name. A word that
/// equals a preposition of the command being called is always that preposition. A lone word
/// as a whole statement (or in parentheses) is a variable, else a command with no arguments,
/// else a symbol the context knows.
///
/// ```swift
/// let result = Checker(context: context).check(source: "m2 = prune m with p")
/// // result.statements[0].resultType == .model
/// ```
public struct Checker {
  private let context: any CheckContext

  /// Creates a checker reading signatures, variables and symbols from `context`.
  public init(context: any CheckContext) {
    self.context = context
  }

  /// The outcome of checking one statement.
  public struct StatementCheck: Sendable {
    /// The checked statement, or nil when there were errors.
    public internal(set) var checked: CheckedStatement?
    /// The errors found; empty when `checked` is not nil.
    public var diagnostics: [Diagnostic]
  }

  /// Checks one statement with the variables the context knows.
  public func check(_ statement: Statement) -> StatementCheck {
    var run = CheckRun(context: context, scope: Scope(base: context))
    let checked = run.statement(statement)
    return StatementCheck(checked: checked, diagnostics: run.diagnostics)
  }

  /// Checks statements in order, threading each assignment's type into the statements after it.
  ///
  /// A failed assignment binds the command's declared result type when the command is known,
  /// and otherwise leaves the variable with an unknown type that later statements accept
  /// without further errors, so one mistake is reported once.
  public func check(script statements: [Statement]) -> ScriptCheck {
    var scope = Scope(base: context)
    var checked: [CheckedStatement] = []
    var diagnostics: [Diagnostic] = []
    for statement in statements {
      var run = CheckRun(context: context, scope: scope)
      let result = run.statement(statement)
      diagnostics += run.diagnostics
      if let result {
        checked.append(result)
        if case .assignment(let name, let value) = result.kind {
          scope.overlay[name] = .some(value.type)
        }
      } else if case .assignment(let name, _, let value) = statement.kind {
        if case .call(let call) = value.kind, let signature = context.signature(of: call.name),
          signature.result != .nothing
        {
          scope.overlay[name] = .some(signature.result)
        } else {
          scope.overlay[name] = .some(nil)
        }
      }
    }
    var variables: [String: ValueType] = [:]
    for name in scope.variableNames {
      if case .known(let type) = scope.lookup(name) { variables[name] = type }
    }
    return ScriptCheck(statements: checked, diagnostics: diagnostics, variables: variables)
  }

  /// Parses and checks a whole script; syntax errors and type errors come back together, in
  /// source order. Statements with syntax errors are skipped.
  public func check(source: String) -> ScriptCheck {
    let parsed = Parser.parseUncapped(source)
    var result = check(script: parsed.statements)
    let all = (parsed.diagnostics + result.diagnostics).sorted {
      $0.range.offset < $1.range.offset
    }
    result.errorCount = all.count
    result.diagnostics = InputLimits.capped(all)
    return result
  }
}

/// The context's variables plus those assigned earlier in the script; nil marks a variable
/// whose type is unknown because its assignment failed.
struct Scope {
  enum Lookup {
    case unbound
    case known(ValueType)
    case unknown
  }

  let base: any CheckContext
  var overlay: [String: ValueType?] = [:]

  func lookup(_ name: String) -> Lookup {
    if let entry = overlay[name] {
      return entry.map(Lookup.known) ?? .unknown
    }
    return base.type(ofVariable: name).map(Lookup.known) ?? .unbound
  }

  var variableNames: [String] {
    Array(Set(base.variableNames).union(overlay.keys)).sorted()
  }
}

/// Where a value goes: which command and parameter, the expected type, the place in words.
struct Slot {
  var command: String?
  var parameter: ParameterSpec?
  var expected: ValueType
  /// "here", "after 'on'", "for epochs", "in the list after 'by'".
  var place: String
  /// Words accepted as symbols of `expected`.
  var symbols: [String]
}

/// The state of checking one statement: diagnostics so far, and whether a variable of unknown
/// type was met (then the statement fails without a further message).
struct CheckRun {
  let context: any CheckContext
  var scope: Scope
  var diagnostics: [Diagnostic] = []
  var sawUnknown = false

  init(context: any CheckContext, scope: Scope) {
    self.context = context
    self.scope = scope
  }

  private mutating func report(
    _ kind: DiagnosticKind, _ message: String, at range: SourceRange, help: String? = nil
  ) {
    diagnostics.append(Diagnostic(kind, message, at: range, help: help))
  }

  // MARK: - Statements

  mutating func statement(_ statement: Statement) -> CheckedStatement? {
    switch statement.kind {
    case .assignment(let name, _, let value):
      guard let checked = expression(value, slot: nil) else { return nil }
      if checked.type == .nothing {
        report(
          .wrongType,
          "\(Self.producer(of: value)) gives no value, so it cannot be assigned to \(name)",
          at: value.range)
        return nil
      }
      return CheckedStatement(
        kind: .assignment(name: name, value: checked), statement: statement,
        resultType: checked.type)
    case .expression(let value):
      guard let checked = expression(value, slot: nil) else { return nil }
      return CheckedStatement(
        kind: .expression(checked), statement: statement, resultType: checked.type)
    case .meta(let meta):
      return metaCommand(meta, statement: statement)
    }
  }

  private static func producer(of expression: Expression) -> String {
    if case .call(let call) = expression.kind { return call.name }
    if case .word(let word) = expression.kind { return word }
    return "this"
  }

  private mutating func metaCommand(_ meta: MetaCommand, statement: Statement)
    -> CheckedStatement?
  {
    let names = context.metaCommandNames
    guard names.contains(meta.name) else {
      let message: String
      if let near = Suggestion.closest(to: meta.name, among: names) {
        message = "unknown meta command ':\(meta.name)'; did you mean ':\(near)'?"
      } else {
        message =
          "unknown meta command ':\(meta.name)'; known: "
          + names.sorted().map { ":" + $0 }.joined(separator: ", ")
      }
      report(.unknownCommand, message, at: meta.nameRange)
      return nil
    }
    guard meta.name == "type" else {
      return CheckedStatement(
        kind: .meta(meta, typed: nil), statement: statement, resultType: .nothing)
    }
    guard let expression = meta.expression else {
      report(.missingArgument, ":type needs an expression, e.g. :type m", at: meta.argumentRange)
      return nil
    }
    guard let typed = self.expression(expression, slot: nil) else { return nil }
    return CheckedStatement(
      kind: .meta(meta, typed: typed), statement: statement, resultType: .nothing)
  }

  // MARK: - Expressions

  private mutating func wrongType(
    _ slot: Slot, _ clause: String, at range: SourceRange,
    help: String? = nil
  ) {
    let who = slot.command ?? "this place"
    report(
      .wrongType, "\(who) expects \(slot.expected.withArticle) \(slot.place), but \(clause)",
      at: range, help: help)
  }

  /// Checks an expression; `slot` is nil at statement level (where a lone word may be a command).
  mutating func expression(_ expression: Expression, slot: Slot?) -> CheckedExpression? {
    let range = expression.range
    switch expression.kind {
    case .number(let number):
      if let slot, !slot.expected.accepts(.number) {
        wrongType(slot, "\(number.text) is a Number", at: range)
        return nil
      }
      guard checkNumber(number, slot: slot, at: range) else { return nil }
      return CheckedExpression(.number(number), type: .number, range: range)
    case .text(let text):
      if let slot, !slot.expected.accepts(.text) {
        wrongType(slot, "\"\(text)\" is a Text", at: range)
        return nil
      }
      if let slot, let parameter = slot.parameter, !slot.symbols.isEmpty,
        !parameter.allowsOtherText, !slot.symbols.contains(text)
      {
        report(
          .valueOutOfRange,
          "\(parameter.name) must be one of \(slot.symbols.joined(separator: ", ")); "
            + "got \"\(text)\"", at: range)
        return nil
      }
      return CheckedExpression(.text(text), type: .text, range: range)
    case .bool(let value):
      if let slot, !slot.expected.accepts(.bool) {
        wrongType(slot, "\(value) is a Bool", at: range)
        return nil
      }
      return CheckedExpression(.bool(value), type: .bool, range: range)
    case .word(let word):
      return resolve(word, at: range, slot: slot)
    case .list(let items):
      return list(items, at: range, slot: slot)
    case .call(let call):
      guard let checked = self.call(call) else { return nil }
      return callResult(checked, at: range, slot: slot)
    }
  }

  private mutating func callResult(_ call: CheckedCall, at range: SourceRange, slot: Slot?)
    -> CheckedExpression?
  {
    let result = call.signature.result
    if let slot {
      if result == .nothing {
        wrongType(slot, "\(call.signature.name) gives no value", at: range)
        return nil
      }
      if !slot.expected.accepts(result) {
        wrongType(slot, "\(call.signature.name) gives \(result.withArticle)", at: range)
        return nil
      }
    }
    return CheckedExpression(.call(call), type: result, range: range)
  }

  private mutating func checkNumber(_ number: NumberLiteral, slot: Slot?, at range: SourceRange)
    -> Bool
  {
    guard let parameter = slot?.parameter else { return true }
    if let (kind, message) = parameter.problem(
      with: number.value, text: number.text, isPercent: number.isPercent)
    {
      report(kind, message, at: range)
      return false
    }
    return true
  }

  private mutating func list(_ items: [Expression], at range: SourceRange, slot: Slot?)
    -> CheckedExpression?
  {
    var elementSlot = Slot(
      command: slot?.command, parameter: slot?.parameter, expected: .any, place: "in the list",
      symbols: [])
    if let slot {
      guard slot.expected.isList || slot.expected == .any else {
        wrongType(slot, "got a list", at: range)
        return nil
      }
      let element = slot.expected.element ?? .any
      elementSlot.expected = element
      elementSlot.place = slot.place == "here" ? "in the list" : "in the list \(slot.place)"
      elementSlot.symbols = symbols(for: slot.parameter, expected: element)
    }
    var checked: [CheckedExpression] = []
    var failed = false
    for item in items {
      if let value = expression(item, slot: elementSlot) {
        checked.append(value)
      } else {
        failed = true
      }
    }
    if failed { return nil }
    let type: ValueType
    if let expected = slot?.expected, expected != .any {
      type = expected
    } else if let first = checked.first {
      type = .list(of: checked.allSatisfy { $0.type == first.type } ? first.type : .any)
    } else {
      type = .list(of: .nothing)
    }
    return CheckedExpression(.list(checked), type: type, range: range)
  }

  /// The symbols a slot accepts: the parameter's own plus the context's for `expected`.
  private func symbols(for parameter: ParameterSpec?, expected: ValueType) -> [String] {
    var result = parameter?.symbols ?? []
    for symbol in context.symbols(accepting: expected) where !result.contains(symbol) {
      result.append(symbol)
    }
    return result
  }

  // MARK: - Words

  private mutating func resolve(_ word: String, at range: SourceRange, slot: Slot?)
    -> CheckedExpression?
  {
    var mismatched: ValueType?
    switch scope.lookup(word) {
    case .unknown:
      sawUnknown = true
      return nil
    case .known(let type):
      if slot.map({ $0.expected.accepts(type) }) ?? true {
        return CheckedExpression(.variable(word), type: type, range: range)
      }
      mismatched = type
    case .unbound:
      break
    }
    guard let slot else {
      if context.signature(of: word) != nil {
        let call = CommandCall(name: word, nameRange: range, arguments: [])
        guard let checked = self.call(call) else { return nil }
        return callResult(checked, at: range, slot: nil)
      }
      if let type = context.type(ofSymbol: word) {
        return CheckedExpression(.symbol(word), type: type, range: range)
      }
      if context.metaCommandNames.contains(word) {
        report(.unknownName, "unknown name '\(word)'; did you mean ':\(word)'?", at: range)
        return nil
      }
      unknownName(word, at: range, candidates: scope.variableNames + context.commandNames)
      return nil
    }
    if slot.symbols.contains(word) {
      let type = slot.expected == .any ? (context.type(ofSymbol: word) ?? .text) : slot.expected
      return CheckedExpression(.symbol(word), type: type, range: range)
    }
    if let mismatched {
      wrongType(slot, "\(word) is \(mismatched.withArticle)", at: range)
      return nil
    }
    if slot.expected == .any, let type = context.type(ofSymbol: word) {
      return CheckedExpression(.symbol(word), type: type, range: range)
    }
    if context.signature(of: word) != nil {
      if range.length > word.count {  // written in parentheses: a call without arguments
        let call = CommandCall(name: word, nameRange: range, arguments: [])
        guard let checked = self.call(call) else { return nil }
        return callResult(checked, at: range, slot: slot)
      }
      report(
        .unknownName,
        "'\(word)' is a command; to use its result here, write it in parentheses: (\(word) ...)",
        at: range)
      return nil
    }
    if let type = context.type(ofSymbol: word) {
      let help = slot.expected == .list(of: type) ? "write [\(word)] for a list of one" : nil
      wrongType(slot, "\(word) is \(type.withArticle)", at: range, help: help)
      return nil
    }
    unknownName(
      word, at: range, candidates: scope.variableNames + slot.symbols, listing: slot.symbols)
    return nil
  }

  private mutating func unknownName(
    _ word: String, at range: SourceRange, candidates: [String], listing: [String] = []
  ) {
    let message: String
    if let near = Suggestion.closest(to: word, among: candidates) {
      message = "unknown name '\(word)'; did you mean '\(near)'?"
    } else if !listing.isEmpty {
      let shown = listing.prefix(8).joined(separator: ", ") + (listing.count > 8 ? ", ..." : "")
      message = "unknown name '\(word)'; expected a variable or one of: \(shown)"
    } else {
      message = "unknown name '\(word)': no variable has this name"
    }
    report(.unknownName, message, at: range)
  }

  // MARK: - Calls

  private static func ordinal(_ n: Int) -> String {
    let suffix: String
    switch (n % 10, n % 100) {
    case (1, let h) where h != 11: suffix = "st"
    case (2, let h) where h != 12: suffix = "nd"
    case (3, let h) where h != 13: suffix = "rd"
    default: suffix = "th"
    }
    return "\(n)\(suffix)"
  }

  private static func place(of parameter: ParameterSpec) -> String {
    switch parameter.kind {
    case .positional: return "here"
    case .preposition(let word): return "after '\(word)'"
    case .keyword: return "for \(parameter.name)"
    }
  }

  private func slot(for parameter: ParameterSpec, in signature: CommandSignature) -> Slot {
    Slot(
      command: signature.name, parameter: parameter, expected: parameter.type,
      place: Self.place(of: parameter),
      symbols: parameter.type.isList ? [] : symbols(for: parameter, expected: parameter.type))
  }

  /// Checks a call; nil (with diagnostics, or after an unknown-typed variable) on failure.
  mutating func call(_ call: CommandCall) -> CheckedCall? {
    guard let signature = context.signature(of: call.name) else {
      unknownCommand(call)
      return nil
    }
    let usage = signature.example.isEmpty ? nil : "usage: \(signature.example)"
    var bound: [String: BoundArgument] = [:]
    var given: Set<String> = []
    var failed = false
    let positionals = signature.positionalParameters
    var nextPositional = 0
    var reportedExcess = false
    var index = 0
    let arguments = call.arguments

    func bind(
      _ parameter: ParameterSpec, _ value: Expression, at range: SourceRange,
      run: inout CheckRun
    ) {
      if given.contains(parameter.name) {
        let shown = parameter.preposition.map { "'\($0)'" } ?? "'\(parameter.name)'"
        run.report(
          .duplicateArgument, "\(signature.name) is given \(shown) twice", at: range, help: usage)
        failed = true
        return
      }
      given.insert(parameter.name)
      if let checked = run.expression(value, slot: run.slot(for: parameter, in: signature)) {
        bound[parameter.name] = BoundArgument(parameter: parameter, value: checked, origin: .given)
      } else {
        failed = true
      }
    }

    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if let label = argument.label {
        guard let parameter = signature.parameter(named: label.name) else {
          let names = signature.parameters.filter { !$0.isPositional }.map(\.name)
          var message = "\(signature.name) has no argument '\(label.name)'"
          if let near = Suggestion.closest(to: label.name, among: names) {
            message += "; did you mean '\(near)'?"
          }
          report(.unknownArgument, message, at: label.range, help: usage)
          failed = true
          continue
        }
        if parameter.isPositional {
          report(
            .unknownArgument,
            "\(signature.name) takes \(parameter.name) as a positional value: "
              + "write the value without '\(parameter.name)='", at: label.range, help: usage)
          failed = true
          given.insert(parameter.name)
          continue
        }
        bind(parameter, argument.value, at: label.range, run: &self)
        continue
      }
      if case .word(let word) = argument.value.kind,
        let parameter = signature.parameter(preposition: word)
      {
        guard index < arguments.count, arguments[index].label == nil else {
          report(
            .missingArgument,
            "\(signature.name) needs \(parameter.type.withArticle) after '\(word)'",
            at: argument.value.range, help: usage)
          failed = true
          given.insert(parameter.name)
          continue
        }
        let value = arguments[index].value
        index += 1
        bind(parameter, value, at: argument.value.range, run: &self)
        continue
      }
      guard nextPositional < positionals.count else {
        failed = true
        // Report one excess value per call. When it looks like a misspelt preposition or a
        // keyword without '=', take the next value as that parameter's, so it is not also
        // reported as missing.
        guard !reportedExcess else { continue }
        reportedExcess = true
        if let meant = tooManyPositional(argument, signature: signature, usage: usage) {
          given.insert(meant.name)
          if index < arguments.count, arguments[index].label == nil { index += 1 }
        }
        continue
      }
      let parameter = positionals[nextPositional]
      nextPositional += 1
      bind(parameter, argument.value, at: argument.value.range, run: &self)
    }

    for parameter in signature.parameters where bound[parameter.name] == nil {
      switch parameter.defaultValue {
      case .required:
        if given.contains(parameter.name) { continue }
        let how: String
        switch parameter.kind {
        case .positional: how = ""
        case .preposition(let word): how = " after '\(word)'"
        case .keyword: how = " given as \(parameter.name)=..."
        }
        report(
          .missingArgument,
          "\(signature.name) is missing \(parameter.name): \(parameter.type.withArticle)\(how)",
          at: call.nameRange, help: usage)
        failed = true
      case .optional:
        bound[parameter.name] = BoundArgument(parameter: parameter, value: nil, origin: .absent)
      case .value(let literal):
        let value = Self.expression(for: literal, type: parameter.type, at: call.nameRange)
        bound[parameter.name] = BoundArgument(
          parameter: parameter, value: value, origin: .defaulted)
      }
    }
    if !failed, !checkConstraints(signature, bound, usage: usage) { failed = true }
    if failed || sawUnknown { return nil }
    return CheckedCall(
      signature: signature, arguments: signature.parameters.compactMap { bound[$0.name] },
      nameRange: call.nameRange)
  }

  /// Reports violated ``ParameterConstraint``s between literals; false if any.
  private mutating func checkConstraints(
    _ signature: CommandSignature, _ bound: [String: BoundArgument], usage: String?
  ) -> Bool {
    func number(_ name: String) -> (value: Double, text: String, argument: BoundArgument)? {
      guard let argument = bound[name], let value = argument.value,
        case .number(let literal) = value.kind
      else { return nil }
      return (literal.value, literal.text, argument)
    }
    var ok = true
    for constraint in signature.constraints {
      switch constraint {
      case .atMost(let a, let b):
        guard let x = number(a), let y = number(b), x.value > y.value else { continue }
        let written = x.argument.origin == .given ? x.argument : y.argument
        let how = { (arg: BoundArgument, text: String) in
          "\(arg.parameter.name)=\(text)" + (arg.origin == .defaulted ? " (the default)" : "")
        }
        report(
          .valueOutOfRange,
          "\(signature.name): \(a) must not exceed \(b), got \(how(x.argument, x.text)) and "
            + "\(how(y.argument, y.text))", at: written.value!.range, help: usage)
        ok = false
      case .onlyWith(let names, let parameter, let word):
        guard let switchArgument = bound[parameter], let value = switchArgument.value,
          case .symbol(let chosen) = value.kind, chosen != word
        else { continue }
        for name in names {
          guard let argument = bound[name], argument.origin == .given,
            let written = argument.value
          else { continue }
          report(
            .valueOutOfRange,
            "\(signature.name): \(name)= has no use with \(parameter)=\(chosen); leave it out "
              + "(it applies with \(parameter)=\(word))", at: written.range, help: usage)
          ok = false
        }
      case .excludes(let a, let b):
        guard let first = bound[a], first.origin == .given, let written = first.value,
          let second = bound[b], second.origin == .given
        else { continue }
        report(
          .valueOutOfRange,
          "\(signature.name): \(a)= and \(b)= cannot be written together; \(a)= sets what "
            + "\(b)= would, leave one out", at: written.range, help: usage)
        ok = false
      }
    }
    return ok
  }

  private mutating func unknownCommand(_ call: CommandCall) {
    if case .known(let type) = scope.lookup(call.name) {
      report(
        .unknownCommand,
        "\(call.name) is a variable (\(type.withArticle)), not a command; "
          + "it cannot take arguments", at: call.nameRange)
      return
    }
    if case .unknown = scope.lookup(call.name) {
      sawUnknown = true
      return
    }
    if let near = Suggestion.closest(to: call.name, among: context.commandNames) {
      report(
        .unknownCommand, "unknown command '\(call.name)'; did you mean '\(near)'?",
        at: call.nameRange)
    } else {
      report(
        .unknownCommand, "unknown command '\(call.name)'; :help lists the commands",
        at: call.nameRange)
    }
  }

  /// Reports an excess positional value; returns the parameter it probably meant.
  private mutating func tooManyPositional(
    _ argument: Argument, signature: CommandSignature, usage: String?
  ) -> ParameterSpec? {
    var meant: ParameterSpec?
    let positionals = signature.positionalParameters
    var message: String
    if positionals.isEmpty {
      message = "too many positional arguments: \(signature.name) takes none"
    } else {
      message =
        "too many positional arguments: \(signature.name) takes \(positionals.count) ("
        + positionals.map(\.name).joined(separator: ", ") + ")"
    }
    if case .word(let word) = argument.value.kind {
      let prepositions = signature.parameters.compactMap(\.preposition)
      let keywords = signature.parameters.filter { !$0.isPositional }.map(\.name)
      if keywords.contains(word) {
        message += "; did you mean '\(word)=...'?"
        meant = signature.parameter(named: word)
      } else if let near = Suggestion.closest(to: word, among: prepositions) {
        message += "; did you mean '\(near)'?"
        meant = signature.parameter(preposition: near)
      }
    }
    report(.tooManyPositionalArguments, message, at: argument.value.range, help: usage)
    return meant
  }

  /// A default value as a checked expression at a zero-length range after the command name.
  static func expression(for literal: Literal, type: ValueType, at nameRange: SourceRange)
    -> CheckedExpression
  {
    let range = nameRange.end
    switch literal {
    case .number(let value, let isPercent):
      let number = NumberLiteral(value: value, isPercent: isPercent, text: literal.description)
      return CheckedExpression(.number(number), type: .number, range: range)
    case .text(let text):
      return CheckedExpression(.text(text), type: .text, range: range)
    case .bool(let value):
      return CheckedExpression(.bool(value), type: .bool, range: range)
    case .symbol(let name):
      return CheckedExpression(.symbol(name), type: type, range: range)
    case .list(let items):
      let element = type.element ?? .any
      let values = items.map { expression(for: $0, type: element, at: nameRange) }
      return CheckedExpression(.list(values), type: type, range: range)
    }
  }
}
