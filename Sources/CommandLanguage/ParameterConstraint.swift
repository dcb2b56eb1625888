/// A relation between two numeric parameters of one command that the checker verifies when
/// both are literal numbers (written or defaulted), e.g. `blend`'s elites ≤ population.
///
/// ```swift
/// CommandSignature(name: "blend", parameters: […], result: .criterion,
///                  constraints: [.atMost("elites", "population")])
/// ```
public enum ParameterConstraint: Hashable, Sendable {
  /// The first parameter's value must not exceed the second's.
  case atMost(String, String)
}
