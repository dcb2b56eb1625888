import CommandRuntime
import Render
import TensorCore

/// The runtime settings a session was recorded with: everything that changes its figures or
/// its rendered text. A replay builds its runtime from these, never from the command line.
///
/// JSON: `{"seed": 1, "threads": 2, "dataLimit": 256, "unicode": false, "width": 80}`
/// (`dataLimit` absent when there was none). The seed is written as a number when it fits in
/// 53 bits and as a decimal string otherwise, so that no JSON reader rounds it.
public struct SessionOptions: Hashable, Sendable, Codable {
  /// The session seed.
  public var seed: UInt64
  /// OpenMP threads for oneDNN.
  public var threads: Int
  /// How convolutions were computed (sessions before format 3 ran `direct`).
  public var convolution: ConvolutionAlgorithm
  /// The most train and test images each `data` command kept, if limited.
  public var dataLimit: Int?
  /// Whether rendered text was drawn with Unicode glyphs.
  public var unicode: Bool
  /// The width rendered text was drawn for.
  public var width: Int

  /// Creates options.
  public init(
    seed: UInt64, threads: Int, convolution: ConvolutionAlgorithm = .default, dataLimit: Int?,
    unicode: Bool, width: Int
  ) {
    self.seed = seed
    self.threads = threads
    self.convolution = convolution
    self.dataLimit = dataLimit
    self.unicode = unicode
    self.width = width
  }

  /// The options a runtime runs with.
  public init(_ options: RuntimeOptions) {
    self.init(
      seed: options.seed, threads: options.threads, convolution: options.convolution,
      dataLimit: options.dataLimit,
      unicode: options.recordStyle.unicode, width: options.recordStyle.width)
  }

  /// The runtime options these record (rendered text without colour).
  public var runtimeOptions: RuntimeOptions {
    RuntimeOptions(
      seed: seed, threads: threads, convolution: convolution, dataLimit: dataLimit,
      recordStyle: TerminalStyle(color: false, unicode: unicode, width: width))
  }

  private enum CodingKeys: String, CodingKey {
    case seed, threads, convolution, dataLimit, unicode, width
  }

  /// The most threads a session may ask for.
  static let maximumThreads = 1024
  /// The widths rendered text may be drawn for.
  static let widths = 20...1000

  /// Decodes the JSON form (the seed as a number or a decimal string).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if let number = try? container.decode(UInt64.self, forKey: .seed) {
      seed = number
    } else {
      let text = try container.decode(String.self, forKey: .seed)
      guard let number = UInt64(text) else {
        throw DecodingError.dataCorruptedError(
          forKey: .seed, in: container,
          debugDescription: "the seed is a whole number from 0 to 2^64-1, not \(text)")
      }
      seed = number
    }
    func invalid(_ key: CodingKeys, _ message: String) -> DecodingError {
      DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
    }
    threads = try container.decode(Int.self, forKey: .threads)
    guard (1...Self.maximumThreads).contains(threads) else {
      throw invalid(.threads, "threads is from 1 to \(Self.maximumThreads), not \(threads)")
    }
    // Absent before format 3: those sessions ran every convolution direct.
    convolution =
      try container.decodeIfPresent(ConvolutionAlgorithm.self, forKey: .convolution) ?? .direct
    dataLimit = try container.decodeIfPresent(Int.self, forKey: .dataLimit)
    if let dataLimit, dataLimit < 1 {
      throw invalid(.dataLimit, "the data limit is at least 1, not \(dataLimit)")
    }
    unicode = try container.decode(Bool.self, forKey: .unicode)
    width = try container.decode(Int.self, forKey: .width)
    guard Self.widths.contains(width) else {
      throw invalid(.width, "the width is from 20 to 1000 columns, not \(width)")
    }
  }

  /// Encodes the JSON form.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    if seed < 1 << 53 {
      try container.encode(seed, forKey: .seed)
    } else {
      try container.encode(String(seed), forKey: .seed)
    }
    try container.encode(threads, forKey: .threads)
    try container.encode(convolution, forKey: .convolution)
    try container.encodeIfPresent(dataLimit, forKey: .dataLimit)
    try container.encode(unicode, forKey: .unicode)
    try container.encode(width, forKey: .width)
  }
}
