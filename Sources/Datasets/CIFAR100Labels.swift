/// Which label of CIFAR-100 to keep: the 100 fine classes or the 20 coarse superclasses.
public enum CIFAR100Labels: String, Sendable, Equatable, Hashable, CaseIterable, Codable {
  /// The 100 fine classes (the usual choice).
  case fine
  /// The 20 coarse superclasses.
  case coarse
}
