import Foundation
import LineEditing
import Testing

@Suite("Plain line reader")
struct PlainLineReaderTests {
  /// Writes `chunks` into a pipe (one write each), closes it, and reads every result.
  private func readAll(_ chunks: [[UInt8]]) throws -> [LineReadResult] {
    var descriptors: [Int32] = [0, 0]
    try #require(pipe(&descriptors) == 0)
    defer { close(descriptors[0]) }
    let writeEnd = descriptors[1]
    let writer = Thread {
      for chunk in chunks {
        _ = chunk.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
        usleep(2000)
      }
      close(writeEnd)
    }
    writer.start()
    var reader = PlainLineReader(fileDescriptor: descriptors[0])
    var results: [LineReadResult] = []
    while true {
      let result = reader.readLine(prompt: "never shown> ")
      results.append(result)
      if result == .endOfInput || results.count > 100 {
        return results
      }
    }
  }

  @Test("lines without their endings, blank lines kept, then end of input")
  func splitsLines() throws {
    let results = try readAll([Array("first\nsecond\r\n\nlast without newline".utf8)])
    #expect(
      results == [
        .line("first"), .line("second"), .line(""), .line("last without newline"), .endOfInput,
      ])
  }

  @Test("a line split across writes, and a UTF-8 character split across writes")
  func splitAcrossWrites() throws {
    // "héllo\n": é is 0xC3 0xA9; the pipe delivers it in two pieces.
    let results = try readAll([
      Array("par".utf8), Array("tial\nh".utf8), [0xC3], [0xA9] + Array("llo\n".utf8),
    ])
    #expect(results == [.line("partial"), .line("héllo"), .endOfInput])
  }

  @Test("lines longer than one read chunk")
  func longLines() throws {
    let long = String(repeating: "abcdefghij", count: 1000)  // 10,000 bytes > 4,096
    let results = try readAll([Array((long + "\n" + long + "\n").utf8)])
    #expect(results == [.line(long), .line(long), .endOfInput])
  }

  @Test("an empty pipe is end of input at once, and stays so")
  func emptyInput() throws {
    #expect(try readAll([]) == [.endOfInput])
  }

  @Test("history calls are harmless no-ops")
  func noHistory() {
    var reader = PlainLineReader(fileDescriptor: -1)
    reader.addHistory("x")
    #expect(reader.saveHistory() == nil)
    #expect(reader.startupWarnings.isEmpty)
    #expect(reader.readLine(prompt: "") == .endOfInput)  // read(-1) fails: end of input
  }
}
