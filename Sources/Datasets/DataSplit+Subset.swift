import TensorCore

extension DataSplit {
  /// The first `n` images (`0 ≤ n ≤ count`).
  public func first(_ n: Int) throws(DatasetError) -> DataSplit {
    try checkSubsetSize(n)
    return selecting(Array(0..<n))
  }

  /// `n` images drawn at random without replacement, kept in their original order.
  func randomSubset(_ n: Int, using rng: inout SeededRNG) throws(DatasetError) -> DataSplit {
    try checkSubsetSize(n)
    // Partial Fisher–Yates: the first n slots end up a uniform random n-subset.
    var indices = Array(0..<count)
    for i in 0..<n {
      let j = i + rng.nextInt(below: count - i)
      if i != j { indices.swapAt(i, j) }
    }
    return selecting(indices[0..<n].sorted())
  }

  /// `n` images drawn at random with the same number from every class present, as far as
  /// possible: each class gets `n / k` (k classes), a class with fewer images gives all it has
  /// and the shortfall is spread over the others, and the last few left over go to classes
  /// picked at random. The images are kept in their original order.
  ///
  /// ```swift
  /// // labels: ten 0s, ten 1s, two 2s
  /// let s = try split.stratifiedSubset(12, using: &rng)  // class counts [5, 5, 2]
  /// ```
  func stratifiedSubset(
    _ n: Int, using rng: inout SeededRNG
  ) throws(DatasetError) -> DataSplit {
    try checkSubsetSize(n)
    let classes = Array(Set(labels)).sorted()
    var members = [[Int]](repeating: [], count: classes.count)
    let slot = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
    // `slot` has every label: `classes` is the set of `labels`.
    for (index, label) in labels.enumerated() { members[slot[label]!].append(index) }
    for k in members.indices { rng.shuffle(&members[k]) }

    var quota = [Int](repeating: 0, count: classes.count)
    var remaining = n
    var open = Array(classes.indices)
    while remaining > 0 {
      let share = remaining / open.count
      if share == 0 {
        var order = open
        rng.shuffle(&order)
        for k in order.prefix(remaining) { quota[k] += 1 }
        remaining = 0
        break
      }
      for k in open {
        let add = min(share, members[k].count - quota[k])
        quota[k] += add
        remaining -= add
      }
      open = open.filter { quota[$0] < members[$0].count }
    }
    var chosen: [Int] = []
    chosen.reserveCapacity(n)
    for k in members.indices { chosen.append(contentsOf: members[k].prefix(quota[k])) }
    return selecting(chosen.sorted())
  }

  /// A subset of `n` images chosen by `selection`; `rng` is only drawn from for random kinds.
  public func subset(
    _ n: Int, selection: SubsetSelection, using rng: inout SeededRNG
  ) throws(DatasetError) -> DataSplit {
    switch selection {
    case .first: return try first(n)
    case .random: return try randomSubset(n, using: &rng)
    case .stratified: return try stratifiedSubset(n, using: &rng)
    }
  }

  private func checkSubsetSize(_ n: Int) throws(DatasetError) {
    guard n >= 0 && n <= count else {
      throw .invalidArgument(
        name: "subset size", value: String(n), expected: "a count in 0...\(count)")
    }
  }
}
