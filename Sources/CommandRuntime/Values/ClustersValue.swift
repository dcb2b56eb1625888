import CommandLanguage
import Pruning
import Render

/// Criteria clustered per channel group (``Pruning/CriteriaClusters``): which criteria rank a
/// group's filters alike, and each cluster's blending candidate.
///
/// Archive: JSON of the clustering. Figures: `criteria`, `groups`, `candidates` (the distinct
/// candidates), `network` (the network-wide clusters, `l1+l2*|taylor*` with `*` on the
/// candidates), and `clusters.<group>` in the same form for every group.
public struct ClustersValue: Value {
  /// The clustering.
  public var clusters: CriteriaClusters

  /// Wraps a clustering.
  public init(clusters: CriteriaClusters) { self.clusters = clusters }

  public var type: ValueType { .clusters }

  public var summary: String {
    let groups = clusters.groups
    let mean = Double(groups.reduce(0) { $0 + $1.clusters.count }) / Double(max(groups.count, 1))
    let cut =
      clusters.options.clusters.map { "k = \($0)" }
      ?? "ρ ≥ \(Figure.format(clusters.options.threshold))"
    return "clusters of \(clusters.criteria.count) criteria on \(clusters.layout.model): "
      + "\(groups.count) groups, \(NumberFormat.fixed(mean, decimals: 1)) clusters per group "
      + "(\(cut), pool=\(clusters.options.pooling.rawValue)); candidates "
      + clusters.candidateNames.joined(separator: ", ")
  }

  /// `l1+l2*|taylor*`: clusters separated by `|`, candidates starred.
  func describe(_ g: CriteriaClusters.GroupClusters) -> String {
    zip(g.clusters, g.candidates).map { members, candidate in
      members.map { clusters.criteria[$0] + ($0 == candidate ? "*" : "") }
        .joined(separator: "+")
    }.joined(separator: "|")
  }

  public var figures: Figures {
    var f = Figures([
      ("criteria", .text(clusters.criteria.joined(separator: ","))),
      ("groups", .count(clusters.groups.count)),
      ("candidates", .text(clusters.candidateNames.joined(separator: ","))),
      ("network", .text(describe(clusters.network))),
    ])
    for g in clusters.groups { f.append("clusters.\(g.group)", .text(describe(g))) }
    return f
  }

  public func archive() throws -> [UInt8] { try JSONCoding.encode(clusters) }

  /// Restores the clustering from its JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> ClustersValue {
    ClustersValue(
      clusters: try JSONCoding.decode(CriteriaClusters.self, from: bytes, what: "Clusters"))
  }

  /// The per-group table, the network-wide dendrogram (a picture: bars in the terminal, SVG in
  /// an export), and its ρ heat map.
  public func details() -> [OutputItem] {
    var table = Table(
      title: "clusters per group (* = blending candidate, the medoid)",
      columns: [
        .text("group"), .numeric("channels"), .numeric("stage"), .text("ρ from"),
        .text("clusters"),
      ])
    for g in clusters.groups {
      table.rows.append([g.group, String(g.channels), String(g.stage), g.source, describe(g)])
    }
    var items: [OutputItem] = [.text(summary), .table(table)]
    if let dendrogram = try? dendrogramPicture(group: nil) { items.append(.picture(dendrogram)) }
    if let picture = try? picture(group: nil) { items.append(.picture(picture)) }
    return items
  }

  /// The dendrogram of `group` (nil: the network-wide mean ρ), terminal bars or SVG.
  public func dendrogramPicture(group: String?) throws -> Picture {
    let g = try clustersOf(group: group)
    do {
      return .dendrogram(
        try Dendrogram.chart(
          g.tree, labels: clusters.criteria, title: Dendrogram.title(group: group)))
    } catch {
      throw RuntimeError.internalInconsistency("the clustering's tree cannot be drawn: \(error)")
    }
  }

  private func clustersOf(group: String?) throws -> CriteriaClusters.GroupClusters {
    guard let group else { return clusters.network }
    guard let found = clusters.group(group) else {
      throw RuntimeError.invalidArgument(
        command: "plot", name: "layer",
        problem: "the clusters have no group '\(group)'; groups: "
          + clusters.groups.map(\.group).joined(separator: ", "))
    }
    return found
  }

  /// The ρ heat map of `group` (nil: the network-wide mean), criteria in dendrogram order.
  public func picture(group: String?) throws -> Picture {
    let g = try clustersOf(group: group)
    let order = Dendrogram.leafOrder(g.tree)
    return .heatMap(
      try HeatMap(
        title: (group.map { "ρ in \($0)" } ?? "network-wide mean ρ") + ", in dendrogram order",
        labels: order.map { clusters.criteria[$0] },
        values: order.map { a in order.map { b in g.rho[a][b] ?? .nan } }))
  }
}
