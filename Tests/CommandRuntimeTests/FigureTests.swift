import CommandRuntime
import Foundation
import Testing

@Suite("Figures and content hashes")
struct FigureTests {
  private func json(_ figures: Figures) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(figures), as: UTF8.self)
  }

  @Test("figures encode as an array of {name, kind} objects and decode back")
  func roundTrip() throws {
    let figures = Figures([
      ("accuracy", .float(0.5)), ("test.count", .count(10000)), ("name", .text("l1")),
      ("lowest.conv1", .indices([3, 7])), ("shape", .shape([1, 28, 28])), ("h", .hash("ab")),
      ("loss", .float(.nan)),
    ])
    let text = try json(figures)
    #expect(
      text
        == #"[{"float":0.5,"name":"accuracy"},{"count":10000,"name":"test.count"},"#
        + #"{"name":"name","text":"l1"},{"indices":[3,7],"name":"lowest.conv1"},"#
        + #"{"name":"shape","shape":[1,28,28]},{"hash":"ab","name":"h"},"#
        + #"{"float":"nan","name":"loss"}]"#)
    let decoded = try JSONDecoder().decode(Figures.self, from: Data(text.utf8))
    #expect(decoded.names == figures.names)
    #expect(decoded["test.count"] == .count(10000))
    #expect(decoded["lowest.conv1"] == .indices([3, 7]))
    guard case .float(let loss)? = decoded["loss"] else {
      Issue.record("loss is not a float")
      return
    }
    #expect(loss.isNaN)
  }

  @Test("a figure object with two kinds is refused")
  func refusesAmbiguousFigure() {
    let text = #"[{"name":"x","count":1,"float":2}]"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Figures.self, from: Data(text.utf8))
    }
  }

  @Test("appending a name again replaces it in place")
  func replaceInPlace() {
    var figures = Figures([("a", .count(1)), ("b", .count(2))])
    figures.append("a", .count(3))
    #expect(figures.names == ["a", "b"])
    #expect(figures["a"] == .count(3))
  }

  @Test("floats match within the tolerance, other kinds exactly")
  func matching() {
    #expect(Figure.float(0.9120).matches(.float(0.9121), tolerance: 1e-3))
    #expect(!Figure.float(0.9120).matches(.float(0.9220), tolerance: 1e-3))
    #expect(Figure.float(1000).matches(.float(1000.5), tolerance: 1e-3))  // relative above 1
    #expect(Figure.float(.nan).matches(.float(.nan)))
    #expect(!Figure.count(3).matches(.count(4), tolerance: 1))
    #expect(!Figure.count(3).matches(.float(3), tolerance: 1))
    #expect(Figure.indices([1, 2]).matches(.indices([1, 2])))
  }
}
