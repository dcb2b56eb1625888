import CommandRuntime
import Foundation
import Notebook
import Testing

/// Shared set-up: tiny synthetic sessions recorded into temporary folders.
enum Fixtures {
  /// Four cells on tiny synthetic data (no training, so they run fast in debug builds): data,
  /// a quarter-width vgg-small, l1 scores with a picture, and an evaluation.
  static let inputs = [
    "d = data synthetic classes=4 size=8 count=64",
    "m = model vgg-small for d width=0.25",
    "s = score m by l1\nplot s",
    "eval m on d",
  ]

  /// A runtime with seed 11 and one thread, writing to memory.
  static func runtime(seed: UInt64 = 11) throws -> Runtime {
    try Runtime(options: RuntimeOptions(seed: seed, threads: 1), output: CollectingSink())
  }

  /// Replays `session` with verification in a fresh runtime made from its recorded options,
  /// without blobs (every value is recomputed).
  static func replay(_ session: Session) throws -> Replayer.Report {
    let runtime = try Runtime(
      options: session.header.options.runtimeOptions, output: CollectingSink())
    return try Replayer(session: session, blobs: BlobStore(folder: "/nonexistent"))
      .run(on: runtime, verify: true)
  }

  /// Loads the session file at `path` and replays it with verification (with its blobs) in a
  /// fresh runtime made from its recorded options.
  static func replaySaved(_ path: String) throws -> Replayer.Report {
    let loaded = try SessionFile.load(path)
    let runtime = try Runtime(
      options: loaded.session.header.options.runtimeOptions, output: CollectingSink())
    return try Replayer(session: loaded.session, blobs: loaded.blobs)
      .run(on: runtime, verify: true)
  }

  /// Records `inputs` in memory and returns the recorder.
  static func record(
    _ inputs: [String] = Fixtures.inputs, journal: Journal? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> SessionRecorder {
    let recorder = SessionRecorder(runtime: try runtime(), engine: "test", journal: journal)
    for input in inputs {
      let (outcome, warnings) = recorder.execute(input)
      #expect(warnings.isEmpty, "\(warnings)", sourceLocation: sourceLocation)
      _ = outcome
    }
    return recorder
  }

  /// Records the standard inputs and saves them as `name` in `folder`; returns the path.
  static func savedSession(in folder: TemporaryFolder, name: String = "s.json") throws -> String {
    let path = folder.path + "/" + name
    try record().save(to: path, overwrite: false)
    return path
  }

  /// The bytes of a file.
  static func bytes(_ path: String) -> [UInt8] {
    Array(FileManager.default.contents(atPath: path) ?? Data())
  }

  /// Writes bytes to a file.
  static func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// The file's JSON as a mutable object, for editing by hand.
  static func json(_ path: String) throws -> [String: Any] {
    try #require(
      try JSONSerialization.jsonObject(with: Data(bytes(path))) as? [String: Any])
  }

  /// Writes a JSON object to a file.
  static func writeJSON(_ object: [String: Any], to path: String) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    try data.write(to: URL(fileURLWithPath: path))
  }
}

/// A fresh folder under the temporary directory, removed when released.
final class TemporaryFolder {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("notebook-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
