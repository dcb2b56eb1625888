/// A relation between parameters of one command that the checker verifies on literals (written
/// or defaulted), e.g. `blend`'s elites ≤ population, that population= has no use with
/// search=uniform, or that `plan`'s like= and ratio= are not written together.
///
/// ```swift
/// CommandSignature(name: "blend", parameters: […], result: .criterion,
///                  constraints: [.atMost("elites", "population")])
/// ```
public enum ParameterConstraint: Hashable, Sendable {
  /// The first parameter's value must not exceed the second's.
  case atMost(String, String)
  /// The named parameters may be written only while the parameter (second) is the word
  /// (third), e.g. `.onlyWith(["population"], "search", "ea")`.
  case onlyWith([String], String, String)
  /// The two parameters may not both be written: each sets what the other would, e.g.
  /// `.excludes("like", "ratio")` (`plan … like=p1` takes its target from another plan).
  case excludes(String, String)
}
