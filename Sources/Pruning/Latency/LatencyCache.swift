import DurableIO
import Foundation

/// Measured layer grids kept on disk between sessions, one JSON file per measurement under a
/// directory (`$XDG_CACHE_HOME/shears/latency/`, else `~/.cache/shears/latency/`).
///
/// A file's name is the hash of its ``Key`` — CPU, oneDNN and engine versions, batch, threads,
/// layer shape, grid, repeats and rounds — and the file repeats the key: a measurement taken on another
/// CPU or with other library versions has another name and is never found, and a file whose
/// stored key differs from the one asked (a hash collision, a hand-edited file) or that does
/// not decode is ignored and measured again. Files are written atomically (``DurableIO``).
///
/// ```swift
/// let cache = LatencyCache(directory: LatencyCache.defaultDirectory(environment: env))
/// cache.load(key)   // nil: measure, then cache.store(layer, for: key)
/// ```
public struct LatencyCache: Sendable {
  /// What a measurement depends on.
  public struct Key: Hashable, Sendable, Codable {
    public var environment: LatencyEnvironment
    public var batch: Int
    public var threads: Int
    public var shape: ConvLayerShape
    public var inGrid: [Int]
    public var outGrid: [Int]
    public var repeats: Int
    /// Interleaved rounds (``LatencyProfiler/rounds``); with it, the grid's ``LayerLatency/blockParity``.
    public var rounds: Int

    /// A key.
    public init(
      environment: LatencyEnvironment, batch: Int, threads: Int, shape: ConvLayerShape,
      inGrid: [Int], outGrid: [Int], repeats: Int, rounds: Int
    ) {
      self.environment = environment
      self.batch = batch
      self.threads = threads
      self.shape = shape
      self.inGrid = inGrid
      self.outGrid = outGrid
      self.repeats = repeats
      self.rounds = rounds
    }

    /// The file name: 16 hex digits of the key's sorted JSON.
    public var fileName: String {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let bytes = (try? encoder.encode(self)).map { [UInt8]($0) } ?? []
      return ContentHash.hex(bytes) + ".json"
    }
  }

  private struct Entry: Codable {
    var key: Key
    var layer: LayerLatency
  }

  /// The directory the files live in.
  public let directory: String

  /// A cache in `directory` (created on the first store).
  public init(directory: String) { self.directory = directory }

  /// `$XDG_CACHE_HOME/shears/latency` when that is an absolute path, else
  /// `$HOME/.cache/shears/latency`; nil when neither is set.
  public static func defaultDirectory(environment: [String: String]) -> String? {
    if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
      return xdg + "/shears/latency"
    }
    if let home = environment["HOME"], home.hasPrefix("/") {
      return home + "/.cache/shears/latency"
    }
    return nil
  }

  /// The path of `key`'s file.
  public func path(for key: Key) -> String { directory + "/" + key.fileName }

  /// The grid stored for `key`, or nil (missing, unreadable, or stored for another key).
  public func load(_ key: Key) -> LayerLatency? {
    guard let bytes = try? DurableFile.read(path(for: key), limit: 1 << 24),
      let entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes)),
      entry.key == key
    else { return nil }
    return entry.layer
  }

  /// Stores `layer` under `key`, atomically.
  public func store(_ layer: LayerLatency, for key: Key) throws {
    do {
      try DurableFile.makeDirectory(directory)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys]
      let bytes = [UInt8](try encoder.encode(Entry(key: key, layer: layer)))
      try DurableFile.write(bytes, to: path(for: key))
    } catch let e as DurableFileError {
      throw PruningError.invalidOption("latency cache: \(e.path): \(e.reason)")
    }
  }
}
