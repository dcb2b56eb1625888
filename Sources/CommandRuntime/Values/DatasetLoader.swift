import Datasets
import Foundation
import TensorCore

/// Loads data sets for the runtime and keeps the whole files it has read, so that a second
/// `data fashion-mnist` (or a restored binding) does not read and decode them again.
///
/// Not thread-safe: the runtime uses it from one thread.
public final class DatasetLoader {
  private var cache: [String: Dataset] = [:]

  /// An empty loader.
  public init() {}

  /// The sources `data` knows, in help order.
  static let sources = [
    "fashion-mnist", "mnist", "cifar10", "cifar100", "cifar100-coarse", "synthetic",
  ]

  /// The whole data set `source` from `directory` (cached by source and folder).
  public func full(source: String, directory: String?) throws -> Dataset {
    let key = source + "\u{0}" + (directory ?? "")
    if let hit = cache[key] { return hit }
    let loaded: Dataset
    switch source {
    case "fashion-mnist":
      loaded = try Dataset.fashionMNIST(
        directory: directory ?? Dataset.defaultFashionMNISTDirectory)
    case "mnist", "cifar10", "cifar100", "cifar100-coarse":
      guard let directory else {
        throw RuntimeError.invalidArgument(
          command: "data", name: "path",
          problem: "\(source) has no default folder; give its folder, e.g. "
            + "data \(source) path=\"/data/\(source)\"")
      }
      switch source {
      case "mnist": loaded = try Dataset.mnist(directory: directory)
      case "cifar10": loaded = try Dataset.cifar10(directory: directory)
      case "cifar100": loaded = try Dataset.cifar100(directory: directory, labels: .fine)
      default: loaded = try Dataset.cifar100(directory: directory, labels: .coarse)
      }
    default:
      throw RuntimeError.invalidArgument(
        command: "data", name: "name",
        problem: "unknown data set '\(source)'; known: \(Self.sources.joined(separator: ", "))")
    }
    cache[key] = loaded
    return loaded
  }

  /// Makes the data set a recipe describes: the source (or the synthetic set), the subsets
  /// drawn from a copy of the recipe's generator, then the recorded normalisation.
  public func make(_ recipe: DatasetRecipe) throws -> Dataset {
    var data: Dataset
    if recipe.source == "synthetic" {
      guard let spec = recipe.synthetic else {
        throw RuntimeError.unarchive(
          type: "Dataset", problem: "a synthetic recipe without its spec")
      }
      data = spec.make()
    } else {
      data = try full(source: recipe.source, directory: recipe.directory)
    }
    var rng = recipe.selectionRNG
    if recipe.train != nil || recipe.test != nil {
      data = try data.subset(
        train: recipe.train, test: recipe.test, selection: recipe.selection, using: &rng)
    }
    if let statistics = recipe.normalization {
      data = data.normalized(with: statistics)
    }
    return data
  }
}
