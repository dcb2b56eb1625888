import CommandLanguage
import Datasets
import DurableIO
import Render

/// A data set (train and test splits) with the recipe that made it.
///
/// Archive: the ``DatasetRecipe`` as JSON with sorted keys — never the pixels; restoring
/// reloads the files and repeats the recorded selection and normalisation. Figures: `name`,
/// `train.count`, `test.count`, `classes`, `shape` (of one image), and `train.labels` /
/// `test.labels`, hashes of the label sequences (they change when the selection does).
public struct DatasetValue: Value {
  /// The data.
  public internal(set) var dataset: Dataset
  /// How it was made.
  public internal(set) var recipe: DatasetRecipe

  /// Wraps a data set and its recipe.
  public init(dataset: Dataset, recipe: DatasetRecipe) {
    self.dataset = dataset
    self.recipe = recipe
  }

  public var type: ValueType { .dataset }

  public var summary: String { dataset.description }

  public var figures: Figures {
    Figures([
      ("name", .text(dataset.name)),
      ("train.count", .count(dataset.train.count)),
      ("test.count", .count(dataset.test.count)),
      ("classes", .count(dataset.classCount)),
      ("shape", .shape(dataset.imageShape)),
      ("train.labels", .hash(ContentHash.hex(int32s: dataset.train.labels))),
      ("test.labels", .hash(ContentHash.hex(int32s: dataset.test.labels))),
    ])
  }

  /// The recipe as JSON with sorted keys.
  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(recipe)
  }

  /// Rebuilds the data set from an archived recipe.
  public static func unarchive(_ bytes: [UInt8], loader: DatasetLoader) throws -> DatasetValue {
    let recipe = try JSONCoding.decode(DatasetRecipe.self, from: bytes, what: "Dataset")
    return DatasetValue(dataset: try loader.make(recipe), recipe: recipe)
  }

  /// The summary and a table of images per class in each split.
  public func details() -> [OutputItem] {
    var table = Table(
      title: summary,
      columns: [.numeric("label"), .text("class"), .numeric("train"), .numeric("test")])
    let train = dataset.train.classCounts(classes: dataset.classCount)
    let test = dataset.test.classCounts(classes: dataset.classCount)
    for k in 0..<dataset.classCount {
      table.addRow([
        String(k), dataset.classNames?[k] ?? "", NumberFormat.grouped(train[k]),
        NumberFormat.grouped(test[k]),
      ])
    }
    var items: [OutputItem] = [.table(table)]
    if let statistics = dataset.normalization {
      let means = statistics.mean.map { Figure.format($0) }.joined(separator: ", ")
      let stds = statistics.std.map { Figure.format($0) }.joined(separator: ", ")
      items.append(.text("normalised per channel with mean [\(means)] and std [\(stds)]"))
    }
    return items
  }
}
