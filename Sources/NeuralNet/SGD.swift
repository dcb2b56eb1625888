import TensorCore

/// Stochastic gradient descent with momentum (optionally Nesterov) and L2 weight decay, with
/// PyTorch's update rule (dampening 0):
///
///     g ← ∇w + λ·w;   v ← μ·v + g;   w ← w − η·(nesterov ? g + μ·v : v)
///
/// Velocities are kept by parameter path, so the optimizer survives an executor rebuild; after
/// surgery they must be cut like the weights (Pruning's `SGD.pruned(for:with:)` does that).
public struct SGD: Sendable {
  /// Momentum μ.
  public var momentum: Float
  /// Nesterov momentum.
  public var nesterov: Bool
  /// Weight decay λ.
  public var weightDecay: Float
  /// Whether batch-norm γ/β and biases are decayed too (PyTorch's default: yes).
  public var decayAllParameters: Bool
  /// The momentum buffer of every parameter updated so far, by parameter path (same shape as
  /// the parameter); empty before the first step.
  public var velocities: [String: Tensor] = [:]

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
  /// gradient, in the network's fixed parameter order. Returns false — and changes nothing —
  /// when the update would make any weight or velocity NaN or infinite.
  @discardableResult
  public mutating func step(
    _ network: inout Network, gradients: [String: Tensor], learningRate: Float
  ) -> Bool {
    // First pass: would every updated value be finite? (Reads only; no copies.)
    for path in network.parameterPaths {
      guard let grad = gradients[path], let w = network.parameters[path] else { continue }
      let ok = update(
        path: path, weight: w, gradient: grad, velocity: velocities[path], lr: learningRate
      ) {
        _, _, _ in
      }
      if !ok { return false }
    }
    for path in network.parameterPaths {
      guard let grad = gradients[path], var w = network.parameters.removeValue(forKey: path)
      else { continue }
      var v = velocities.removeValue(forKey: path) ?? Tensor(zeros: w.shape)
      w.makeUnique()
      v.makeUnique()
      let wp = w.storage.pointer
      let vp = v.storage.pointer
      _ = update(path: path, weight: w, gradient: grad, velocity: v, lr: learningRate) {
        i, wi, vi in
        wp[i] = wi
        vp[i] = vi
      }
      network.parameters[path] = w
      velocities[path] = v
    }
    return true
  }

  /// Computes the new weight and velocity of every element and hands them to `store`; returns
  /// whether all were finite.
  private func update(
    path: String, weight w: Tensor, gradient: Tensor, velocity: Tensor?, lr: Float,
    store: (Int, Float, Float) -> Void
  ) -> Bool {
    let decays = decayAllParameters || (path.hasSuffix(".weight") && w.shape.count > 1)
    let lambda = decays ? weightDecay : 0
    let mu = momentum
    let nesterov = self.nesterov
    let wp = w.storage.pointer
    let gp = gradient.storage.pointer
    let vp = velocity?.storage.pointer
    var finite = true
    for i in 0..<w.count {
      let g = gp[i] + lambda * wp[i]
      let vi = mu * (vp?[i] ?? 0) + g
      let wi = wp[i] - lr * (nesterov ? g + mu * vi : vi)
      if !wi.isFinite || !vi.isFinite { finite = false }
      store(i, wi, vi)
    }
    return finite
  }
}
