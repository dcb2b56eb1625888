import CommandLanguage
import Datasets
import NeuralNet

/// The training options commands that train share (`gradual`; the same names and ranges as
/// `train`): their parameters and how they become ``NeuralNet/TrainingOptions``.
enum TrainingRecipe {
  /// `epochs` (default `epochs`), `lr`, `batch`, `momentum`, `decay`, `schedule`, `batches`,
  /// `augment`.
  static func parameters(epochs: Int) -> [ParameterSpec] {
    [
      ParameterSpec(
        "epochs", .number, .keyword, default: .value(.number(Double(epochs))),
        range: .closed(1, 10_000), integerOnly: true, summary: "passes over the train split"),
      ParameterSpec(
        "lr", .number, .keyword, default: .value(.number(0.1)), range: .open(0, 10),
        summary: "base learning rate"),
      ParameterSpec(
        "batch", .number, .keyword, default: .value(.number(128)), range: .closed(1, 4096),
        integerOnly: true, summary: "images per step"),
      ParameterSpec(
        "momentum", .number, .keyword, default: .value(.number(0.9)), range: .halfOpen(0, 1),
        summary: "SGD momentum"),
      ParameterSpec(
        "decay", .number, .keyword, default: .value(.number(5e-4)), range: .closed(0, 1),
        summary: "L2 weight decay"),
      ParameterSpec(
        "schedule", .text, .keyword, default: .value(.symbol("cosine")),
        symbols: ["cosine", "constant"], summary: "learning-rate schedule over the run"),
      ParameterSpec(
        "batches", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
        summary: "stop each epoch after this many steps"),
      ParameterSpec(
        "augment", .bool, .keyword, default: .optional,
        summary: "random crop and flip (default: on for CIFAR, off otherwise)"),
    ]
  }

  /// The options the arguments ask for (as `train` reads them).
  static func options(_ arguments: Arguments, data: Dataset, command: String) throws
    -> TrainingOptions
  {
    var options = TrainingOptions()
    options.epochs = try arguments.int("epochs")
    options.learningRate = try arguments.double("lr")
    options.batchSize = try arguments.int("batch")
    options.momentum = try arguments.double("momentum")
    options.weightDecay = try arguments.double("decay")
    options.schedule = try arguments.text("schedule") == "constant" ? .constant : .cosine
    options.maxBatchesPerEpoch = try arguments.optionalInt("batches")
    if let augment = try arguments.optionalBool("augment") {
      let standard = data.defaultAugmentation
      let shift = Augmentation(cropPadding: max(1, data.imageShape[1] / 8), flipProbability: 0.5)
      options.augmentation = augment ? (standard.isIdentity ? shift : standard) : Augmentation.none
    } else {
      options.augmentation = data.defaultAugmentation
    }
    guard data.train.count >= 1 else {
      throw RuntimeError.invalidArgument(
        command: command, name: "data", problem: "the train split is empty")
    }
    return options
  }
}
