/// The shape of a 2-D convolution: batch, channels, spatial size, kernel, stride, padding.
public struct ConvGeometry: Hashable, Sendable, Codable {
  public var batch: Int
  public var inChannels: Int
  public var outChannels: Int
  public var height: Int
  public var width: Int
  public var kernelH: Int
  public var kernelW: Int
  public var strideH: Int
  public var strideW: Int
  public var padH: Int
  public var padW: Int
  public internal(set) var hasBias: Bool

  /// A square-kernel convolution with symmetric stride and padding.
  public init(
    batch: Int, inChannels: Int, outChannels: Int, height: Int, width: Int, kernel: Int,
    stride: Int = 1, padding: Int = 0, bias: Bool = false
  ) {
    self.batch = batch
    self.inChannels = inChannels
    self.outChannels = outChannels
    self.height = height
    self.width = width
    kernelH = kernel
    kernelW = kernel
    strideH = stride
    strideW = stride
    padH = padding
    padW = padding
    hasBias = bias
  }

  /// Output height.
  var outHeight: Int { (height + 2 * padH - kernelH) / strideH + 1 }
  /// Output width.
  var outWidth: Int { (width + 2 * padW - kernelW) / strideW + 1 }
  /// NCHW dims of the input.
  public var srcDims: [Int] { [batch, inChannels, height, width] }
  /// NCHW dims of the output.
  public var dstDims: [Int] { [batch, outChannels, outHeight, outWidth] }
  /// OIHW dims of the weights.
  public var weightDims: [Int] { [outChannels, inChannels, kernelH, kernelW] }
  /// Multiply–accumulates of one forward pass over the whole batch.
  public var macs: Int {
    batch * outChannels * outHeight * outWidth * inChannels * kernelH * kernelW
  }

  func validate() throws {
    let positive = [
      batch, inChannels, outChannels, height, width, kernelH, kernelW, strideH, strideW,
    ]
    guard positive.allSatisfy({ $0 > 0 }), padH >= 0, padW >= 0 else {
      throw TensorCoreError.invalidArgument("convolution sizes must be positive: \(self)")
    }
    guard outHeight > 0, outWidth > 0 else {
      throw TensorCoreError.invalidArgument(
        "a \(kernelH)×\(kernelW) kernel does not fit a \(height)×\(width) input with padding \(padH)"
      )
    }
  }
}
