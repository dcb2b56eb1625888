import CommandLanguage
import Testing

extension ValueType {
  /// A type a later module might add, to show the type set is open.
  fileprivate static let groups = ValueType("Groups")
}

@Suite("Checker")
struct CheckerTests {
  private func checkOne(_ source: String, in context: StaticCheckContext = Fixtures.context)
    throws -> CheckedStatement
  {
    let result = Checker(context: context).check(source: source)
    try #require(result.diagnostics.isEmpty, "\(result.diagnostics)")
    try #require(result.statements.count == 1)
    return result.statements[0]
  }

  private func call(_ statement: CheckedStatement) throws -> CheckedCall {
    let value: CheckedExpression
    switch statement.kind {
    case .assignment(_, let assigned): value = assigned
    case .expression(let expression): value = expression
    case .meta(_, let typed): value = try #require(typed)
    }
    guard case .call(let call) = value.kind else {
      Issue.record("expected a call, got \(value.kind)")
      throw CancellationError()
    }
    return call
  }

  @Test("defaults are filled in and marked; given values are bound to their parameters")
  func defaultsFilled() throws {
    let statement = try checkOne("train m on d")
    #expect(statement.resultType == .model)
    let call = try call(statement)
    #expect(call.arguments.map(\.parameter.name) == ["model", "data", "epochs", "lr"])
    #expect(call.arguments.map(\.origin) == [.given, .given, .defaulted, .defaulted])
    #expect(call.argument("model")?.value?.kind == .variable("m"))
    #expect(call.argument("data")?.value?.kind == .variable("d"))
    #expect(call.argument("data")?.value?.type == .dataset)
    #expect(call.argument("epochs")?.value?.kind == .number(NumberLiteral(value: 1, text: "1")))
    #expect(call.argument("lr")?.value?.kind == .number(NumberLiteral(value: 0.1, text: "0.1")))
    // A default sits at a zero-length range just after the command name ("train" ends at 6).
    #expect(call.argument("lr")?.value?.range == Fixtures.range(1, 6, 0, 5))
  }

  @Test("a preposition parameter may also be given as name=value")
  func prepositionAsKeyword() throws {
    let call = try call(try checkOne("train m data=d epochs=3"))
    #expect(call.argument("data")?.value?.kind == .variable("d"))
    #expect(call.argument("epochs")?.value?.kind == .number(NumberLiteral(value: 3, text: "3")))
    #expect(call.argument("epochs")?.origin == .given)
  }

  @Test("an optional parameter left out is absent, with no value")
  func optionalAbsent() throws {
    let call = try call(try checkOne("score m by fpgm"))
    #expect(call.argument("data")?.origin == .absent)
    #expect(call.argument("data")?.value == nil)
    #expect(call.argument("criterion")?.value?.kind == .symbol("fpgm"))
    #expect(call.argument("criterion")?.value?.type == .criterion)
  }

  @Test("symbols from the parameter's own set are typed as the parameter")
  func parameterSymbols() throws {
    let call = try call(try checkOne("plan m by l1 alloc=global"))
    #expect(call.argument("alloc")?.value?.kind == .symbol("global"))
    #expect(call.argument("alloc")?.value?.type == .text)
    let defaulted = try self.call(try checkOne("plan m by l1"))
    #expect(defaulted.argument("alloc")?.value?.kind == .symbol("uniform"))
    #expect(defaulted.argument("alloc")?.origin == .defaulted)
  }

  @Test("a variable of a fitting type wins over a symbol of the same name")
  func variableBeatsSymbol() throws {
    var context = Fixtures.context
    context.variables["fpgm"] = .criterion
    let call = try call(try checkOne("score m by fpgm", in: context))
    #expect(call.argument("criterion")?.value?.kind == .variable("fpgm"))
  }

  @Test("a variable of another type does not hide an accepted symbol")
  func symbolWhenVariableDoesNotFit() throws {
    var context = Fixtures.context
    context.variables["l1"] = .model
    let call = try call(try checkOne("score l1 by l1", in: context))
    #expect(call.argument("model")?.value?.kind == .variable("l1"))
    #expect(call.argument("criterion")?.value?.kind == .symbol("l1"))
  }

  @Test("a percentage is a Number of value/100 that remembers it was a percentage")
  func percentLiteral() throws {
    let call = try call(try checkOne("plan m by l1 ratio=25%"))
    let ratio = try #require(call.argument("ratio")?.value)
    #expect(ratio.type == .number)
    #expect(ratio.kind == .number(NumberLiteral(value: 0.25, isPercent: true, text: "25%")))
    let defaulted = try self.call(try checkOne("plan m by l1"))
    #expect(
      defaulted.argument("ratio")?.value?.kind
        == .number(NumberLiteral(value: 0.5, isPercent: true, text: "50%")))
  }

  @Test("a list of symbols is typed by the parameter")
  func listOfSymbols() throws {
    let call = try call(try checkOne("similarity m by [l1, l2, fpgm] on d"))
    let criteria = try #require(call.argument("criteria")?.value)
    #expect(criteria.type == .list(of: .criterion))
    guard case .list(let items) = criteria.kind else {
      Issue.record("expected a list")
      return
    }
    #expect(items.map(\.kind) == [.symbol("l1"), .symbol("l2"), .symbol("fpgm")])
    #expect(items.allSatisfy { $0.type == .criterion })
  }

  @Test("types thread through a script, statement by statement")
  func scriptThreading() throws {
    let source = """
      d = data fashion-mnist
      m = model resnet20 classes=10 channels=1
      m = train m on d epochs=2 lr=0.1
      p = plan m by fpgm ratio=50% alloc=global
      m2 = prune m with p
      sim = similarity m2 by [l1, l2, fpgm] on d
      explain fpgm
      :type sim
      """
    let result = Checker(context: Fixtures.empty).check(source: source)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(
      result.statements.map(\.resultType) == [
        .dataset, .model, .model, .plan, .model, .similarity, .nothing, .nothing,
      ])
    #expect(
      result.variables == [
        "d": .dataset, "m": .model, "p": .plan, "m2": .model, "sim": .similarity,
      ])
    guard case .meta(let meta, let typed) = result.statements.last?.kind else {
      Issue.record("expected :type")
      return
    }
    #expect(meta.name == "type")
    #expect(typed?.type == .similarity)
    #expect(typed?.kind == .variable("sim"))
  }

  @Test("a variable is unknown before its assignment")
  func useBeforeAssignment() {
    let diagnostics = Fixtures.diagnostics("prune m2 with p\nm2 = prune m with p")
    #expect(diagnostics.map(\.message) == ["unknown name 'm2'; did you mean 'm'?"])
  }

  @Test("a lone command name is a call with no arguments; a lone symbol has its own type")
  func loneWords() throws {
    let diagnostics = Fixtures.diagnostics("explain")
    #expect(diagnostics.map(\.message) == ["explain is missing topic: a Text"])
    let list = try checkOne("cs = [l1, fpgm]")
    #expect(list.resultType == .list(of: .criterion))
    let symbol = try checkOne(":type fpgm")
    guard case .meta(_, let typed) = symbol.kind else {
      Issue.record("expected a meta command")
      return
    }
    #expect(typed?.kind == .symbol("fpgm"))
    #expect(typed?.type == .criterion)
  }

  @Test("a list variable can be passed where a list is expected")
  func listVariable() throws {
    let result = Checker(context: Fixtures.context).check(
      source: "cs = [l1, fpgm]\nsimilarity m by cs")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.statements.last?.resultType == .similarity)
  }

  @Test("a nested call's result is checked against the parameter")
  func nestedCall() throws {
    let statement = try checkOne("m2 = prune m with (plan m by l1 ratio=30%)")
    let call = try call(statement)
    let plan = try #require(call.argument("plan")?.value)
    #expect(plan.type == .plan)
    guard case .call(let inner) = plan.kind else {
      Issue.record("expected a nested call")
      return
    }
    #expect(inner.signature.name == "plan")
    #expect(
      inner.argument("ratio")?.value?.kind
        == .number(NumberLiteral(value: 0.3, isPercent: true, text: "30%")))
  }

  @Test("text for a symbol parameter: allowed when the parameter allows other text")
  func textForSymbolParameter() throws {
    let path = try call(try checkOne("data \"/data/cifar-10\""))
    #expect(path.argument("name")?.value?.kind == .text("/data/cifar-10"))
    let quoted = try call(try checkOne("model \"resnet20\""))
    #expect(quoted.argument("arch")?.value?.kind == .text("resnet20"))
    #expect(
      Fixtures.diagnostics("model \"resnet21\"").map(\.message) == [
        "arch must be one of lenet5, vgg-small, vgg16, resnet20, resnet32, resnet56; "
          + "got \"resnet21\""
      ])
  }

  @Test("a statement can be checked on its own against the context's variables")
  func singleStatement() throws {
    let parsed = Parser.parse("train m on d")
    let result = Checker(context: Fixtures.context).check(parsed.statements[0])
    #expect(result.diagnostics.isEmpty)
    #expect(result.checked?.resultType == .model)
    let failing = Checker(context: Fixtures.empty).check(parsed.statements[0])
    #expect(failing.checked == nil)
    #expect(failing.diagnostics.map(\.kind) == [.unknownName, .unknownName])
  }

  @Test("types added by other modules work like the built-in ones")
  func extensibleTypes() throws {
    let groups = CommandSignature(
      name: "groups", parameters: [ParameterSpec("model", .model)], result: .groups)
    let show = CommandSignature(
      name: "show", parameters: [ParameterSpec("value", .any)], result: .nothing)
    let context = StaticCheckContext(
      signatures: Fixtures.signatures + [groups, show], variables: ["m": .model])
    let result = Checker(context: context).check(source: "g = groups m\nshow g\nprune g with g")
    #expect(result.variables["g"] == .groups)
    #expect(
      result.diagnostics.map(\.message) == [
        "prune expects a Model here, but g is a Groups",
        "prune expects a Plan after 'with', but g is a Groups",
      ])
    #expect(ValueType.list(of: .groups).description == "List of Groups")
    #expect(ValueType.list(of: .groups) != ValueType.list(of: .model))
  }

  @Test("list types accept lists of what their element accepts, and the empty list")
  func listAcceptance() {
    #expect(ValueType.list(of: .criterion).accepts(.list(of: .criterion)))
    #expect(ValueType.list(of: .criterion).accepts(.list(of: .nothing)))
    #expect(!ValueType.list(of: .criterion).accepts(.list(of: .model)))
    #expect(!ValueType.list(of: .criterion).accepts(.criterion))
    #expect(ValueType.any.accepts(.list(of: .model)))
    #expect(ValueType.list(of: .any).accepts(.list(of: .model)))
  }

  @Test("signature problems: duplicate names and prepositions, mistyped defaults")
  func signatureProblems() {
    let bad = CommandSignature(
      name: "bad",
      parameters: [
        ParameterSpec("a", .model),
        ParameterSpec("a", .dataset, .preposition("on")),
        ParameterSpec("b", .dataset, .preposition("on")),
        ParameterSpec("n", .number, .keyword, default: .value(.text("x"))),
      ], result: .nothing)
    #expect(
      bad.problems == [
        "bad: parameter 'a' is declared twice",
        "bad: preposition 'on' is used by two parameters",
        "bad: default \"x\" of 'n' is not a Number",
      ])
    #expect(Fixtures.signatures.flatMap(\.problems).isEmpty)
  }

  @Test("edit distance counts a swap of neighbours as one edit")
  func editDistance() {
    #expect(Suggestion.distance("fpmg", "fpgm") == 1)
    #expect(Suggestion.distance("kitten", "sitting") == 3)
    #expect(Suggestion.distance("", "abc") == 3)
    #expect(Suggestion.closest(to: "x", among: ["m", "d"]) == nil)
    #expect(Suggestion.closest(to: "FPGM", among: ["fpgm", "l1"]) == "fpgm")
  }

  @Test("numeric ranges: containment and wording")
  func numericRanges() {
    #expect(NumericRange.halfOpen(0, 1).contains(0))
    #expect(!NumericRange.halfOpen(0, 1).contains(1))
    #expect(!NumericRange.greaterThan(0).contains(0))
    #expect(NumericRange.closed(1, 4).contains(4))
    #expect(!NumericRange.closed(1, 4).contains(.nan))
    #expect(NumericRange.halfOpen(0, 1).description == "in [0, 1)")
    #expect(NumericRange.open(0, 2.5).description == "in (0, 2.5)")
    #expect(NumericRange.atMost(5).description == "at most 5")
    #expect(NumericRange.halfOpen(0, 1).description(inPercent: true) == "in [0%, 100%)")
  }
}
