import NeuralNet
import TensorCore
import Testing

/// The executor's backward pass through whole graphs (fused BN+ReLU, add+ReLU, option-A and
/// option-B shortcuts, pooling, flatten, linear) against central finite differences of the loss.
@Suite struct ExecutorGradientTests {
  /// Loss of `net` on fixed images and labels, in training mode (batch statistics).
  func loss(_ net: Network, _ x: [Float], _ y: [Int32], _ ctx: ComputeContext) throws -> Double {
    var n = net
    let ex = try Executor(network: n, batch: y.count, training: true, context: ctx)
    let logits = try x.withUnsafeBufferPointer { try ex.forward(&n, images: $0) }
    return try SoftmaxCrossEntropy.evaluate(logits: logits, labels: y).loss
  }

  /// Runs on the context's worker thread: oneDNN called from Swift Testing's own threads would
  /// start one OpenMP team per thread and crawl on two cores.
  func check(model: String, options: ModelOptions, batch: Int) throws {
    let ctx = try ComputeContext(threads: 1)
    try ctx.perform { try check(model: model, options: options, batch: batch, ctx: ctx) }
  }

  func check(model: String, options: ModelOptions, batch: Int, ctx: ComputeContext) throws {
    var rng = SeededRNG(seed: 11)
    var net = try ModelZoo.make(model, options: options, rng: &rng)
    let size = options.inputChannels * options.inputSize * options.inputSize
    let x = (0..<batch * size).map { _ in rng.nextNormal() }
    let y = (0..<batch).map { _ in Int32(rng.nextInt(below: options.classes)) }
    let ex = try Executor(network: net, batch: batch, training: true, context: ctx)
    let logits = try x.withUnsafeBufferPointer { try ex.forward(&net, images: $0) }
    let ce = try SoftmaxCrossEntropy.evaluate(logits: logits, labels: y)
    try ex.backward(net, lossGradient: ce.gradient)
    let grads = ex.parameterGradients
    // Directional derivative along the gradient itself: (f(θ+εg) − f(θ−εg)) / 2ε ≈ ‖g‖².
    let eps: Float = 1e-3
    func shifted(_ sign: Float) -> Network {
      var n = net
      for (path, g) in grads {
        var w = n.parameters[path]!
        w.withUnsafeMutableBufferPointer { wp in
          g.withUnsafeBufferPointer { gp in for i in 0..<wp.count { wp[i] += sign * eps * gp[i] } }
        }
        n.parameters[path] = w
      }
      return n
    }
    let numeric = (try loss(shifted(1), x, y, ctx) - loss(shifted(-1), x, y, ctx)) / Double(2 * eps)
    let analytic = grads.values.reduce(0.0) { acc, g in
      acc + g.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
    }
    #expect(
      abs(numeric - analytic) / analytic < 2e-2, "\(model): numeric \(numeric) vs \(analytic)")
    // A few single coordinates with large gradients, one per parameter kind.
    for path in net.parameterPaths
    where path.hasSuffix("conv1.weight") || path == "linear.weight"
      || path == "classifier.weight" || path.hasSuffix("bn1.weight")
    {
      let g = grads[path]!.scalars
      let i = g.indices.max { abs(g[$0]) < abs(g[$1]) }!
      let h: Float = 1e-3
      var plus = net
      var minus = net
      plus.parameters[path]!.withUnsafeMutableBufferPointer { $0[i] += h }
      minus.parameters[path]!.withUnsafeMutableBufferPointer { $0[i] -= h }
      let fd = (try loss(plus, x, y, ctx) - loss(minus, x, y, ctx)) / Double(2 * h)
      let err = abs(fd - Double(g[i])) / max(1e-3, abs(fd) + abs(Double(g[i])))
      #expect(err < 3e-2, "\(model) \(path)[\(i)]: fd \(fd) vs \(g[i])")
    }
  }

  @Test func resnetOptionA() throws {
    try check(
      model: "resnet20",
      options: ModelOptions(inputChannels: 3, inputSize: 8, classes: 5, widthMultiplier: 0.5),
      batch: 4)
  }

  @Test func resnetOptionB() throws {
    try check(
      model: "resnet20",
      options: ModelOptions(
        inputChannels: 1, inputSize: 8, classes: 4, widthMultiplier: 0.25, shortcut: .b),
      batch: 3)
  }

  @Test func vggSmall() throws {
    try check(
      model: "vgg-small",
      options: ModelOptions(inputChannels: 1, inputSize: 12, classes: 3, widthMultiplier: 0.25),
      batch: 4)
  }

  @Test func lenet() throws {
    try check(
      model: "lenet5",
      options: ModelOptions(inputChannels: 1, inputSize: 20, classes: 10, widthMultiplier: 0.5),
      batch: 3)
  }
}
