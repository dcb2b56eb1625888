import CommandLanguage
import NeuralNet
import Render

extension CommandDefinition {
  /// `plot v …`: a picture of a value — per-layer bars, or a histogram of one layer.
  public static let plot = CommandDefinition(
    CommandSignature(
      name: "plot",
      parameters: [
        ParameterSpec("value", .any, summary: "a Model, Scores, Dataset or Latency"),
        ParameterSpec(
          "layer", .layer, .keyword, default: .optional,
          summary: "one layer: a histogram of its weights or scores"),
        ParameterSpec(
          "kind", .text, .keyword, default: .optional, symbols: PlotKind.allCases.map(\.rawValue),
          summary: "what to draw (default: weights with layer=, else params / scores / classes)"),
        ParameterSpec(
          "bins", .number, .keyword, default: .value(.number(20)), range: .closed(2, 200),
          integerOnly: true, summary: "histogram bins"),
      ],
      result: .nothing,
      summary: "Draw a value: per-layer bars, or a layer's weights with the fitted Gaussian.",
      example: "plot m layer=features.0.conv kind=weights"),
    group: .inspection
  ) { arguments, context in
    guard let value = arguments.value("value") else {
      throw RuntimeError.internalInconsistency("plot without a value")
    }
    let layer = try arguments.optionalText("layer")
    let kindName = try arguments.optionalText("kind")
    let bins = try arguments.int("bins")
    let kind = try kindName.map { name -> PlotKind in
      guard let kind = PlotKind(rawValue: name) else {
        throw RuntimeError.invalidArgument(
          command: "plot", name: "kind", problem: "unknown kind '\(name)'")
      }
      return kind
    }
    let picture: Picture
    switch value {
    case let model as ModelValue:
      picture = try PlotKind.model(model, kind: kind, layer: layer, bins: bins)
    case let scores as ScoresValue:
      picture = try PlotKind.scores(scores, kind: kind, layer: layer, bins: bins)
    case let data as DatasetValue:
      picture = try PlotKind.dataset(data, kind: kind, bins: bins)
    case let clusters as ClustersValue:
      picture =
        kind == .dendrogram
        ? try clusters.dendrogramPicture(group: layer) : try clusters.picture(group: layer)
    case let latency as LatencyValue:
      picture = try latency.picture()
    case let criterion as CriterionValue where criterion.blend?.fitnessChart != nil:
      picture = .lineChart(criterion.blend!.fitnessChart!)
    default:
      throw RuntimeError.unsupported(
        command: "plot",
        problem: "there is no picture of \(value.type.withArticle); plot takes a Model, Scores, "
          + "a Dataset, Clusters or a blended Criterion (show prints any value)")
    }
    context.emit(.picture(picture))
    return nil
  }
}

/// What `plot` draws.
enum PlotKind: String, CaseIterable {
  /// A histogram of one layer's weights with the fitted Gaussian (Model).
  case weights
  /// Parameters per layer (Model).
  case params
  /// Multiply–accumulates per layer (Model).
  case macs
  /// Output channels per conv layer (Model).
  case channels
  /// Accuracy and FLOPs kept per epoch of a `gradual` run (Model).
  case epochs
  /// Mean score per layer, or a histogram of one layer's scores (Scores).
  case scores
  /// Images per class (Dataset).
  case classes
  /// The dendrogram of the criteria, network-wide or of one group (Clusters; the default for
  /// Clusters is the ρ heat map).
  case dendrogram
  /// A histogram of the train images' pixel values (Dataset).
  case pixels

  static func wrongKind(_ kind: PlotKind, for type: String, allowed: [PlotKind]) -> RuntimeError {
    .invalidArgument(
      command: "plot", name: "kind",
      problem: "\(kind.rawValue) does not apply to \(type); use one of "
        + allowed.map(\.rawValue).joined(separator: ", "))
  }

  static func checkLayer(_ layer: String, in layers: [String], of what: String) throws {
    guard layers.contains(layer) else {
      var problem = "\(what) has no layer '\(layer)'"
      if let near = Suggestion.closest(to: layer, among: layers) {
        problem += "; did you mean '\(near)'?"
      } else {
        problem +=
          "; its layers: " + layers.prefix(6).joined(separator: ", ")
          + (layers.count > 6 ? ", …" : "")
      }
      throw RuntimeError.invalidArgument(command: "plot", name: "layer", problem: problem)
    }
  }

  /// A histogram with the normal distribution of the same mean and standard deviation.
  static func histogram(_ values: [Double], bins: Int, title: String, xLabel: String) throws
    -> Histogram
  {
    let mean = values.reduce(0, +) / Double(max(values.count, 1))
    let variance =
      values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(values.count - 1, 1))
    return try Histogram(
      values: values, bins: bins, title: title, xLabel: xLabel,
      gaussian: GaussianCurve(mean: mean, standardDeviation: variance.squareRoot()))
  }

  static func model(_ model: ModelValue, kind: PlotKind?, layer: String?, bins: Int) throws
    -> Picture
  {
    let network = model.network
    let allowed: [PlotKind] = [.weights, .params, .macs, .channels, .epochs]
    let kind = kind ?? (layer == nil ? .params : .weights)
    guard allowed.contains(kind) else { throw wrongKind(kind, for: "a Model", allowed: allowed) }
    if kind == .epochs {
      guard let history = GradualHistory.from(model.metadata) else {
        throw RuntimeError.invalidArgument(
          command: "plot", name: "kind",
          problem: "\(network.name) has no per-epoch history; kind=epochs plots a model made by "
            + "gradual")
      }
      return .lineChart(try history.chart())
    }
    if kind == .weights {
      let layers = LayerCatalog.weightedLayers(of: network)
      let chosen = layer ?? model.convolutions.first?.name ?? layers.first ?? ""
      try checkLayer(chosen, in: layers, of: network.name)
      guard let weights = network.parameters[chosen + ".weight"] else {
        throw RuntimeError.invalidArgument(
          command: "plot", name: "layer", problem: "\(chosen) has no weights")
      }
      return .histogram(
        try histogram(
          weights.scalars.map(Double.init), bins: bins,
          title: "\(network.name) \(chosen).weight: \(weights.count) weights",
          xLabel: "weight"))
    }
    if layer != nil {
      throw RuntimeError.invalidArgument(
        command: "plot", name: "layer", problem: "layer= goes with kind=weights")
    }
    let labels: [String]
    let values: [Double]
    switch kind {
    case .channels:
      labels = model.convolutions.map(\.name)
      values = model.convolutions.map { Double($0.spec.outChannels) }
    case .macs:
      let macs = try network.macsByNode()
      labels = network.nodes.map(\.name).filter { macs[$0] != nil }
      values = labels.map { Double(macs[$0] ?? 0) }
    default:
      let params = network.parametersByNode
      labels = network.nodes.map(\.name).filter { params[$0] != nil }
      values = labels.map { Double(params[$0] ?? 0) }
    }
    return .barChart(
      try BarChart(
        title: "\(network.name): \(kind.rawValue) per layer", labels: labels, values: values,
        decimals: 0))
  }

  static func scores(_ scores: ScoresValue, kind: PlotKind?, layer: String?, bins: Int) throws
    -> Picture
  {
    if let kind, kind != .scores {
      throw wrongKind(kind, for: "Scores", allowed: [.scores])
    }
    let criterion = scores.scores.criterion
    if let layer {
      try checkLayer(layer, in: scores.scores.layers, of: "these scores")
      let values = scores.scores[layer] ?? []
      return .histogram(
        try histogram(
          values, bins: bins, title: "\(criterion) scores of \(layer): \(values.count) filters",
          xLabel: "score"))
    }
    let layers = scores.scores.layers
    let means = layers.map { layer -> Double in
      let values = scores.scores[layer] ?? []
      return values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }
    return .barChart(
      try BarChart(
        title: "\(criterion) scores of \(scores.model): mean per layer", labels: layers,
        values: means, decimals: 3))
  }

  static func dataset(_ data: DatasetValue, kind: PlotKind?, bins: Int) throws -> Picture {
    let allowed: [PlotKind] = [.classes, .pixels]
    let kind = kind ?? .classes
    guard allowed.contains(kind) else { throw wrongKind(kind, for: "a Dataset", allowed: allowed) }
    let dataset = data.dataset
    if kind == .pixels {
      let images = dataset.train.images
      let step = max(1, images.count / 200_000)
      let values = stride(from: 0, to: images.count, by: step).map { Double(images[$0]) }
      return .histogram(
        try histogram(
          values, bins: bins, title: "\(dataset.name): train pixel values", xLabel: "pixel"))
    }
    let counts = dataset.train.classCounts(classes: dataset.classCount)
    let labels = (0..<dataset.classCount).map { dataset.classNames?[$0] ?? String($0) }
    return .barChart(
      try BarChart(
        title: "\(dataset.name): train images per class", labels: labels,
        values: counts.map(Double.init), decimals: 0))
  }
}
