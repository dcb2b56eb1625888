/// Per-channel batch statistics summed in double precision, for training-mode batch norm.
///
/// oneDNN's batch norm (2.6) sums a channel's N·H·W values one after another in single
/// precision: on a batch of 128 Fashion-MNIST images (100,352 values a channel) its means and
/// variances were 1e-5 to 5e-5 (relative) off the float64 ones, where PyTorch's cascaded sums
/// are within 1e-7; the error reached every activation below (2e-5 after vgg-small's first
/// batch norm, against PyTorch's 1e-7) and the lower layers' gradients (0.3–1%, against 1e-6).
/// Trained with that, vgg-small ended 0.3 points of test accuracy below PyTorch with the same
/// recipe (issue 12). Here each value is first shifted by a guess of its channel's mean (the
/// mean over the first image), a run of at most one image row of shifted values and of their
/// squares is summed in single precision, and the runs in double: one pass over the data, with
/// an error near float rounding (1e-7, as PyTorch's) unless the guess is many standard
/// deviations off. The forward then runs oneDNN's kernel with these statistics given
/// (`dnnl_use_global_stats`); the backward, which takes mean and variance as inputs, is
/// unchanged. Costs 1% of a vgg-small training step and 3% of resnet56's (many narrow layers
/// at 32×32), which oneDNN's fused statistics pass had kept in cache.
///
/// Work is split into (image, channel block) pieces, each summed by one thread into its own
/// slot, and the slots are added in a fixed order: the same bits for any thread count.
extension BatchNormKernel {
  /// Writes the batch mean and the biased batch variance of `src` per channel into `mean` and
  /// `variance`. `src` is plain (NCHW or NC) or nChw16c; `threads` is the OpenMP team to use.
  static func batchStatistics(
    _ src: Tensor, mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>,
    threads: Int
  ) {
    let d = src.descriptor.dims
    let blocked = src.descriptor.isNChw16c
    precondition(blocked || src.isPlain, "batch statistics need a plain or nChw16c tensor")
    let images = d[0]
    let channels = d[1]
    let lanes = blocked ? 16 : 1
    let groups = (channels + lanes - 1) / lanes
    let width = groups * lanes
    let spatial = d.count == 4 ? d[2] * d[3] : 1
    let count = Double(images * spatial)
    let source = UnsafePointer(src.storage.pointer)
    let partial = UnsafeMutablePointer<Double>.allocate(capacity: 2 * images * width)
    let center = UnsafeMutablePointer<Float>.allocate(capacity: width)
    defer {
      partial.deallocate()
      center.deallocate()
    }
    // The shift: each channel's mean over the first image, a cheap guess near the batch mean.
    for g in 0..<groups {
      for l in 0..<lanes {
        var sum = 0.0
        for s in 0..<spatial { sum += Double(source[(g * spatial + s) * lanes + l]) }
        center[g * lanes + l] = Float(sum / Double(spatial))
      }
    }
    let run = max(1, min(spatial, d.count == 4 ? d[3] : 1))
    let centers = UnsafePointer(center)
    // Fixed (image, group) pieces, each summed into its own slots, split over the team.
    teamParallel(images * groups, threads: threads) { pieces in
      for piece in pieces {
        Self.sumPiece(
          source + piece * spatial * lanes, count: spatial, lanes: lanes, run: run,
          center: centers + (piece % groups) * lanes, into: partial + 2 * piece * lanes)
      }
    }
    for ch in 0..<channels {
      var s1 = 0.0
      var s2 = 0.0
      for i in 0..<images {
        s1 += partial[2 * (i * width + ch)]
        s2 += partial[2 * (i * width + ch) + 1]
      }
      let shift = s1 / count
      mean[ch] = Float(Double(center[ch]) + shift)
      variance[ch] = Float(max(0, s2 / count - shift * shift))
    }
  }
}

extension BatchNormKernel {
  /// One (image, group) piece of ``batchStatistics(_:mean:variance:threads:)``: `count`
  /// positions of `lanes` values, each less its lane's `center`; per lane, the sum of the
  /// shifted values and of their squares (runs of `run` positions in single precision, the runs
  /// in double) into `into[2·lane]` and `into[2·lane + 1]`.
  fileprivate static func sumPiece(
    _ base: UnsafePointer<Float>, count: Int, lanes: Int, run: Int, center: UnsafePointer<Float>,
    into slots: UnsafeMutablePointer<Double>
  ) {
    if lanes == 16 {
      let c = UnsafeRawPointer(center).loadUnaligned(as: SIMD16<Float>.self)
      var sum = SIMD16<Double>(repeating: 0)
      var squares = SIMD16<Double>(repeating: 0)
      var start = 0
      while start < count {
        let end = min(count, start + run)
        var a = SIMD16<Float>(repeating: 0)
        var q = SIMD16<Float>(repeating: 0)
        for s in start..<end {
          let e = UnsafeRawPointer(base + s * 16).loadUnaligned(as: SIMD16<Float>.self) - c
          a += e
          q += e * e
        }
        sum += SIMD16<Double>(a)
        squares += SIMD16<Double>(q)
        start = end
      }
      for l in 0..<16 {
        slots[2 * l] = sum[l]
        slots[2 * l + 1] = squares[l]
      }
    } else {
      let c = center[0]
      var sum = 0.0
      var squares = 0.0
      var start = 0
      while start < count {
        let end = min(count, start + run)
        var a: Float = 0
        var q: Float = 0
        for s in start..<end {
          let e = base[s] - c
          a += e
          q += e * e
        }
        sum += Double(a)
        squares += Double(q)
        start = end
      }
      slots[0] = sum
      slots[1] = squares
    }
  }
}
