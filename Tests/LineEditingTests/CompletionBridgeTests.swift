import Foundation
import Testing

@testable import LineEditing

@Suite("Completion bridge")
struct CompletionBridgeTests {
  /// The strings of a libedit match array up to its NULL terminator; frees it as libedit does.
  private func strings(_ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> [String]? {
    guard let array else { return nil }
    var result: [String] = []
    var index = 0
    while let entry = array[index] {
      result.append(String(cString: entry))
      free(entry)
      index += 1
    }
    free(array)
    return result
  }

  @Test("one candidate: the text to insert, then the candidate (libedit reads matches[2])")
  func singleCandidate() {
    #expect(strings(makeMatchArray(["score"])) == ["score", "score"])
  }

  @Test("several candidates: common prefix first, then the candidates, duplicates dropped")
  func severalCandidates() {
    #expect(
      strings(makeMatchArray(["prune", "print", "prune"])) == ["pr", "prune", "print"])
    #expect(strings(makeMatchArray(["plan", "score"])) == ["", "plan", "score"])
  }

  @Test("no candidates: NULL, so libedit rings the bell")
  func noCandidates() {
    #expect(makeMatchArray([]) == nil)
  }

  @Test("common prefix never splits a character's UTF-8 bytes")
  func prefixByScalar() {
    // "é" is C3 A9 and "è" is C3 A8: a byte-wise prefix would end inside the character.
    #expect(longestCommonPrefix(["xé1", "xè2"]) == "x")
    #expect(longestCommonPrefix(["même", "mêlée"]) == "mê")
    #expect(longestCommonPrefix(["only"]) == "only")
  }

  @Test("the provider gets the whole line and the cursor in Characters")
  func providerArguments() {
    var seen: [(String, Int)] = []
    let provider: CompletionProvider = { line, cursor in
      seen.append((line, cursor))
      return ["x"]
    }
    _ = strings(completionMatches(line: "ab cd", cursorScalars: 4, provider: provider).matches)
    // "e\u{301}" is two scalars but one Character: libedit's scalar offset 4 after "e\u{301}x "
    // is Character offset 3.
    _ = strings(
      completionMatches(line: "e\u{301}x pr", cursorScalars: 4, provider: provider).matches)
    // Out-of-range offsets are clamped to the line.
    _ = strings(completionMatches(line: "ab", cursorScalars: 99, provider: provider).matches)
    #expect(seen.map(\.0) == ["ab cd", "e\u{301}x pr", "ab"])
    #expect(seen.map(\.1) == [4, 3, 2])
  }

  @Test("the bridge returns the provider's candidates as libedit's match array")
  func bridgeEndToEnd() {
    let words = ["prune", "plan", "print", "score"]
    let provider: CompletionProvider = { line, cursor in
      let word = CompletionWord.prefix(in: line, cursor: cursor)
      return words.filter { $0.hasPrefix(word) }
    }
    #expect(
      strings(completionMatches(line: "m2 = pr", cursorScalars: 7, provider: provider).matches)
        == ["pr", "prune", "print"])
    #expect(
      strings(completionMatches(line: "sc", cursorScalars: 2, provider: provider).matches)
        == ["score", "score"])
    #expect(completionMatches(line: "zz", cursorScalars: 2, provider: provider).matches == nil)
  }

  @Test("the completion word starts after the last break character before the cursor")
  func completionWord() {
    #expect(CompletionWord.prefix(in: "m2 = pr", cursor: 7) == "pr")
    #expect(CompletionWord.prefix(in: "train m epochs=", cursor: 15) == "")
    #expect(CompletionWord.prefix(in: "sim = similarity m by [l1, fp", cursor: 29) == "fp")
    #expect(CompletionWord.prefix(in: ":he", cursor: 3) == ":he")
    #expect(CompletionWord.prefix(in: "load s.json now", cursor: 11) == "s.json")
    #expect(CompletionWord.prefix(in: "prune", cursor: 3) == "pru")
    #expect(CompletionWord.prefix(in: "abc", cursor: -1) == "")
    #expect(CompletionWord.prefix(in: "abc", cursor: 50) == "abc")
  }

  @Test("a lone candidate gets a space after it, unless it expects more at once")
  func appended() {
    #expect(appendedCharacter(after: ["score"]) == " ")
    #expect(appendedCharacter(after: ["epochs="]) == nil)
    #expect(appendedCharacter(after: ["data/"]) == nil)
    #expect(appendedCharacter(after: ["f("]) == nil)
    #expect(appendedCharacter(after: ["epochs=", "epochs="]) == nil)  // one after dropping twins
    #expect(appendedCharacter(after: ["epochs=", "eval"]) == " ")  // several: not inserted whole
    #expect(appendedCharacter(after: []) == " ")
  }

  @Test("rebase adapts a completer's span to libedit's word, in both directions")
  func rebase() {
    // The completer's span "he" is shorter than libedit's word ":he": the ":" is put back.
    #expect(
      CompletionWord.rebase(["help", "hello"], start: 1, in: ":he", cursor: 3) == [
        ":help", ":hello",
      ])
    // Same span: unchanged.
    #expect(CompletionWord.rebase(["score"], start: 5, in: "m2 = sc", cursor: 7) == ["score"])
    // The completer's span "=ep" is longer than libedit's word "ep" ("=" breaks words there):
    // the "=" is taken off, and a candidate without it is dropped.
    #expect(
      CompletionWord.rebase(["=epochs", "xx"], start: 1, in: "a=ep", cursor: 4) == ["epochs"])
    // Cursor inside the line: only the text before it counts.
    #expect(CompletionWord.rebase(["help"], start: 1, in: ":he tail", cursor: 3) == [":help"])
  }
}
