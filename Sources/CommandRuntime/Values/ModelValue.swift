import CommandLanguage
import DurableIO
import NeuralNet
import Render

/// A network with its weights, and free-form provenance (`history`: what made it, one step a
/// line).
///
/// Archive: ``Checkpoint/encode(_:metadata:)`` bytes (the versioned, checksummed checkpoint
/// format) with the provenance as metadata. Figures: `params`, `macs`, `conv` (how many conv
/// layers), `channels` (the output channels of every conv, in graph order), `input` (shape).
public struct ModelValue: Value {
  /// The network.
  public var network: Network
  /// Provenance kept in the checkpoint's metadata; `history` holds one line per step.
  public internal(set) var metadata: [String: String]

  /// Wraps a network and its provenance.
  public init(network: Network, metadata: [String: String] = [:]) {
    self.network = network
    self.metadata = metadata
  }

  /// The same model with `line` appended to its history.
  public func adding(history line: String) -> ModelValue {
    var copy = self
    let previous = metadata["history"].map { $0 + "\n" } ?? ""
    copy.metadata["history"] = previous + line
    return copy
  }

  public var type: ValueType { .model }

  /// The conv nodes with their specs, in graph order.
  public var convolutions: [(name: String, spec: ConvSpec)] {
    network.nodes.compactMap { node in
      if case .conv(let spec) = node.operation { return (node.name, spec) }
      return nil
    }
  }

  public var summary: String {
    let shape = network.inputShape.map(String.init).joined(separator: "×")
    return "\(network.name) \(shape) → \(network.classes) classes: \(convolutions.count) conv, "
      + "\(NumberFormat.grouped(network.parameterCount)) params, "
      + "\(NumberFormat.compact(network.macs)) MACs"
  }

  public var figures: Figures {
    Figures([
      ("params", .count(network.parameterCount)),
      ("macs", .count(network.macs)),
      ("conv", .count(convolutions.count)),
      ("channels", .shape(convolutions.map(\.spec.outChannels))),
      ("input", .shape(network.inputShape)),
    ])
  }

  /// The checkpoint bytes.
  public func archive() throws -> [UInt8] {
    try Checkpoint.encode(network, metadata: metadata)
  }

  /// ``ContentHash`` of the checkpoint without measured metadata (keys ending in `.measured`,
  /// such as a gradual run's timings), so a replay at another speed hashes the same.
  public func contentHash() throws -> String {
    ContentHash.hex(
      try Checkpoint.encode(network, metadata: metadata.filter { !$0.key.hasSuffix(".measured") }))
  }

  /// Restores a model from checkpoint bytes.
  public static func unarchive(_ bytes: [UInt8]) throws -> ModelValue {
    let (network, metadata) = try Checkpoint.decode(bytes, path: "(stored Model)")
    return ModelValue(network: network, metadata: metadata)
  }

  /// A table of the layers with weights (output shape, parameters, MACs) and the history.
  public func details() -> [OutputItem] {
    let shapes = (try? network.outputShapes()) ?? [:]
    let macs = (try? network.macsByNode()) ?? [:]
    let params = network.parametersByNode
    var table = Table(
      title: summary,
      columns: [
        .text("layer"), .text("kind"), .text("output"), .numeric("params"), .numeric("MACs"),
      ])
    for node in network.nodes {
      switch node.operation {
      case .conv, .linear, .batchNorm:
        let shape = shapes[node.name].map { $0.map(String.init).joined(separator: "×") } ?? ""
        table.addRow([
          node.name, node.operation.kindName, shape,
          NumberFormat.grouped(params[node.name] ?? 0),
          macs[node.name].map { NumberFormat.grouped($0) } ?? "",
        ])
      default:
        break
      }
    }
    table.addRow([
      "total", "", "", NumberFormat.grouped(network.parameterCount),
      NumberFormat.grouped(network.macs),
    ])
    var items: [OutputItem] = [.table(table)]
    if let gradual = GradualHistory.from(metadata) {
      items += gradual.items(measured: GradualHistory.measured(metadata))
    }
    if let history = metadata["history"], !history.isEmpty {
      items.append(
        .text(
          "history:\n" + history.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")))
    }
    return items
  }
}
