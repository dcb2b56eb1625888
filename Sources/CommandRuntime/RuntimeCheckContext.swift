import CommandLanguage
import Pruning

/// The checker's view of a runtime: the registry's signatures, the types of the bound
/// variables, criterion names as `Criterion` symbols, and layer names as `Layer` symbols.
public struct RuntimeCheckContext: CheckContext, Sendable {
  /// What the context is for: checking accepts every zoo layer name (see ``LayerCatalog``);
  /// completion offers only the layers of bound models.
  public enum Purpose: Sendable {
    case checking
    case completion
  }

  /// The commands.
  public let registry: CommandRegistry
  /// The bound variables' types.
  public let variables: [String: ValueType]
  /// Variable names in binding order.
  let orderedVariables: [String]
  /// The layer names of the bound models.
  let boundLayers: [String]
  /// What the context is for.
  public let purpose: Purpose

  /// The meta commands this runtime answers.
  public static let metaCommands = ["help", "quit", "type", "vars"]

  /// A context over `registry` and `environment`.
  public init(registry: CommandRegistry, environment: Environment, purpose: Purpose) {
    self.registry = registry
    var types: [String: ValueType] = [:]
    var layers: [String] = []
    var seen: Set<String> = []
    for binding in environment.bindings {
      types[binding.name] = binding.value.type
      if let model = binding.value as? ModelValue {
        for layer in LayerCatalog.weightedLayers(of: model.network)
        where seen.insert(layer).inserted {
          layers.append(layer)
        }
      }
    }
    self.variables = types
    self.orderedVariables = environment.names
    self.boundLayers = layers
    self.purpose = purpose
  }

  public func signature(of command: String) -> CommandSignature? {
    registry.command(named: command)?.signature
  }

  public var commandNames: [String] { registry.names }

  public func type(ofVariable name: String) -> ValueType? { variables[name] }

  public var variableNames: [String] { orderedVariables }

  public func symbols(accepting type: ValueType) -> [String] {
    switch type {
    case .criterion:
      return CriterionRegistry.standard.names
    case .layer:
      switch purpose {
      case .completion: return boundLayers
      case .checking:
        var names = boundLayers
        let known = Set(names)
        names += LayerCatalog.zooLayers.filter { !known.contains($0) }
        return names
      }
    default:
      return []
    }
  }

  public func type(ofSymbol word: String) -> ValueType? {
    CriterionRegistry.standard.names.contains(word) ? .criterion : nil
  }

  public var metaCommandNames: [String] { Self.metaCommands }
}
