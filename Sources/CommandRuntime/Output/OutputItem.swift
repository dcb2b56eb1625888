import Render

/// A picture a command draws: the Render value, so the shell draws it for the terminal and a
/// notebook export can draw the same as SVG.
public enum Picture: Sendable, Equatable {
  /// Labelled horizontal bars (per-layer figures).
  case barChart(BarChart)
  /// Binned values with an optional fitted Gaussian (weights, scores).
  case histogram(Histogram)
  /// A matrix of values (similarities).
  case heatMap(HeatMap)
  /// Series over steps.
  case lineChart(LineChart)
  /// The merges of a hierarchical clustering (criteria).
  case dendrogram(DendrogramChart)

  /// The picture as terminal text in `style` (no final newline).
  public func render(style: TerminalStyle) -> String {
    switch self {
    case .barChart(let chart): return chart.render(style: style)
    case .histogram(let histogram): return histogram.render(style: style)
    case .heatMap(let map): return map.render(style: style)
    case .lineChart(let chart): return chart.render(style: style)
    case .dendrogram(let chart): return chart.render(style: style)
    }
  }

  /// The picture as a standalone SVG document.
  public func svg() -> String {
    switch self {
    case .barChart(let chart): return chart.svg()
    case .histogram(let histogram): return histogram.svg()
    case .heatMap(let map): return map.svg()
    case .lineChart(let chart): return chart.svg()
    case .dendrogram(let chart): return chart.svg()
    }
  }
}

/// One piece of a command's output. Commands emit these through their ``CommandContext``; the
/// shell draws them, and the runtime keeps their plain rendering in the cell's text.
public enum OutputItem: Sendable, Equatable {
  /// Lines of text (no final newline).
  case text(String)
  /// A table.
  case table(Table)
  /// A chart.
  case picture(Picture)
  /// Something the user should know that is not an error (shown as `warning: …`).
  case warning(String)

  /// The item as terminal text in `style` (no final newline).
  public func render(style: TerminalStyle) -> String {
    switch self {
    case .text(let text): return text
    case .table(let table): return table.render(style: style)
    case .picture(let picture): return picture.render(style: style)
    case .warning(let message): return "warning: " + message
    }
  }
}
