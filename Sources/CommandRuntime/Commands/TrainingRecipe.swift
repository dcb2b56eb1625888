import CommandLanguage
import Datasets
import NeuralNet

/// The training options every command that trains shares (`train`, `finetune`, `gradual`):
/// their parameters and how they become ``NeuralNet/TrainingOptions`` and a
/// ``NeuralNet/Distillation``.
enum TrainingRecipe {
  /// `epochs` (default `epochs`), `lr`, `batch`, `momentum`, `nesterov`, `decay`, `schedule`,
  /// `cycle`, `warmup`, `smoothing`, `batches`, `augment`, `teacher`, `temperature`, `alpha`.
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
        "nesterov", .bool, .keyword, default: .value(.bool(false)), summary: "Nesterov momentum"),
      ParameterSpec(
        "decay", .number, .keyword, default: .value(.number(5e-4)), range: .closed(0, 1),
        summary: "L2 weight decay"),
      ParameterSpec(
        "schedule", .text, .keyword, default: .value(.symbol("cosine")),
        symbols: ["cosine", "constant", "onecycle", "step"],
        summary: "learning rate over the run (onecycle: PyTorch's, peak lr; step: ×0.1 at 50%, 75%)"
      ),
      ParameterSpec(
        "cycle", .bool, .keyword, default: .value(.bool(false)),
        summary: "with schedule=onecycle, momentum cycles against the rate, momentum ∓ 0.05 "
          + "(PyTorch's OneCycleLR default: 0.85 at the peak, 0.95 at the ends)"),
      ParameterSpec(
        "warmup", .number, .keyword, default: .value(.number(0)), range: .closed(0, 10_000),
        integerOnly: true, summary: "epochs of linear learning-rate warm-up"),
      ParameterSpec(
        "smoothing", .number, .keyword, default: .value(.number(0)), range: .halfOpen(0, 1),
        summary: "label smoothing ε"),
      ParameterSpec(
        "batches", .number, .keyword, default: .optional, range: .atLeast(1), integerOnly: true,
        summary: "stop each epoch after this many steps"),
      ParameterSpec(
        "augment", .bool, .keyword, default: .optional,
        summary: "random crop and flip (default: on for CIFAR, off otherwise)"),
      ParameterSpec(
        "teacher", .model, .keyword, default: .optional,
        summary: "distil from this model's soft targets (same input shape and classes)"),
      ParameterSpec(
        "temperature", .number, .keyword, default: .value(.number(4)), range: .open(0, 100),
        summary: "distillation temperature T"),
      ParameterSpec(
        "alpha", .number, .keyword, default: .value(.number(0.9)), range: .closed(0, 1),
        summary: "weight of the soft targets (1 − α on the labels)"),
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
    options.nesterov = try arguments.bool("nesterov")
    options.weightDecay = try arguments.double("decay")
    switch try arguments.text("schedule") {
    case "constant": options.schedule = .constant
    case "onecycle": options.schedule = .oneCycle
    case "step":
      options.schedule = .step(
        milestones: [options.epochs / 2, (options.epochs * 3) / 4], gamma: 0.1)
    default: options.schedule = .cosine
    }
    options.cycleMomentum = try arguments.bool("cycle")
    if options.cycleMomentum {
      guard options.schedule == .oneCycle else {
        throw RuntimeError.invalidArgument(
          command: command, name: "cycle",
          problem:
            "momentum cycles with the one-cycle rate: add schedule=onecycle, or drop cycle=true")
      }
      let swing = TrainingOptions.momentumSwing
      guard options.momentum - swing >= 0, options.momentum + swing < 1 else {
        throw RuntimeError.invalidArgument(
          command: command, name: "cycle",
          problem: "cycle=true moves the momentum \(options.momentum) by ±\(swing), outside 0…1: "
            + "pick a momentum from \(swing) to below \(1 - swing)")
      }
    }
    options.warmupEpochs = try arguments.int("warmup")
    options.labelSmoothing = try arguments.double("smoothing")
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

  /// The distillation `teacher=` asks for (nil without one); refuses a teacher that does not
  /// fit `student` with a message naming both shapes.
  static func distillation(_ arguments: Arguments, student: Network, command: String) throws
    -> Distillation?
  {
    guard let teacher = try arguments.optional("teacher", as: ModelValue.self) else { return nil }
    do {
      let kd = try Distillation(
        teacher: teacher.network, temperature: try arguments.double("temperature"),
        alpha: try arguments.double("alpha"))
      try kd.validate(student: student)
      return kd
    } catch let error as NeuralNetError {
      throw RuntimeError.invalidArgument(
        command: command, name: "teacher", problem: "\(error)")
    }
  }
}
