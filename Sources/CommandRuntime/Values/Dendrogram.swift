import Foundation
import Pruning
import Render

/// A terminal dendrogram of an ``Pruning/AgglomerativeClustering``: leaves in tree order, and
/// for every merge a bar from the merged leaves' rows to the column of its distance.
///
/// ```
/// average linkage on d = 1 − ρ    0 ───────────── 1
/// l1     ─┐
/// l2     ─┴──────┐
/// fpgm   ────────┴──────────┐
/// taylor ───────────────────┘
/// ```
enum Dendrogram {
  /// The leaves in the order that keeps every cluster contiguous.
  static func leafOrder(_ tree: AgglomerativeClustering) -> [Int] {
    guard let last = tree.merges.last else { return Array(0..<tree.count) }
    // Every merged side is a singleton or an earlier merge's result, so the lookups below find
    // what an earlier iteration stored (the tree's construction guarantees it).
    var memo: [[Int]: [Int]] = [:]
    for m in tree.merges {
      let left = m.left.count == 1 ? m.left : memo[m.left]!
      let right = m.right.count == 1 ? m.right : memo[m.right]!
      memo[(m.left + m.right).sorted()] = left + right
    }
    return memo[(last.left + last.right).sorted()] ?? Array(0..<tree.count)
  }

  /// The drawing, `width` columns for distances 0…max(1, largest merge).
  static func render(_ tree: AgglomerativeClustering, labels: [String], width: Int = 40) -> String {
    let order = leafOrder(tree)
    let pad = (labels.map(\.count).max() ?? 0) + 1
    let top = max(1, tree.merges.map(\.distance).max() ?? 1)
    func column(_ d: Double) -> Int { min(width, max(1, Int((d / top * Double(width)).rounded()))) }
    // Per row, the column its line reaches so far; per row the characters.
    var grid = order.map { _ in [Character](repeating: " ", count: width + 1) }
    var reach = order.map { _ in 0 }
    var rowOf = [Int: Int]()
    for (r, leaf) in order.enumerated() { rowOf[leaf] = r }
    // A cluster is represented by its first row in leaf order; as in leafOrder, every side of
    // a merge is a leaf or an earlier merge, so `anchor` has it.
    var anchor: [[Int]: Int] = [:]
    for leaf in 0..<tree.count { anchor[[leaf]] = rowOf[leaf]! }
    for (k, m) in tree.merges.enumerated() {
      let a = anchor[m.left]!
      let b = anchor[m.right]!
      let c = column(m.distance)
      for r in [a, b] {
        for x in reach[r]..<c where grid[r][x] == " " { grid[r][x] = "─" }
      }
      let (lo, hi) = (min(a, b), max(a, b))
      grid[lo][c] = "┐"
      for r in (lo + 1)..<hi where grid[r][c] == " " { grid[r][c] = "│" }
      grid[hi][c] = "┘"
      reach[lo] = c
      reach[hi] = c
      anchor[(m.left + m.right).sorted()] = lo
      // The merged cluster continues from its top row.
      grid[lo][c] = k == tree.merges.count - 1 ? "┐" : "┬"
    }
    var lines = [
      "dendrogram, network-wide mean ρ (average linkage on d = 1 − ρ; right edge d = "
        + Figure.format(top) + ")"
    ]
    for (r, leaf) in order.enumerated() {
      let name = labels[leaf].padding(toLength: pad, withPad: " ", startingAt: 0)
      lines.append(
        name
          + String(grid[r]).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
      )
    }
    let merges = tree.merges.map { m in
      "ρ " + NumberFormat.fixed(1 - m.distance, decimals: 2) + ": "
        + m.left.map { labels[$0] }.joined(separator: "+") + " ← "
        + m.right.map { labels[$0] }.joined(separator: "+")
    }
    return (lines + ["merges:"] + merges.map { "  " + $0 }).joined(separator: "\n")
  }
}
