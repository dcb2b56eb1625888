import Datasets
import NeuralNet

/// What ``ONNXImporter`` reads from a file: the network and what the file says about it.
public struct ONNXImportResult: Sendable {
  /// The imported network (validated), inputs normalised as ``normalization`` says.
  public var network: Network
  /// The input normalisation found at the start of the graph (`Sub` mean, then `Mul` or `Div`),
  /// removed from the network; nil when the graph has none.
  public var normalization: ChannelStatistics?
  /// Class names from the `class_names` metadata entry (a JSON array), if present.
  public var classNames: [String]?
  /// The file's `metadata_props`.
  public var metadata: [String: String]
  /// `producer_name producer_version` of the file (`pytorch 2.13.0`).
  public var producer: String
  /// True when the graph has no batch norm but convolutions whose weights the exporter made
  /// (with a bias; PyTorch names them `onnx::Conv_…`): batch norm was folded into them, and
  /// BN-based criteria have nothing to score. A network that never had batch norm (LeNet) is
  /// not folded.
  public var batchNormFolded: Bool

  /// A result.
  public init(
    network: Network, normalization: ChannelStatistics?, classNames: [String]?,
    metadata: [String: String], producer: String, batchNormFolded: Bool
  ) {
    self.network = network
    self.normalization = normalization
    self.classNames = classNames
    self.metadata = metadata
    self.producer = producer
    self.batchNormFolded = batchNormFolded
  }
}
