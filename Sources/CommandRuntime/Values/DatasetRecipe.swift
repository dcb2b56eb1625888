import Datasets
import TensorCore

/// How a data set value was made, enough to make it again: the source, the folder, the subset
/// sizes and the generator that chose them, and the normalisation statistics.
///
/// A ``DatasetValue`` archives as this recipe (JSON, sorted keys), never as pixels; restoring
/// reloads the files (or regenerates the synthetic set) and repeats the same selection.
public struct DatasetRecipe: Hashable, Sendable, Codable {
  /// `fashion-mnist`, `mnist`, `cifar10`, `cifar100`, `cifar100-coarse` or `synthetic`.
  public internal(set) var source: String
  /// The folder the files are read from (nil for synthetic data).
  public internal(set) var directory: String?
  /// The synthetic data specification (only for `synthetic`).
  public internal(set) var synthetic: SyntheticData?
  /// Train images kept (nil: the whole split).
  public var train: Int?
  /// Test images kept (nil: the whole split).
  public var test: Int?
  /// How the subsets were chosen.
  public var selection: SubsetSelection
  /// The generator the subset selection drew from, as it was before drawing.
  var selectionRNG: SeededRNG
  /// The per-channel statistics the images were normalised with (nil: not normalised).
  public var normalization: ChannelStatistics?

  /// Creates a recipe.
  public init(
    source: String, directory: String? = nil, synthetic: SyntheticData? = nil,
    train: Int? = nil, test: Int? = nil, selection: SubsetSelection = .stratified,
    selectionRNG: SeededRNG, normalization: ChannelStatistics? = nil
  ) {
    self.source = source
    self.directory = directory
    self.synthetic = synthetic
    self.train = train
    self.test = test
    self.selection = selection
    self.selectionRNG = selectionRNG
    self.normalization = normalization
  }
}
