import CommandLanguage
import CommandRuntime
import Foundation
import Testing

/// Shared set-up: runtimes writing to memory, the synthetic data scripts, and expectations.
enum Fixtures {
  /// Tiny synthetic data: 4 classes of 1×8×8, 128 train and 32 test images.
  static let data = "d = data synthetic classes=4 size=8 count=128"
  /// vgg-small at a quarter width for `d`: channels 8, 8, 16, 16, 32, 32.
  static let model = "m = model vgg-small for d width=0.25"
  /// One short epoch: 4 steps of 32 images.
  static let train = "m = train m on d epochs=1 lr=0.05 batch=32"

  /// A runtime with `seed` writing to a fresh ``CollectingSink``.
  static func runtime(seed: UInt64 = 7, dataLimit: Int? = nil) throws -> (Runtime, CollectingSink) {
    let sink = CollectingSink()
    let runtime = try Runtime(
      options: RuntimeOptions(seed: seed, threads: 1, dataLimit: dataLimit), output: sink)
    return (runtime, sink)
  }

  /// Runs each line as a cell and requires every one to succeed.
  @discardableResult
  static func run(
    _ runtime: Runtime, _ lines: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) -> [CellOutcome] {
    lines.map { line in
      let outcome = runtime.execute(line)
      #expect(
        outcome.status == .ok, "\(line): \(outcome.renderedText)", sourceLocation: sourceLocation)
      return outcome
    }
  }

  /// A fresh folder under the temporary directory, removed when released.
  final class TemporaryFolder {
    let path: String

    init() throws {
      path =
        FileManager.default.temporaryDirectory
        .appendingPathComponent("runtime-tests-\(UUID().uuidString)").path
      try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
  }
}

/// A check context that adds variables of given types to the runtime's (for checking the
/// registry's examples, which use `d`, `m`, `s` …).
struct ExtendedContext: CheckContext {
  let base: RuntimeCheckContext
  let extra: [String: ValueType]

  func signature(of command: String) -> CommandSignature? { base.signature(of: command) }
  var commandNames: [String] { base.commandNames }
  func type(ofVariable name: String) -> ValueType? {
    extra[name] ?? base.type(ofVariable: name)
  }
  var variableNames: [String] { base.variableNames + extra.keys.sorted() }
  func symbols(accepting type: ValueType) -> [String] { base.symbols(accepting: type) }
  func type(ofSymbol word: String) -> ValueType? { base.type(ofSymbol: word) }
  var metaCommandNames: [String] { base.metaCommandNames }
}
