/// What a node of a ``Network`` computes. Channel counts are explicit so that surgery can shrink
/// them and FLOPs follow.
public enum Operation: Hashable, Sendable, Codable {
  /// 2-D convolution (weights OIHW at `<node>.weight`, optional bias at `<node>.bias`).
  case conv(ConvSpec)
  /// Batch normalisation over channels (γ at `.weight`, β at `.bias`, running statistics at
  /// `.running_mean` / `.running_var`).
  case batchNorm(BatchNormSpec)
  /// Rectified linear unit.
  case relu
  /// Max pooling with a square window.
  case maxPool(PoolSpec)
  /// Average pooling with a square window (padding counted, like PyTorch's default).
  case avgPool(PoolSpec)
  /// Global average pooling to 1×1.
  case globalAvgPool
  /// Element-wise sum of two inputs of the same shape.
  case add
  /// Flattens C×H×W to one vector per sample.
  case flatten
  /// Fully connected layer `y = x·Wᵀ + b` (weights `[out, in]`).
  case linear(LinearSpec)
  /// CIFAR ResNet "option A" shortcut: subsample by `stride`, zero-pad channels to `outChannels`.
  case shortcutPad(ShortcutPadSpec)

  /// A short name of the kind of operation (`conv`, `bn`, …).
  public var kindName: String {
    switch self {
    case .conv: return "conv"
    case .batchNorm: return "bn"
    case .relu: return "relu"
    case .maxPool: return "maxpool"
    case .avgPool: return "avgpool"
    case .globalAvgPool: return "global-pool"
    case .add: return "add"
    case .flatten: return "flatten"
    case .linear: return "linear"
    case .shortcutPad: return "shortcut-pad"
    }
  }
}

/// A convolution's hyper-parameters.
public struct ConvSpec: Hashable, Sendable, Codable {
  public var inChannels: Int
  public var outChannels: Int
  public var kernel: Int
  public var stride: Int
  public var padding: Int
  public internal(set) var bias: Bool

  /// A square convolution.
  public init(
    inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
    bias: Bool = false
  ) {
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.kernel = kernel
    self.stride = stride
    self.padding = padding
    self.bias = bias
  }
}

/// Batch-norm hyper-parameters.
public struct BatchNormSpec: Hashable, Sendable, Codable {
  public var channels: Int
  public var epsilon: Float
  public var momentum: Float

  /// PyTorch's defaults: ε = 1e-5, momentum 0.1.
  public init(channels: Int, epsilon: Float = 1e-5, momentum: Float = 0.1) {
    self.channels = channels
    self.epsilon = epsilon
    self.momentum = momentum
  }
}

/// A square pooling window.
public struct PoolSpec: Hashable, Sendable, Codable {
  public var kernel: Int
  public var stride: Int
  public var padding: Int

  /// A window of `kernel`, stride defaulting to the kernel.
  public init(kernel: Int, stride: Int? = nil, padding: Int = 0) {
    self.kernel = kernel
    self.stride = stride ?? kernel
    self.padding = padding
  }
}

/// A fully connected layer's sizes.
public struct LinearSpec: Hashable, Sendable, Codable {
  public var inFeatures: Int
  public internal(set) var outFeatures: Int
  public internal(set) var bias: Bool

  /// A linear layer.
  public init(inFeatures: Int, outFeatures: Int, bias: Bool = true) {
    self.inFeatures = inFeatures
    self.outFeatures = outFeatures
    self.bias = bias
  }
}

/// The option-A shortcut's target channels and stride.
public struct ShortcutPadSpec: Hashable, Sendable, Codable {
  public var inChannels: Int
  public var outChannels: Int
  public var stride: Int
  /// Output channel of each input channel (negative: dropped). Symmetric padding places input
  /// channel `i` at `i + (outChannels − inChannels) / 2`; surgery makes other maps.
  public var channelMap: [Int]

  /// Pads symmetrically.
  public init(inChannels: Int, outChannels: Int, stride: Int) {
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.stride = stride
    let pad = (outChannels - inChannels) / 2
    self.channelMap = (0..<inChannels).map { $0 + pad }
  }

  /// An explicit placement.
  public init(inChannels: Int, outChannels: Int, stride: Int, channelMap: [Int]) {
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.stride = stride
    self.channelMap = channelMap
  }
}

/// One named node of a network graph.
public struct Node: Hashable, Sendable, Codable {
  /// Stable, readable name (`layer2.0.conv1`); parameter paths start with it.
  public var name: String
  /// What it computes.
  public var operation: Operation
  /// Names of the nodes it reads (``Network/inputName`` for the image).
  public internal(set) var inputs: [String]

  /// A node.
  public init(name: String, operation: Operation, inputs: [String]) {
    self.name = name
    self.operation = operation
    self.inputs = inputs
  }
}
