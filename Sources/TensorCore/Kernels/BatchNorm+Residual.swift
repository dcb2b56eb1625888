/// Training-mode batch norm joined with the residual add (and ReLU) that is its only consumer:
/// `dst = max(0, γ·(x − μ)/√(σ² + ε) + β + addend)` in one pass over the data.
///
/// In a ResNet block the second batch norm's output is read once, by the add. Run separately,
/// oneDNN's batch norm writes it (8 MB per 16-channel layer of a 128-image 32×32 batch) and the
/// add reads it back with the shortcut and writes the sum: three passes over memory where one
/// does. Here the statistics are summed as ``batchStatistics(_:mean:variance:threads:)`` sums
/// them, then each value is scaled and shifted per channel (`x·s + t` with `s = γ/√(σ² + ε)`,
/// `t = β − μ·s`), the addend added and the ReLU applied while the values are in registers.
/// The batch norm's own output is never written: its backward needs only its input, the
/// statistics and the output gradient, and the add's ReLU mask is read from `dst`.
///
/// The values equal oneDNN's batch norm followed by the add to float rounding (a few units in
/// the last place: the per-channel `s` and `t` round once). Work is split into fixed
/// (image, channel block) pieces on oneDNN's OpenMP team: the same bits for any thread count.
extension BatchNormKernel {
  /// Whether ``forwardTrainingResidual(_:addend:scale:shift:relu:into:mean:variance:)`` takes
  /// this kernel's layout (plain or nChw16c, without a fused ReLU of its own).
  public var joinsResidual: Bool {
    !fuseReLU && (descriptor.isPlain || descriptor.isNChw16c)
  }

  /// Training forward of batch norm followed by `+ addend` (then ReLU when `relu`): writes the
  /// sum into `dst` and the batch `mean` and biased `variance`, as ``forwardTraining`` does for
  /// the batch norm alone. `addend` and `dst` have the batch norm's layout.
  public func forwardTrainingResidual(
    _ src: Tensor, addend: Tensor, scale: Tensor, shift: Tensor, relu: Bool,
    into dst: inout Tensor, mean: inout Tensor, variance: inout Tensor
  ) throws {
    guard joinsResidual else {
      throw TensorCoreError.invalidArgument(
        "batch norm on \(descriptor)\(fuseReLU ? " with a fused ReLU" : "") cannot join an add")
    }
    for (t, what) in [(src, "input"), (addend, "addend"), (dst, "output")] {
      try check(t, what)
    }
    for (t, what) in [(scale, "scale"), (shift, "shift"), (mean, "mean"), (variance, "variance")] {
      try checkVector(t, what)
    }
    dst.makeUnique()
    mean.makeUnique()
    variance.makeUnique()
    Self.batchStatistics(
      src, mean: mean.storage.pointer, variance: variance.storage.pointer, threads: threads)
    let d = descriptor.dims
    let lanes = descriptor.isNChw16c ? 16 : 1
    let groups = (channels + lanes - 1) / lanes
    let width = groups * lanes
    // Per channel: the multiplier, the offset, and 1 for a real channel (0 for the padding lanes
    // of the last block, which stay zero).
    let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: 3 * width)
    defer { coefficients.deallocate() }
    coefficients.initialize(repeating: 0, count: 3 * width)
    for c in 0..<channels {
      let s = scale.storage.pointer[c] / (variance.storage.pointer[c] + epsilon).squareRoot()
      coefficients[c] = s
      coefficients[width + c] = shift.storage.pointer[c] - mean.storage.pointer[c] * s
      coefficients[2 * width + c] = 1
    }
    let x = UnsafePointer(src.storage.pointer)
    let r = UnsafePointer(addend.storage.pointer)
    let y = dst.storage.pointer
    let k = UnsafePointer(coefficients)
    let spatial = d.count == 4 ? d[2] * d[3] : 1
    // Fixed (image, group) pieces, each `spatial × lanes` contiguous values, split over the team.
    teamParallel(d[0] * groups, threads: threads) { pieces in
      for piece in pieces {
        let offset = piece * spatial * lanes
        Self.residualPiece(
          x + offset, r + offset, y + offset, count: spatial, group: piece % groups,
          lanes: lanes, width: width, coefficients: k, relu: relu)
      }
    }
  }

  /// One (image, group) piece: `count` positions of `lanes` values.
  private static func residualPiece(
    _ x: UnsafePointer<Float>, _ a: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
    count: Int, group g: Int, lanes: Int, width: Int, coefficients: UnsafePointer<Float>,
    relu: Bool
  ) {
    if lanes == 16 {
      let k = UnsafeRawPointer(coefficients + g * 16)
      let s = k.loadUnaligned(as: SIMD16<Float>.self)
      let b = k.loadUnaligned(fromByteOffset: 4 * width, as: SIMD16<Float>.self)
      let m = k.loadUnaligned(fromByteOffset: 8 * width, as: SIMD16<Float>.self)
      if relu {
        for p in 0..<count {
          let xv = UnsafeRawPointer(x + p * 16).loadUnaligned(as: SIMD16<Float>.self)
          let av = UnsafeRawPointer(a + p * 16).loadUnaligned(as: SIMD16<Float>.self)
          let v = xv * s + b + av * m
          UnsafeMutableRawPointer(y + p * 16).storeBytes(
            of: v.replacing(with: 0, where: v .< 0), as: SIMD16<Float>.self)
        }
      } else {
        for p in 0..<count {
          let xv = UnsafeRawPointer(x + p * 16).loadUnaligned(as: SIMD16<Float>.self)
          let av = UnsafeRawPointer(a + p * 16).loadUnaligned(as: SIMD16<Float>.self)
          UnsafeMutableRawPointer(y + p * 16).storeBytes(
            of: xv * s + b + av * m, as: SIMD16<Float>.self)
        }
      }
    } else {
      let s = coefficients[g]
      let b = coefficients[width + g]
      for p in 0..<count {
        let v = x[p] * s + b + a[p]
        y[p] = relu && v < 0 ? 0 : v
      }
    }
  }
}
