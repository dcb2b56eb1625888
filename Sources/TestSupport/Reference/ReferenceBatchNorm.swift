extension Reference {
  /// The result of a training-mode batch norm: the output and the batch statistics it used.
  public struct BatchNormTrainingResult<Scalar: RefScalar>: Equatable, Sendable {
    /// `γ·(x − mean)/√(variance + ε) + β`, passed through ReLU when fused.
    public var output: RefTensor<Scalar>
    /// The per-channel batch mean over N, H, W.
    public var mean: [Scalar]
    /// The per-channel BIASED batch variance (divided by `n = N·H·W`), the one that normalises.
    public var variance: [Scalar]
  }

  /// Per-channel running statistics of a batch norm layer.
  public struct BatchNormStatistics<Scalar: RefScalar>: Equatable, Sendable {
    /// The running mean, one value per channel.
    public var mean: [Scalar]
    /// The running (unbiased) variance, one value per channel.
    public var variance: [Scalar]

    /// Creates running statistics from per-channel means and variances.
    public init(mean: [Scalar], variance: [Scalar]) {
      self.mean = mean
      self.variance = variance
    }
  }

  /// The gradients of a batch norm with respect to its input, scale γ and shift β.
  public struct BatchNormGradients<Scalar: RefScalar>: Equatable, Sendable {
    /// ∂L/∂x, shaped like the input.
    public var input: RefTensor<Scalar>
    /// ∂L/∂γ, one value per channel.
    public internal(set) var gamma: [Scalar]
    /// ∂L/∂β, one value per channel.
    public internal(set) var beta: [Scalar]
  }

  /// Training-mode batch norm over N, H, W per channel of an `[N, C, H, W]` input, normalised
  /// with the batch mean and the BIASED batch variance; optionally fused with ReLU
  /// (`y = max(0, bn(x))`).
  ///
  /// Returns the output and the batch statistics (feed them to
  /// ``batchNormRunningUpdate(_:batchMean:batchVariance:count:momentum:)``).
  public static func batchNormTraining<S>(
    _ x: RefTensor<S>, gamma: [S], beta: [S], epsilon: Double = 1e-5, fusedReLU: Bool = false
  ) -> BatchNormTrainingResult<S> {
    let (_, c, _, _) = dims4(x, "batch norm input")
    checkChannels(gamma, beta, c)
    let stats = channelStatistics(x)
    var y = RefTensor<S>.zeros(x.shape)
    forEachElement(x) { i, ch in
      let invStd = 1 / (stats.variance[ch] + epsilon).squareRoot()
      let xhat = (x.values[i].refDouble - stats.mean[ch]) * invStd
      let v = gamma[ch].refDouble * xhat + beta[ch].refDouble
      y.values[i] = S(fusedReLU ? max(0, v) : v)
    }
    return BatchNormTrainingResult(
      output: y, mean: stats.mean.map { S($0) }, variance: stats.variance.map { S($0) })
  }

  /// Eval-mode batch norm with the given running mean and variance, optionally fused with ReLU.
  public static func batchNormInference<S>(
    _ x: RefTensor<S>, gamma: [S], beta: [S], running: BatchNormStatistics<S>,
    epsilon: Double = 1e-5, fusedReLU: Bool = false
  ) -> RefTensor<S> {
    let (_, c, _, _) = dims4(x, "batch norm input")
    checkChannels(gamma, beta, c)
    checkChannels(running.mean, running.variance, c)
    var y = RefTensor<S>.zeros(x.shape)
    forEachElement(x) { i, ch in
      let invStd = 1 / (running.variance[ch].refDouble + epsilon).squareRoot()
      let xhat = (x.values[i].refDouble - running.mean[ch].refDouble) * invStd
      let v = gamma[ch].refDouble * xhat + beta[ch].refDouble
      y.values[i] = S(fusedReLU ? max(0, v) : v)
    }
    return y
  }

  /// The running-statistics update of PyTorch:
  /// `running = (1 − momentum)·running + momentum·batch`, where the variance term uses the
  /// UNBIASED batch variance `batchVariance · n/(n − 1)` with `n = count = N·H·W` (must be > 1).
  ///
  /// `batchVariance` is the biased variance that ``batchNormTraining(_:gamma:beta:epsilon:fusedReLU:)``
  /// returns.
  public static func batchNormRunningUpdate<S>(
    _ running: BatchNormStatistics<S>, batchMean: [S], batchVariance: [S], count: Int,
    momentum: Double = 0.1
  ) -> BatchNormStatistics<S> {
    let c = running.mean.count
    checkChannels(running.mean, running.variance, c)
    checkChannels(batchMean, batchVariance, c)
    precondition(
      count > 1,
      "Reference.batchNormRunningUpdate: needs more than one value per channel, got \(count)")
    let bessel = Double(count) / Double(count - 1)
    let mean = (0..<c).map { ch in
      S((1 - momentum) * running.mean[ch].refDouble + momentum * batchMean[ch].refDouble)
    }
    let variance = (0..<c).map { ch in
      S(
        (1 - momentum) * running.variance[ch].refDouble
          + momentum * batchVariance[ch].refDouble * bessel)
    }
    return BatchNormStatistics(mean: mean, variance: variance)
  }

  /// The backward pass of training-mode batch norm (the batch statistics depend on x).
  ///
  /// With `fusedReLU`, the upstream gradient is first masked where the output `bn(x)` is not
  /// strictly positive (PyTorch's ReLU backward: zero gradient at exactly 0). The statistics are
  /// recomputed from `x` in `Double`. With `x̂ = (x − μ)/σ`, `g = dy·γ`, `n = N·H·W`:
  /// `dx = (g − mean(g) − x̂·mean(g·x̂)) / σ`, `dγ = Σ dy·x̂`, `dβ = Σ dy`.
  public static func batchNormTrainingBackward<S>(
    _ x: RefTensor<S>, gamma: [S], beta: [S], gradOutput: RefTensor<S>,
    epsilon: Double = 1e-5, fusedReLU: Bool = false
  ) -> BatchNormGradients<S> {
    let (_, c, _, _) = dims4(x, "batch norm input")
    checkChannels(gamma, beta, c)
    requireSameShape(x, gradOutput, "batchNormTrainingBackward gradOutput vs input")
    let stats = channelStatistics(x)
    let invStd = (0..<c).map { 1 / (stats.variance[$0] + epsilon).squareRoot() }
    var xhat = [Double](repeating: 0, count: x.count)
    var dy = [Double](repeating: 0, count: x.count)
    var sumDy = [Double](repeating: 0, count: c)
    var sumDyXhat = [Double](repeating: 0, count: c)
    forEachElement(x) { i, ch in
      xhat[i] = (x.values[i].refDouble - stats.mean[ch]) * invStd[ch]
      var g = gradOutput.values[i].refDouble
      if fusedReLU && gamma[ch].refDouble * xhat[i] + beta[ch].refDouble <= 0 { g = 0 }
      dy[i] = g
      sumDy[ch] += g
      sumDyXhat[ch] += g * xhat[i]
    }
    let n = Double(x.count / c)
    var dx = RefTensor<S>.zeros(x.shape)
    forEachElement(x) { i, ch in
      let gm = gamma[ch].refDouble
      let v = gm * invStd[ch] * (dy[i] - sumDy[ch] / n - xhat[i] * sumDyXhat[ch] / n)
      dx.values[i] = S(v)
    }
    return BatchNormGradients(
      input: dx, gamma: sumDyXhat.map { S($0) }, beta: sumDy.map { S($0) })
  }

  /// The backward pass of eval-mode batch norm (running statistics are constants):
  /// `dx = dy·γ/√(var + ε)`, `dγ = Σ dy·x̂`, `dβ = Σ dy`, with the ReLU mask when fused.
  public static func batchNormInferenceBackward<S>(
    _ x: RefTensor<S>, gamma: [S], beta: [S], running: BatchNormStatistics<S>,
    gradOutput: RefTensor<S>, epsilon: Double = 1e-5, fusedReLU: Bool = false
  ) -> BatchNormGradients<S> {
    let (_, c, _, _) = dims4(x, "batch norm input")
    checkChannels(gamma, beta, c)
    checkChannels(running.mean, running.variance, c)
    requireSameShape(x, gradOutput, "batchNormInferenceBackward gradOutput vs input")
    var dx = RefTensor<S>.zeros(x.shape)
    var dGamma = [Double](repeating: 0, count: c)
    var dBeta = [Double](repeating: 0, count: c)
    forEachElement(x) { i, ch in
      let invStd = 1 / (running.variance[ch].refDouble + epsilon).squareRoot()
      let xhat = (x.values[i].refDouble - running.mean[ch].refDouble) * invStd
      var g = gradOutput.values[i].refDouble
      if fusedReLU && gamma[ch].refDouble * xhat + beta[ch].refDouble <= 0 { g = 0 }
      dx.values[i] = S(g * gamma[ch].refDouble * invStd)
      dGamma[ch] += g * xhat
      dBeta[ch] += g
    }
    return BatchNormGradients(input: dx, gamma: dGamma.map { S($0) }, beta: dBeta.map { S($0) })
  }

  /// Per-channel mean and biased variance in `Double` (two passes).
  private static func channelStatistics<S>(_ x: RefTensor<S>) -> (
    mean: [Double], variance: [Double]
  ) {
    let c = x.shape[1]
    let n = x.count / max(c, 1)
    precondition(n > 0, "Reference: batch norm input \(x.shape) has no values per channel")
    var sum = [Double](repeating: 0, count: c)
    forEachElement(x) { i, ch in sum[ch] += x.values[i].refDouble }
    let mean = sum.map { $0 / Double(n) }
    var sq = [Double](repeating: 0, count: c)
    forEachElement(x) { i, ch in
      let d = x.values[i].refDouble - mean[ch]
      sq[ch] += d * d
    }
    return (mean, sq.map { $0 / Double(n) })
  }

  /// Calls `body(flatIndex, channel)` for every element of an NCHW tensor in row-major order.
  private static func forEachElement<S>(_ x: RefTensor<S>, _ body: (Int, Int) -> Void) {
    let (n, c, h, w) = dims4(x, "batch norm input")
    var i = 0
    for _ in 0..<n {
      for ch in 0..<c {
        for _ in 0..<(h * w) {
          body(i, ch)
          i += 1
        }
      }
    }
  }

  private static func checkChannels<S>(_ a: [S], _ b: [S], _ c: Int) {
    precondition(
      a.count == c && b.count == c,
      "Reference: batch norm per-channel vectors have \(a.count) and \(b.count) values, "
        + "expected \(c) (the input's channels)")
  }
}
