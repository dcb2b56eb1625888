/// What the search maximises: top-1 accuracy (ties broken by the lower loss) or the negative
/// cross-entropy.
public enum FitnessMetric: String, Codable, Sendable, CaseIterable {
  /// Accuracy on the fitness images.
  case accuracy
  /// Mean cross-entropy on the fitness images (lower is fitter).
  case loss
}

/// One evaluation's measurements.
public struct FitnessMeasure: Codable, Sendable, Hashable {
  /// Top-1 accuracy of the pruned network on the fitness images.
  public var accuracy: Double
  /// Its mean cross-entropy.
  public var loss: Double

  /// A measurement.
  public init(accuracy: Double, loss: Double) {
    self.accuracy = accuracy
    self.loss = loss
  }

  /// The fitness under `metric` (larger is better).
  public func fitness(_ metric: FitnessMetric) -> Double {
    metric == .accuracy ? accuracy : -loss
  }

  /// Whether `self` is strictly fitter than `other` under `metric` (accuracy ties go to the
  /// lower loss).
  public func isFitter(than other: FitnessMeasure, _ metric: FitnessMetric) -> Bool {
    switch metric {
    case .accuracy:
      return accuracy > other.accuracy || (accuracy == other.accuracy && loss < other.loss)
    case .loss: return loss < other.loss
    }
  }
}
