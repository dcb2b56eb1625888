import CommandLanguage
import CommandRuntime
import Datasets
import Foundation
import NeuralNet
import Notebook

/// The parts of Shears that read bytes from outside, each as a function a fuzzer calls with
/// arbitrary input. A target must return normally for every input: an error thrown by the code
/// under test is a correct answer; a crash, a hang or an allocation beyond the limit is a bug.
enum FuzzTarget: String, CaseIterable {
  /// The lexer, parser and checker (against the standard registry), and the renderer.
  case language
  /// A session file or journal: reading, validating, and its hash chain.
  case session
  /// A checkpoint file.
  case checkpoint
  /// An IDX file (images, 3 dimensions, and labels, 1), gzip-compressed or not.
  case idx
  /// A CIFAR-10 or CIFAR-100 binary file, gzip-compressed or not.
  case cifar

  /// Runs the target on `bytes`.
  func run(_ bytes: [UInt8]) {
    switch self {
    case .language:
      let source = String(decoding: bytes, as: UTF8.self)
      let context = RuntimeCheckContext(
        registry: .standard, environment: Environment(), purpose: .checking)
      let result = Checker(context: context).check(source: source)
      _ = DiagnosticRenderer(style: .file(name: "fuzz")).render(result.diagnostics, in: source)
      _ = isIncomplete(source)
    case .session:
      let path = Self.scratchFile("session.json", bytes)
      if let loaded = try? SessionFile.load(path) {
        _ = SessionChain.firstBreak(in: loaded.session)
        _ = loaded.session.finalBindings
      }
    case .checkpoint:
      _ = try? Checkpoint.decode(bytes)
    case .idx:
      let path = Self.scratchFile("data.idx", bytes)
      _ = try? IDXReader.read(path: path, dimensions: 3)
      _ = try? IDXReader.read(path: path, dimensions: 1)
    case .cifar:
      let path = Self.scratchFile("data.bin", bytes)
      _ = try? CIFARReader.read(path: path, format: .cifar10)
      _ = try? CIFARReader.read(path: path, format: .cifar100(labels: .fine))
    }
  }

  /// Writes `bytes` to a file in a folder of this process (readers take paths).
  static func scratchFile(_ name: String, _ bytes: [UInt8]) -> String {
    let path = folder + "/" + name
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
  }

  static let folder: String = {
    let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
    let path = base + "/shears-fuzz-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }()
}
