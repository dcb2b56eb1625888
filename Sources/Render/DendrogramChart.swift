import Foundation

/// A dendrogram: the merges of a hierarchical clustering, leaves in tree order, each merge a
/// bracket at its height. Drawn for the terminal as box-drawing bars (distance grows to the
/// right) or as SVG (``svg()``).
///
/// ```swift
/// let chart = try DendrogramChart(
///   title: "criteria", labels: ["l1", "l2", "fpgm"],
///   merges: [.init(left: [0], right: [1], height: 0.05),
///            .init(left: [0, 1], right: [2], height: 0.4)],
///   heightLabel: "d = 1 − ρ")
/// print(chart.render(style: style))
/// ```
///
/// ```
/// l1   ─┐
/// l2   ─┴──────┐
/// fpgm ────────┘
/// ```
public struct DendrogramChart: Sendable, Equatable {
  /// One merge: the two clusters' members (item indices) and the height they merged at.
  public struct Merge: Sendable, Equatable {
    /// Members of the first cluster, sorted.
    public var left: [Int]
    /// Members of the second cluster, sorted.
    public var right: [Int]
    /// The height (distance) of the merge.
    public var height: Double
    /// What to say about it (listed under the terminal drawing, a tooltip in SVG), or nil.
    public var caption: String?

    /// A merge.
    public init(left: [Int], right: [Int], height: Double, caption: String? = nil) {
      self.left = left.sorted()
      self.right = right.sorted()
      self.height = height
      self.caption = caption
    }
  }

  /// A line above the drawing, or nil.
  public var title: String?
  /// One label per item, by index.
  public internal(set) var labels: [String]
  /// The merges in order: each side is one item or the union of an earlier merge.
  public internal(set) var merges: [Merge]
  /// What the height measures (`d = 1 − ρ`).
  public var heightLabel: String

  /// Creates a chart; throws when a merge's side is neither an item nor an earlier merge's
  /// union, when an item is merged twice, or when a height is negative or not finite.
  public init(
    title: String? = nil, labels: [String], merges: [Merge], heightLabel: String = "height"
  ) throws(RenderError) {
    var available: Set<[Int]> = Set(labels.indices.map { [$0] })
    for (k, m) in merges.enumerated() {
      guard m.height.isFinite, m.height >= 0 else {
        throw .invalidParameter(
          name: "merges[\(k)].height", value: "\(m.height)", expected: "finite and at least 0")
      }
      guard available.contains(m.left), available.contains(m.right), m.left != m.right else {
        throw .invalidParameter(
          name: "merges[\(k)]", value: "\(m.left) + \(m.right)",
          expected: "two distinct clusters: items or earlier merges not merged since")
      }
      available.remove(m.left)
      available.remove(m.right)
      available.insert((m.left + m.right).sorted())
    }
    self.title = title
    self.labels = labels
    self.merges = merges
    self.heightLabel = heightLabel
  }

  /// The items in the order that keeps every cluster contiguous (a merge's left side above
  /// its right side); items never merged follow in index order.
  public var leafOrder: [Int] {
    var memo: [[Int]: [Int]] = [:]
    for i in labels.indices { memo[[i]] = [i] }
    var roots: [[Int]] = labels.indices.map { [$0] }
    for m in merges {
      let joined = (m.left + m.right).sorted()
      memo[joined] = (memo[m.left] ?? m.left) + (memo[m.right] ?? m.right)
      roots.removeAll { $0 == m.left || $0 == m.right }
      roots.append(joined)
    }
    // Roots in order of their lowest member, so a full tree gives its one root.
    return roots.sorted { $0[0] < $1[0] }.flatMap { memo[$0] ?? $0 }
  }

  /// The largest height drawn: at least 1, so distances on [0, 1] keep their scale.
  public var top: Double { max(1, merges.map(\.height).max() ?? 1) }

  /// The terminal drawing: the title (with the height at the right edge), a row per item,
  /// then the merges' captions, if any. `width` columns span heights 0…``top``.
  public func render(style: TerminalStyle, width: Int = 40) -> String {
    let order = leafOrder
    let pad = (labels.map(\.count).max() ?? 0) + 1
    func column(_ h: Double) -> Int { min(width, max(1, Int((h / top * Double(width)).rounded()))) }
    var grid = order.map { _ in [Character](repeating: " ", count: width + 1) }
    var reach = order.map { _ in 0 }
    var rowOf = [Int: Int]()
    for (r, leaf) in order.enumerated() { rowOf[leaf] = r }
    // A cluster continues from its first row in leaf order.
    var anchor: [[Int]: Int] = [:]
    for leaf in labels.indices { anchor[[leaf]] = rowOf[leaf] ?? 0 }
    for (k, m) in merges.enumerated() {
      let a = anchor[m.left] ?? 0
      let b = anchor[m.right] ?? 0
      let c = column(m.height)
      for r in [a, b] {
        for x in reach[r]..<max(reach[r], c) where grid[r][x] == " " { grid[r][x] = "─" }
      }
      let (lo, hi) = (min(a, b), max(a, b))
      for r in (lo + 1)..<max(lo + 1, hi) where grid[r][c] == " " { grid[r][c] = "│" }
      grid[hi][c] = "┘"
      grid[lo][c] = k == merges.count - 1 ? "┐" : "┬"
      reach[lo] = c
      reach[hi] = c
      anchor[(m.left + m.right).sorted()] = lo
    }
    var lines: [String] = []
    if let title {
      lines.append(
        title + "; right edge \(heightLabel.split(separator: " ").first ?? "") = "
          + NumberFormat.short(top))
    }
    for (r, leaf) in order.enumerated() {
      let row = String(grid[r]).replacingOccurrences(
        of: "\\s+$", with: "", options: .regularExpression)
      lines.append(labels[leaf].padding(toLength: pad, withPad: " ", startingAt: 0) + row)
    }
    let captions = merges.compactMap(\.caption)
    if !captions.isEmpty { lines += ["merges:"] + captions.map { "  " + $0 } }
    return lines.joined(separator: "\n")
  }
}
