import Foundation
import Pruning
import Render

/// The dendrogram of an ``Pruning/AgglomerativeClustering`` of criteria as a Render
/// ``Render/DendrogramChart``: leaves in tree order, every merge a bracket at its average-linkage
/// distance d = 1 − ρ, captioned with the mean ρ it merged at. The terminal drawing:
///
/// ```
/// l1     ─┐
/// l2     ─┴──────┐
/// fpgm   ────────┴──────────┐
/// taylor ───────────────────┘
/// ```
///
/// The same chart gives the SVG of a notebook export.
enum Dendrogram {
  /// The leaves in the order that keeps every cluster contiguous.
  static func leafOrder(_ tree: AgglomerativeClustering) -> [Int] {
    (try? chart(tree, labels: (0..<tree.count).map(String.init), title: nil).leafOrder)
      ?? Array(0..<tree.count)
  }

  /// The chart of `tree` with `labels`, titled `title`.
  static func chart(_ tree: AgglomerativeClustering, labels: [String], title: String?) throws
    -> DendrogramChart
  {
    try DendrogramChart(
      title: title, labels: labels,
      merges: tree.merges.map { m in
        DendrogramChart.Merge(
          left: m.left, right: m.right, height: m.distance,
          caption: "ρ " + NumberFormat.fixed(1 - m.distance, decimals: 2) + ": "
            + m.left.map { labels[$0] }.joined(separator: "+") + " ← "
            + m.right.map { labels[$0] }.joined(separator: "+"))
      },
      heightLabel: "d = 1 − ρ (average linkage)")
  }

  /// The network-wide (or one group's) dendrogram's title.
  static func title(group: String?) -> String {
    "dendrogram, " + (group.map { "ρ in \($0)" } ?? "network-wide mean ρ")
      + " (average linkage on d = 1 − ρ)"
  }
}
