import CommandLanguage
import Pruning
import Render

/// The channel groups of a model: which layers move together when channels are pruned.
///
/// Archive: JSON. Figures: `groups`, `streams` (groups joined by residual adds), and
/// `channels.<group>` for each group.
public struct GroupsValue: Value {
  /// The groups.
  public var groups: ChannelGroups
  /// The model's name.
  public var model: String

  /// Wraps the groups of `model`.
  public init(groups: ChannelGroups, model: String) {
    self.groups = groups
    self.model = model
  }

  public var type: ValueType { .groups }

  public var summary: String {
    let streams = groups.groups.filter(\.isResidualStream).count
    return "\(groups.groups.count) channel groups of \(model) (\(streams) residual streams)"
  }

  public var figures: Figures {
    var f = Figures([
      ("groups", .count(groups.groups.count)),
      ("streams", .count(groups.groups.filter(\.isResidualStream).count)),
    ])
    for g in groups.groups { f.append("channels.\(g.id)", .count(g.channels)) }
    return f
  }

  public func archive() throws -> [UInt8] {
    try JSONCoding.encode(Stored(groups: groups, model: model))
  }

  private struct Stored: Codable {
    var groups: ChannelGroups
    var model: String
  }

  /// Restores groups from their JSON.
  public static func unarchive(_ bytes: [UInt8]) throws -> GroupsValue {
    let s = try JSONCoding.decode(Stored.self, from: bytes, what: "Groups")
    return GroupsValue(groups: s.groups, model: s.model)
  }

  /// One row per group: channels, the layers that write it, the batch norms, the readers.
  public func details() -> [OutputItem] {
    var table = Table(
      title: summary,
      columns: [
        .text("group"), .numeric("channels"), .text("written by"), .text("read by"),
      ])
    for g in groups.groups {
      table.addRow([
        g.id, String(g.channels), (g.producers + g.shortcutProducers).joined(separator: " "),
        g.consumers.map(\.node).joined(separator: " "),
      ])
    }
    return [.table(table)]
  }
}
