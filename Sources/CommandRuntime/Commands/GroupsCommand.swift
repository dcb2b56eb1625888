import CommandLanguage
import Pruning

extension CommandDefinition {
  /// `groups m`: the channel groups — which layers move together when channels go.
  public static let groups = CommandDefinition(
    CommandSignature(
      name: "groups",
      parameters: [ParameterSpec("model", .model, summary: "the model")],
      result: .groups,
      summary: "List the channel groups: layers joined by residual adds prune the same channels.",
      example: "groups m"),
    group: .pruning
  ) { arguments, _ in
    let model = try arguments.model("model")
    return GroupsValue(groups: try ChannelGroups(network: model.network), model: model.network.name)
  }
}
