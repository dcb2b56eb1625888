import NeuralNet

/// CLR-RNF's per-layer computation factors `c_l` (ALGORITHMS.md §4.3): the FLOPs of the unit a
/// conv belongs to, relative to the first unit, reproducing the CLR-RNF code's hand-made tables.
///
/// Units, found by walking the graph:
/// - **Residual block** — for each `add` node, the convs that are ancestors of the add but not
///   of its fork (the latest node both of the add's inputs descend from): `conv1`, `conv2` and
///   an option-B shortcut conv. FLOPs = the convs' MACs + 8 · (elements of the add's output),
///   the code's allowance for two batch norms, the ReLUs and the addition.
/// - **Stem** — in a network with residual blocks, the convs that come before the first block's
///   convs are merged into the first block with 4 ops per output element (BN + ReLU), as the
///   code adds the stem to block 1.
/// - **Plain conv** — every other conv is its own unit with FLOPs = (C_in·K² + 5)·C_out·H·W,
///   the code's VGG formula (MACs plus 5 ops per output element).
///
/// These rules give the code's tables exactly: VGG-16 `[1.0, 18.156, 9.078, …, 4.505]`,
/// ResNet-56 `[1.0, 0.9052×8, 0.67278, 0.89297×8, 0.66667, 0.88685×8]`.
struct ComputationFactors: Sendable, Equatable {
  /// `c_l` of each conv node.
  var factors: [String: Double]
  /// The unit each conv node belongs to (the add node's name for a block, else the conv's).
  public internal(set) var units: [String: String]
  /// FLOPs of each unit.
  var unitFLOPs: [String: Int]

  /// The factors of `network`'s convs.
  public init(network: Network) throws {
    let shapes = try network.outputShapes()
    let macs = try network.macsByNode()
    let nodes = network.nodes
    let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
    // Ancestors (including the node itself) by index; the image has index -1 and is left out.
    var ancestors: [Set<Int>] = []
    for (i, node) in nodes.enumerated() {
      var set: Set<Int> = [i]
      for input in node.inputs where input != Network.inputName {
        guard let j = index[input], j < i else {
          throw PruningError.invalidGraph(
            "node '\(node.name)' reads '\(input)' before it is written")
        }
        set.formUnion(ancestors[j])
      }
      ancestors.append(set)
    }
    func isConv(_ i: Int) -> Bool {
      if case .conv = nodes[i].operation { return true }
      return false
    }
    // outputShapes() has a shape for every node.
    func elements(_ name: String) -> Int { shapes[name]?.reduce(1, *) ?? 0 }
    var units: [String: String] = [:]
    var flops: [String: Int] = [:]
    var firstBlock: String?
    for (i, node) in nodes.enumerated() where node.operation == .add {
      // Every input was checked to be an earlier node in the loop above.
      let sets = node.inputs.map { index[$0].map { ancestors[$0] } ?? [] }
      let fork = sets[0].intersection(sets[1]).max()
      let below = fork.map { ancestors[$0] } ?? []
      let convs = ancestors[i].subtracting(below).filter(isConv).sorted()
        .filter { units[nodes[$0].name] == nil }
      guard !convs.isEmpty else { continue }
      var total = 8 * elements(node.name)
      for c in convs {
        units[nodes[c].name] = node.name
        total += macs[nodes[c].name] ?? 0
      }
      flops[node.name] = total
      if firstBlock == nil { firstBlock = node.name }
    }
    let firstBlockConv = firstBlock.flatMap { b in
      nodes.firstIndex { units[$0.name] == b }
    }
    for (i, node) in nodes.enumerated() where isConv(i) && units[node.name] == nil {
      if let block = firstBlock, let first = firstBlockConv, i < first {
        units[node.name] = block
        flops[block, default: 0] += (macs[node.name] ?? 0) + 4 * elements(node.name)
      } else {
        units[node.name] = node.name
        flops[node.name] = (macs[node.name] ?? 0) + 5 * elements(node.name)
      }
    }
    let firstConv = nodes.first { units[$0.name] != nil }?.name
    let base = Double(firstConv.flatMap { units[$0] }.flatMap { flops[$0] } ?? 1)
    self.units = units
    self.unitFLOPs = flops
    // Every unit was given its FLOPs where it was made.
    self.factors = units.mapValues { Double(flops[$0] ?? 0) / max(base, 1) }
  }
}
