import CommandLanguage
import Datasets
import TensorCore

extension CommandDefinition {
  /// `data NAME …`: loads a data set, optionally a subset, normalised by default.
  public static let data = CommandDefinition(
    CommandSignature(
      name: "data",
      parameters: [
        ParameterSpec(
          "name", .text, symbols: DatasetLoader.sources,
          summary: "which data set (synthetic needs no files)"),
        ParameterSpec(
          "path", .text, .keyword, default: .optional,
          summary: "the folder of its files (Fashion-MNIST: /usr/share/datasets/fashion-mnist)"),
        ParameterSpec(
          "train", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
          summary: "train images to keep"),
        ParameterSpec(
          "test", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
          summary: "test images to keep"),
        ParameterSpec(
          "selection", .text, .keyword, default: .value(.symbol("stratified")),
          symbols: SubsetSelection.allCases.map(\.rawValue),
          summary: "how a subset is chosen (stratified: the same number per class)"),
        ParameterSpec(
          "normalize", .bool, .keyword, default: .value(.bool(true)),
          summary: "normalise per channel by the train split's mean and std"),
        ParameterSpec(
          "classes", .number, .keyword, default: .optional, range: .closed(2, 100),
          integerOnly: true, summary: "synthetic: number of classes (default 4)"),
        ParameterSpec(
          "size", .number, .keyword, default: .optional, range: .closed(4, 64),
          integerOnly: true, summary: "synthetic: image height and width (default 8)"),
        ParameterSpec(
          "channels", .number, .keyword, default: .optional, range: .closed(1, 4),
          integerOnly: true, summary: "synthetic: channels per image (default 1)"),
        ParameterSpec(
          "count", .number, .keyword, default: .optional, range: .closed(1, 100_000),
          integerOnly: true, summary: "synthetic: train images (the test split gets a quarter)"),
      ],
      result: .dataset,
      summary: "Load a data set (a subset if asked), normalised per channel.",
      example: "d = data fashion-mnist train=2000 test=500"),
    group: .data
  ) { arguments, context in
    let source = try arguments.text("name")
    let syntheticNames = ["classes", "size", "channels", "count"]
    var synthetic: SyntheticData?
    if source == "synthetic" {
      var seedRNG = context.rng.derived("data.synthetic")
      synthetic = SyntheticData(
        classes: try arguments.optionalInt("classes") ?? 4,
        size: try arguments.optionalInt("size") ?? 8,
        channels: try arguments.optionalInt("channels") ?? 1,
        count: try arguments.optionalInt("count") ?? 256, seed: seedRNG.next())
      if arguments.isGiven("path") {
        context.warn("data synthetic reads no files; path= is ignored")
      }
    } else if let name = syntheticNames.first(where: arguments.isGiven) {
      throw RuntimeError.invalidArgument(
        command: "data", name: name,
        problem: "\(name)= applies to data synthetic only; \(source) has a fixed shape")
    }
    let directory = source == "synthetic" ? nil : try arguments.optionalText("path")
    let available: (train: Int, test: Int)
    if let synthetic {
      available = (synthetic.count, synthetic.testCount)
    } else {
      let full = try context.loader.full(source: source, directory: directory)
      available = (full.train.count, full.test.count)
      // Reading the files is one engine call; Ctrl-C pressed meanwhile stops here.
      try context.checkInterrupt()
    }
    var train = try arguments.optionalInt("train")
    var test = try arguments.optionalInt("test")
    for (name, asked, count) in [("train", train, available.train), ("test", test, available.test)]
    {
      if let asked, asked > count {
        throw RuntimeError.invalidArgument(
          command: "data", name: name,
          problem: "\(asked) is more than the \(count) \(name) images of \(source)")
      }
    }
    if let limit = context.options.dataLimit {
      if min(train ?? available.train, available.train) > limit
        || min(test ?? available.test, available.test) > limit
      {
        context.warn("the run's data limit keeps at most \(limit) train and \(limit) test images")
      }
      train = min(train ?? available.train, limit)
      test = min(test ?? available.test, limit)
    }
    if train == available.train { train = nil }
    if test == available.test { test = nil }
    let selectionName = try arguments.text("selection")
    guard let selection = SubsetSelection(rawValue: selectionName) else {
      throw RuntimeError.invalidArgument(
        command: "data", name: "selection", problem: "unknown selection '\(selectionName)'")
    }
    var recipe = DatasetRecipe(
      source: source, directory: directory, synthetic: synthetic, train: train, test: test,
      selection: selection, selectionRNG: context.rng.derived("data.subset"))
    var data = try context.loader.make(recipe)
    try context.checkInterrupt()
    if try arguments.bool("normalize") {
      data = data.normalized()
      recipe.normalization = data.normalization
    }
    return DatasetValue(dataset: data, recipe: recipe)
  }
}
