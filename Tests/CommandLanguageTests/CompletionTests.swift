import CommandLanguage
import Testing

@Suite("Completion")
struct CompletionTests {
  private func candidates(_ input: String, cursor: Int? = nil) -> [String] {
    Completer.complete(input, cursor: cursor, context: Fixtures.context).candidates
  }

  @Test("at the start of a statement: command names and variables")
  func start() {
    #expect(
      candidates("")
        == [
          "d", "data", "explain", "m", "model", "p", "plan", "prune", "score", "similarity",
          "train",
        ])
    #expect(candidates("s") == ["score", "similarity"])
    #expect(candidates("x = tr") == ["train"])
    #expect(candidates("m = model resnet20\npr") == ["prune"])
  }

  @Test("after the positional arguments: unused prepositions and keyword names")
  func prepositionsAndKeywords() {
    #expect(candidates("train m ") == ["data=", "epochs=", "lr=", "on"])
    #expect(candidates("train m on d epochs=2 ") == ["lr="])
    #expect(candidates("train m e") == ["epochs="])
  }

  @Test("a positional slot offers variables of a fitting type and the parameter's symbols")
  func positional() {
    #expect(candidates("prune ") == ["m", "plan=", "with"])
    #expect(candidates("model res") == ["resnet20", "resnet32", "resnet56"])
  }

  @Test("after a preposition: fitting variables and symbols of the expected type")
  func afterPreposition() {
    #expect(candidates("train m on ") == ["d"])
    #expect(candidates("score m by f") == ["fermat", "fpgm"])
    #expect(candidates("prune m with ") == ["p"])
  }

  @Test("after name=: the parameter's accepted values")
  func afterKeyword() {
    #expect(candidates("plan m by l1 alloc=") == ["balanced", "clr", "global", "uniform"])
    #expect(candidates("plan m by l1 alloc=g") == ["global"])
  }

  @Test("inside a list: what the list's elements accept")
  func insideList() {
    #expect(candidates("similarity m by [l1, f") == ["fermat", "fpgm"])
    #expect(candidates("similarity m by [\n  l1,\n  t") == ["taylor"])
  }

  @Test("inside parentheses: a nested command")
  func insideParens() {
    #expect(candidates("prune (sc") == ["score"])
    #expect(candidates("prune (plan m ") == ["alloc=", "by", "criterion=", "ratio="])
  }

  @Test("meta commands: names after ':', command names after :help")
  func meta() {
    #expect(candidates(":") == ["help", "load", "quit", "save", "type", "vars"])
    #expect(candidates(":he") == ["help"])
    #expect(candidates(":help pr") == ["prune"])
    #expect(candidates(":save ") == [])
  }

  @Test("the cursor may sit inside the line; the prefix and its start are reported")
  func cursor() {
    let completion = Completer.complete("score m by fp on d", cursor: 13, context: Fixtures.context)
    #expect(completion.prefix == "fp")
    #expect(completion.start == 11)
    #expect(completion.candidates == ["fpgm"])
  }

  @Test("no candidates inside text, after a number, or for an unknown command")
  func nothing() {
    #expect(candidates("explain \"fp") == [])
    #expect(candidates("train m on d epochs=2") == [])
    #expect(candidates("frob ") == [])
  }
}
