import Datasets

/// What goes into an exported ONNX file besides the network: the input normalisation (so the
/// file takes raw images), the class names and provenance for `metadata_props`.
///
/// ```swift
/// let options = ONNXExportOptions(
///   normalization: ChannelStatistics(mean: [0.286], std: [0.353]),
///   classNames: ["T-shirt/top", "Trouser"], provenance: ["shears.history": "model lenet5"])
/// ```
public struct ONNXExportOptions: Sendable, Equatable {
  /// Per-channel statistics the network's inputs were normalised with; when set, the graph
  /// starts with `Sub(mean)` and `Mul(1/std)` and takes raw images (values in [0, 1]).
  public var normalization: ChannelStatistics?
  /// Class names by label, written to the `class_names` metadata entry (a JSON array).
  public var classNames: [String]?
  /// Further `metadata_props` entries (engine version, history, plan fingerprint, …).
  public var provenance: [String: String]
  /// The ONNX `producer_version` (Shears' engine version).
  public var producerVersion: String

  /// Options; nothing but the network by default.
  public init(
    normalization: ChannelStatistics? = nil, classNames: [String]? = nil,
    provenance: [String: String] = [:], producerVersion: String = ONNXFormat.engineVersion
  ) {
    self.normalization = normalization
    self.classNames = classNames
    self.provenance = provenance
    self.producerVersion = producerVersion
  }
}

/// Constants of the ONNX files Shears writes and reads.
public enum ONNXFormat {
  /// The operator set exports declare (default domain).
  public static let opsetVersion: Int64 = 13
  /// The IR version exports declare (IR 7 goes with opset 13).
  public static let irVersion: Int64 = 7
  /// The oldest default-domain opset the importer accepts (Slice/Pad/Squeeze with inputs).
  public static let minimumImportOpset: Int64 = 11
  /// The `producer_name` of exports.
  public static let producerName = "Shears"
  /// The engine version recorded as `producer_version` (kept in step with `shears --version`).
  public static let engineVersion = "0.1.0"
  /// Metadata keys Shears writes and reads back.
  public enum Key {
    /// JSON array of class names by label.
    public static let classNames = "class_names"
    /// `true` when the graph normalises its input itself.
    public static let preprocess = "shears.preprocess"
    /// The network's model name (`resnet20`).
    public static let model = "shears.model"
    /// The structure fingerprint of the exported network (``NeuralNet/Network/fingerprint``).
    public static let fingerprint = "shears.fingerprint"
    /// The per-channel means of the input normalisation (comma-separated).
    public static let normalizationMean = "shears.normalization.mean"
    /// The per-channel standard deviations of the input normalisation (comma-separated).
    public static let normalizationStd = "shears.normalization.std"
  }
}
