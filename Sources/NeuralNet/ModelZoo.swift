import TensorCore

/// Options shared by the zoo's models.
public struct ModelOptions: Hashable, Sendable, Codable {
  /// Input channels (1 for Fashion-MNIST, 3 for CIFAR).
  public var inputChannels: Int
  /// Input height and width.
  public var inputSize: Int
  /// Output classes.
  public var classes: Int
  /// Multiplies every hidden width (rounded, at least 1).
  public var widthMultiplier: Double
  /// ResNet shortcut when the shape changes: `a` zero-padding (default), `b` 1×1 projection.
  public var shortcut: Shortcut
  /// How convolution weights are drawn (``Initialization/he`` by default).
  public var initialization: Initialization

  /// The ResNet shortcut kinds of He et al. 2016.
  public enum Shortcut: String, Hashable, Sendable, Codable, CaseIterable {
    case a
    case b
  }

  /// How a zoo model's convolution weights are drawn; linear layers and batch norm start the
  /// same either way (uniform ±1/√in, γ = 1, β = 0).
  public enum Initialization: String, Hashable, Sendable, Codable, CaseIterable {
    /// Kaiming-normal for ReLU networks, `N(0, 2/fan_in)` (He et al. 2015).
    case he
    /// PyTorch's `nn.Conv2d` default, `kaiming_uniform_(a=√5)`: uniform in ±1/√fan_in, a
    /// standard deviation of √(1/(3·fan_in)) (2.4× narrower than ``he``); a conv bias, where
    /// there is one, uniform in the same bounds (PyTorch's too).
    case torch
  }

  /// Defaults: 3×32×32 input, 10 classes, width ×1, option-A shortcuts, He initialisation.
  public init(
    inputChannels: Int = 3, inputSize: Int = 32, classes: Int = 10, widthMultiplier: Double = 1,
    shortcut: Shortcut = .a, initialization: Initialization = .he
  ) {
    self.inputChannels = inputChannels
    self.inputSize = inputSize
    self.classes = classes
    self.widthMultiplier = widthMultiplier
    self.shortcut = shortcut
    self.initialization = initialization
  }

  func width(_ w: Int) -> Int { max(1, Int((Double(w) * widthMultiplier).rounded())) }
}

/// The built-in models: LeNet-5, a small VGG, VGG-16 (CIFAR variant) and the CIFAR ResNets.
///
/// ```swift
/// var rng = SeededRNG(seed: 0)
/// let net = try ModelZoo.make("vgg-small", options: .init(inputChannels: 1, inputSize: 28), rng: &rng)
/// ```
public enum ModelZoo {
  /// Model names with a one-line description each.
  static let catalog: [(name: String, summary: String)] = [
    ("lenet5", "LeNet-5: conv 6-16 (5×5) with max pools, then 120-84 fully connected"),
    ("vgg-small", "small VGG: conv 32-32-M-64-64-M-128-128-M with BN+ReLU, global pool, linear"),
    ("vgg16", "VGG-16 for CIFAR: 13 conv with BN+ReLU, 5 max pools, one linear layer"),
    ("resnet20", "CIFAR ResNet-20: 3 stages × 3 basic blocks (16/32/64 channels)"),
    ("resnet32", "CIFAR ResNet-32: 3 stages × 5 basic blocks"),
    ("resnet56", "CIFAR ResNet-56: 3 stages × 9 basic blocks"),
    ("resnet110", "CIFAR ResNet-110: 3 stages × 18 basic blocks"),
  ]

  /// The known names.
  public static var names: [String] { catalog.map(\.name) }

  /// Builds model `name` with fresh, seeded weights.
  public static func make(_ name: String, options: ModelOptions, rng: inout SeededRNG) throws
    -> Network
  {
    try validate(options)
    let initRNG = rng.split()
    var builder = NetworkBuilder(
      inputShape: [options.inputChannels, options.inputSize, options.inputSize], rng: initRNG,
      initialization: options.initialization)
    try body(name, options, &builder)
    return try builder.build(name: name, classes: options.classes)
  }

  /// What model `name` would hold, without allocating it: parameter and buffer elements, and
  /// the output elements of all its nodes for one sample.
  ///
  /// ```swift
  /// let f = try ModelZoo.footprint("vgg16", options: .init(inputSize: 512, widthMultiplier: 8))
  /// f.parameterElements  // about 940 million
  /// ```
  public static func footprint(_ name: String, options: ModelOptions) throws -> ModelFootprint {
    try validate(options)
    var builder = NetworkBuilder(
      inputShape: [options.inputChannels, options.inputSize, options.inputSize],
      rng: SeededRNG(seed: 0), allocating: false)
    try body(name, options, &builder)
    return ModelFootprint(
      parameterElements: builder.parameterElements,
      activationElements: builder.activationElements)
  }

  private static func validate(_ options: ModelOptions) throws {
    guard options.inputChannels > 0, options.inputSize > 0, options.classes > 1,
      options.widthMultiplier > 0
    else {
      throw NeuralNetError.invalidOption(
        "channels, size and width must be positive and classes at least 2: \(options)")
    }
  }

  /// Adds the nodes of model `name` to `b`.
  private static func body(_ name: String, _ options: ModelOptions, _ b: inout NetworkBuilder)
    throws
  {
    switch name {
    case "lenet5": try lenet5(options, &b)
    case "vgg-small": try vgg([32, 32, 0, 64, 64, 0, 128, 128, 0], options, &b)
    case "vgg16":
      try vgg(
        [64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0],
        options, &b)
    case "resnet20": try resnet(blocks: 3, options, &b)
    case "resnet32": try resnet(blocks: 5, options, &b)
    case "resnet56": try resnet(blocks: 9, options, &b)
    case "resnet110": try resnet(blocks: 18, options, &b)
    default: throw NeuralNetError.unknownModel(name: name, known: names)
    }
  }

  /// LeNet-5 (LeCun et al. 1998) with ReLU and max pooling; the first convolution pads so that
  /// inputs up to 32×32 give 5×5 maps before the classifier.
  static func lenet5(_ o: ModelOptions, _ b: inout NetworkBuilder) throws {
    let size = o.inputSize
    guard size >= 16 else {
      throw NeuralNetError.invalidOption("lenet5 needs inputs of 16×16 or more")
    }
    let pad = max(0, (32 - size) / 2)
    try b.add(
      "conv1",
      .conv(
        ConvSpec(
          inChannels: o.inputChannels, outChannels: o.width(6), kernel: 5, padding: pad, bias: true)
      ))
    try b.add("relu1", .relu)
    try b.add("pool1", .maxPool(PoolSpec(kernel: 2)))
    try b.add(
      "conv2",
      .conv(ConvSpec(inChannels: b.shape[0], outChannels: o.width(16), kernel: 5, bias: true)))
    try b.add("relu2", .relu)
    try b.add("pool2", .maxPool(PoolSpec(kernel: 2)))
    try b.add("flatten", .flatten)
    try b.add("fc1", .linear(LinearSpec(inFeatures: b.shape[0], outFeatures: o.width(120))))
    try b.add("relu3", .relu)
    try b.add("fc2", .linear(LinearSpec(inFeatures: b.shape[0], outFeatures: o.width(84))))
    try b.add("relu4", .relu)
    try b.add("fc3", .linear(LinearSpec(inFeatures: b.shape[0], outFeatures: o.classes)))
  }

  /// A VGG body from a configuration (0 = 2×2 max pool; a pool is skipped once the map is 1×1,
  /// so 28×28 inputs work too), then global average pooling and one linear layer. Convolutions
  /// are `features.<i>.conv` / `.bn` / `.relu` numbered from 0.
  static func vgg(_ cfg: [Int], _ o: ModelOptions, _ b: inout NetworkBuilder) throws {
    var convIndex = 0
    var poolIndex = 0
    for c in cfg {
      if c == 0 {
        if b.shape[1] >= 2 { try b.add("pool\(poolIndex)", .maxPool(PoolSpec(kernel: 2))) }
        poolIndex += 1
      } else {
        try b.convBNReLU("features.\(convIndex).", "", out: o.width(c))
        convIndex += 1
      }
    }
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("classifier", .linear(LinearSpec(inFeatures: b.shape[0], outFeatures: o.classes)))
  }

  /// CIFAR ResNet (He et al. 2016, §4.2): 3×3 stem with 16 channels, three stages of basic
  /// blocks (16, 32, 64 channels; stride 2 at the start of stages 2 and 3), global average pool,
  /// linear. Names follow the common PyTorch code: `conv1`, `bn1`, `layer<s>.<b>.conv1`, …,
  /// `layer<s>.<b>.shortcut` (option A pad, or `.shortcut.conv` / `.shortcut.bn` for option B),
  /// `layer<s>.<b>.add`, `layer<s>.<b>.relu2`, `linear`.
  static func resnet(blocks: Int, _ o: ModelOptions, _ b: inout NetworkBuilder) throws {
    try b.convBNReLU("", "1", out: o.width(16))
    for (s, planes) in [16, 32, 64].map(o.width).enumerated() {
      for k in 0..<blocks {
        let p = "layer\(s + 1).\(k)."
        let stride = (s > 0 && k == 0) ? 2 : 1
        let blockInput = b.last
        let inPlanes = b.shape[0]
        try b.convBNReLU(p, "1", out: planes, stride: stride)
        try b.convBNReLU(p, "2", out: planes, relu: false)
        let main = b.last
        var shortcut = blockInput
        if stride != 1 || inPlanes != planes {
          switch o.shortcut {
          case .a:
            guard (planes - inPlanes) % 2 == 0, planes >= inPlanes else {
              throw NeuralNetError.invalidOption(
                "option-A shortcut needs an even channel increase (\(inPlanes)→\(planes)); use shortcut=b"
              )
            }
            shortcut = try b.add(
              p + "shortcut",
              .shortcutPad(
                ShortcutPadSpec(inChannels: inPlanes, outChannels: planes, stride: stride)),
              inputs: [blockInput])
          case .b:
            try b.add(
              p + "shortcut.conv",
              .conv(ConvSpec(inChannels: inPlanes, outChannels: planes, kernel: 1, stride: stride)),
              inputs: [blockInput])
            shortcut = try b.add(p + "shortcut.bn", .batchNorm(BatchNormSpec(channels: planes)))
          }
        }
        try b.add(p + "add", .add, inputs: [main, shortcut])
        try b.add(p + "relu2", .relu)
      }
    }
    try b.add("pool", .globalAvgPool)
    try b.add("flatten", .flatten)
    try b.add("linear", .linear(LinearSpec(inFeatures: b.shape[0], outFeatures: o.classes)))
  }
}
