import CommandLanguage

extension ValueType {
  /// The channel groups of a model (`groups m`).
  public static let groups = ValueType("Groups")
  /// The CWDA test battery over a model's conv layers (`cwda m`).
  public static let cwda = ValueType("CWDA")
  /// Two models side by side (`compare m m2 on d`).
  public static let comparison = ValueType("Comparison")
  /// A group-aware sensitivity sweep (`sensitivity m by l1 on d`).
  public static let sensitivity = ValueType("Sensitivity")
  /// A latency model of a network on this machine (`profile m`).
  public static let latency = ValueType("Latency")
}
