/// Which nodes of a graph an inference executor runs as one convolution: chains
/// conv → batch norm → add → ReLU (each link optional) where every inner node has exactly one
/// consumer, the next link. Batch norm folds into the convolution's weights and bias, the add
/// becomes oneDNN's sum post-op and the ReLU its eltwise post-op.
///
/// A fused chain runs at its last node (its *anchor*): the add's other input (the *addend*, a
/// ResNet shortcut) may be computed after the convolution in graph order. The sum post-op adds
/// into the destination buffer, so the fused convolution writes into the addend's own buffer
/// when nothing reads the addend after the anchor (``Group/inPlace``); otherwise the addend is
/// copied into a fresh buffer first.
struct InferenceFusion {
  /// One fused chain, by node index.
  struct Group: Equatable {
    var conv: Int
    var batchNorm: Int?
    var add: Int?
    /// The add's other input (node index, or -1 for the image).
    var addend: Int?
    var relu: Int?
    /// Whether the result may overwrite the addend's buffer.
    var inPlace = false

    /// The last node of the chain, where it runs.
    var anchor: Int { [conv, batchNorm ?? -1, add ?? -1, relu ?? -1].max()! }

    /// Every node of the chain.
    var members: [Int] { [conv] + [batchNorm, add, relu].compactMap { $0 } }
  }

  /// The chains, in order of their convolutions.
  private(set) var groups: [Group] = []
  /// Node index → index into ``groups``.
  private(set) var groupOf: [Int: Int] = [:]

  /// Plans the fusion of `network`'s graph.
  init(network: Network) {
    let nodes = network.nodes
    let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($1.name, $0) })
    var consumers: [String: [Int]] = [:]
    for (i, node) in nodes.enumerated() {
      for name in Set(node.inputs) { consumers[name, default: []].append(i) }
    }
    func only(_ i: Int) -> Int? {
      guard let c = consumers[nodes[i].name], c.count == 1,
        nodes[c[0]].inputs.count(of: nodes[i].name) == 1
      else { return nil }
      return c[0]
    }
    func isReLU(_ i: Int) -> Bool { nodes[i].operation == .relu }
    // Convolutions with their batch norm and ReLU.
    for (i, node) in nodes.enumerated() {
      guard case .conv(let c) = node.operation else { continue }
      var g = Group(conv: i)
      var end = i
      if let j = only(i), case .batchNorm(let b) = nodes[j].operation, b.channels == c.outChannels {
        g.batchNorm = j
        end = j
      }
      if let r = only(end), isReLU(r) { g.relu = r }
      groupOf[i] = groups.count
      for m in g.members { groupOf[m] = groups.count }
      groups.append(g)
    }
    // Residual adds joined to a chain that ends at one of their inputs.
    for (a, node) in nodes.enumerated() where node.operation == .add && node.inputs.count == 2 {
      guard node.inputs[0] != node.inputs[1] else { continue }
      for k in 0..<2 {
        guard let m = index[node.inputs[k]], let gi = groupOf[m], groups[gi].relu == nil,
          groups[gi].add == nil, groups[gi].anchor == m, only(m) == a
        else { continue }
        let other = node.inputs[1 - k]
        groups[gi].add = a
        groups[gi].addend = index[other] ?? -1
        groupOf[a] = gi
        if let r = only(a), isReLU(r) {
          groups[gi].relu = r
          groupOf[r] = gi
        }
        break
      }
    }
    // In place when every other reader of the addend runs before the chain's anchor.
    func position(_ i: Int) -> Int { groupOf[i].map { groups[$0].anchor } ?? i }
    for gi in groups.indices {
      guard let a = groups[gi].add, let o = groups[gi].addend, o >= 0 else { continue }
      let anchor = groups[gi].anchor
      let convInput = nodes[groups[gi].conv].inputs[0]
      let readers = consumers[nodes[o].name, default: []].filter { $0 != a }
      groups[gi].inPlace =
        convInput != nodes[o].name && position(o) < anchor
        && readers.allSatisfy { position($0) < anchor }
    }
  }
}

extension Array where Element: Equatable {
  fileprivate func count(of element: Element) -> Int { self.filter { $0 == element }.count }
}
