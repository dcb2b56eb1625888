import CommandLanguage
import CommandRuntime
import Datasets
import Foundation
import NeuralNet
import Notebook
import ONNX

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
  /// IDX files (images and labels) read as MNIST, gzip-compressed or not.
  case idx
  /// CIFAR-10 and CIFAR-100 binary files, gzip-compressed or not.
  case cifar
  /// An ONNX model: protobuf decoding, then the graph reader that turns it into a network.
  case onnx

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
      // The readers are internal to Datasets: fuzz them through the public loader, once with
      // the input as every file, once with valid images and the input as the labels.
      for name in Self.idxFiles { Self.scratchFile("idx/" + name, bytes) }
      _ = try? Dataset.mnist(directory: Self.folder + "/idx")
      for name in Self.idxFiles {
        Self.scratchFile("idx/" + name, name.contains("images") ? Self.oneImage : bytes)
      }
      _ = try? Dataset.mnist(directory: Self.folder + "/idx")
    case .cifar:
      for index in 1...5 { Self.scratchFile("cifar10/data_batch_\(index).bin", bytes) }
      Self.scratchFile("cifar10/test_batch.bin", bytes)
      _ = try? Dataset.cifar10(directory: Self.folder + "/cifar10")
      Self.scratchFile("cifar100/train.bin", bytes)
      Self.scratchFile("cifar100/test.bin", bytes)
      _ = try? Dataset.cifar100(directory: Self.folder + "/cifar100")
    case .onnx:
      _ = try? ONNXImporter.decode(bytes, path: "fuzz.onnx")
    }
  }

  static let idxFiles = [
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
  ]

  /// A valid IDX image file holding one 28×28 image.
  static let oneImage: [UInt8] =
    [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28] + [UInt8](repeating: 7, count: 784)

  /// Writes `bytes` to a file in a folder of this process (readers take paths).
  @discardableResult
  static func scratchFile(_ name: String, _ bytes: [UInt8]) -> String {
    let path = folder + "/" + name
    let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
    try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
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
