/// Where a blend search was stopped: in `generation`, after `evaluated` of its evaluations (the
/// cache misses it measured; the generation's count of them means between this generation and
/// the next). The search polls its stop request only at these points, in a fixed order, so a
/// search given the point stops at exactly the same place: how a replay reproduces a blend
/// that was stopped by Ctrl-C.
///
/// ```swift
/// let again = try search.run(rng: rng, stopAt: stopped.stoppedAt, evaluate: evaluate)
/// again == stopped   // true
/// ```
public struct BlendStopPoint: Codable, Sendable, Hashable, CustomStringConvertible {
  /// The generation (0 = the initial population).
  public var generation: Int
  /// Evaluations measured in it before the stop.
  public var evaluated: Int

  /// A stop point.
  public init(generation: Int, evaluated: Int) {
    self.generation = generation
    self.evaluated = evaluated
  }

  /// The point as `[generation, evaluated]` (how a session cell records it).
  public var position: [Int] { [generation, evaluated] }

  /// The point of a recorded `[generation, evaluated]`; nil for anything else.
  public init?(position: [Int]) {
    guard position.count == 2, position[0] >= 0, position[1] >= 0 else { return nil }
    self.init(generation: position[0], evaluated: position[1])
  }

  /// `generation 3, after 5 evaluations` (generations counted from 1, as the progress bar does).
  public var description: String {
    "generation \(generation + 1), after \(evaluated) evaluation\(evaluated == 1 ? "" : "s")"
  }
}
