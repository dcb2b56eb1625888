import TensorCore

/// A classification data set: a train split, a test split, the number of classes, the class
/// names where known, and the normalisation statistics once it has been normalised.
///
/// ```swift
/// var rng = SeededRNG(seed: 1)
/// let data = try Dataset.fashionMNIST()
///   .subset(train: 6000, test: 1000, selection: .stratified, using: &rng)
///   .normalized()
/// print(data)  // fashion-mnist: train 6000×1×28×28, test 1000×1×28×28, 10 classes, normalised
/// ```
public struct Dataset: Sendable, Equatable, CustomStringConvertible {
  /// A short name (`fashion-mnist`, `mnist`, `cifar10`, `cifar100`, `cifar100-coarse`).
  public var name: String
  /// The training split.
  public var train: DataSplit
  /// The test split.
  public var test: DataSplit
  /// The number of classes; every label is in `0..<classCount`.
  public internal(set) var classCount: Int
  /// One name per class where known (Fashion-MNIST, MNIST, CIFAR-10; CIFAR-100 when the label
  /// name files are present), else nil.
  public internal(set) var classNames: [String]?
  /// The statistics `normalized()` used (computed on the train split), or nil if the images are
  /// still in [0, 1].
  public private(set) var normalization: ChannelStatistics?

  /// Creates a data set; both splits must have the same image shape.
  public init(
    name: String, train: DataSplit, test: DataSplit, classCount: Int,
    classNames: [String]? = nil, normalization: ChannelStatistics? = nil
  ) {
    precondition(train.imageShape == test.imageShape, "train and test image shapes differ")
    precondition((classNames?.count ?? classCount) == classCount, "one name per class")
    self.name = name
    self.train = train
    self.test = test
    self.classCount = classCount
    self.classNames = classNames
    self.normalization = normalization
  }

  /// The shape of one image: `[channels, height, width]`.
  public var imageShape: [Int] { train.imageShape }

  /// The augmentation usually used to train on this data set: random crop with padding 4 and
  /// horizontal flip for CIFAR, none for the 28×28 grey-scale sets.
  public var defaultAugmentation: Augmentation {
    name.hasPrefix("cifar") ? .cifar : .none
  }

  /// The data set with both splits normalised per channel by statistics computed (in Double)
  /// on the train split; the statistics are kept in `normalization`. Normalising an already
  /// normalised data set returns it unchanged.
  public func normalized() -> Dataset {
    if normalization != nil { return self }
    return normalized(with: ChannelStatistics(of: train))
  }

  /// The data set with both splits normalised by the given statistics (e.g. published ones).
  public func normalized(with statistics: ChannelStatistics) -> Dataset {
    var result = self
    result.train = statistics.normalize(train)
    result.test = statistics.normalize(test)
    result.normalization = statistics
    return result
  }

  /// The data set with its splits cut to `train` and `test` images (nil keeps a split whole),
  /// chosen by `selection`. Normalisation statistics, if any, are kept as they were. Each split
  /// draws from its own child of `rng` (`rng` advances by two draws, whatever the selection).
  public func subset(
    train trainCount: Int? = nil, test testCount: Int? = nil,
    selection: SubsetSelection = .first, using rng: inout SeededRNG
  ) throws(DatasetError) -> Dataset {
    var trainRNG = rng.split()
    var testRNG = rng.split()
    var result = self
    if let trainCount {
      result.train = try train.subset(trainCount, selection: selection, using: &trainRNG)
    }
    if let testCount {
      result.test = try test.subset(testCount, selection: selection, using: &testRNG)
    }
    return result
  }

  /// One line: name, split shapes, class count, and whether it is normalised.
  public var description: String {
    let shape = imageShape.map(String.init).joined(separator: "×")
    var text =
      "\(name): train \(train.count)×\(shape), test \(test.count)×\(shape), \(classCount) classes"
    if normalization != nil { text += ", normalised" }
    return text
  }
}
