import TensorCore

/// Stochastic gradient descent with momentum (optionally Nesterov) and L2 weight decay, with
/// PyTorch's update rule (dampening 0):
///
///     g ← ∇w + λ·w;   v ← μ·v + g;   w ← w − η·(nesterov ? g + μ·v : v)
///
/// Velocities are kept by parameter path, so the optimizer survives an executor rebuild but not
/// surgery (a pruned network starts with fresh velocities).
public struct SGD: Sendable {
  /// Momentum μ.
  public var momentum: Float
  /// Nesterov momentum.
  public var nesterov: Bool
  /// Weight decay λ.
  public var weightDecay: Float
  /// Whether batch-norm γ/β and biases are decayed too (PyTorch's default: yes).
  public var decayAllParameters: Bool
  private var velocities: [String: Tensor] = [:]

  /// An optimizer.
  public init(
    momentum: Float = 0.9, nesterov: Bool = false, weightDecay: Float = 5e-4,
    decayAllParameters: Bool = true
  ) {
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
    self.decayAllParameters = decayAllParameters
  }

  /// Applies one update with learning rate `learningRate` to every parameter that has a
  /// gradient, in the network's fixed parameter order.
  public mutating func step(
    _ network: inout Network, gradients: [String: Tensor], learningRate: Float
  ) {
    for path in network.parameterPaths {
      guard let grad = gradients[path], var w = network.parameters.removeValue(forKey: path)
      else { continue }
      var v = velocities.removeValue(forKey: path) ?? Tensor(zeros: w.shape)
      let decays = decayAllParameters || (path.hasSuffix(".weight") && w.shape.count > 1)
      let lambda = decays ? weightDecay : 0
      let mu = momentum
      let nesterov = self.nesterov
      let n = w.count
      w.withUnsafeMutableBufferPointer { wp in
        v.withUnsafeMutableBufferPointer { vp in
          grad.withUnsafeBufferPointer { gp in
            for i in 0..<n {
              let g = gp[i] + lambda * wp[i]
              let vi = mu * vp[i] + g
              vp[i] = vi
              wp[i] -= learningRate * (nesterov ? g + mu * vi : vi)
            }
          }
        }
      }
      network.parameters[path] = w
      velocities[path] = v
    }
  }
}
