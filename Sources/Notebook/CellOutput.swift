import CommandRuntime
import Render

/// One piece of what a cell showed, kept so that an export can draw it properly: text and
/// warnings as preformatted text, tables as tables, pictures as SVG.
///
/// JSON: an object with one key, its kind — `{"text": "…"}`, `{"warning": "…"}`,
/// `{"progress": "epoch 1/2 … in 0:01"}` (a finished progress bar's last line),
/// `{"table": {"title": …, "columns": [{"header": "name", "numeric": false}], "rows": [[…]]}}`,
/// `{"picture": {"kind": "heatMap", "text": "<terminal drawing>", "svg": "<svg …>"}}`.
public enum CellOutput: Hashable, Sendable, Codable {
  /// Lines of text.
  case text(String)
  /// A warning (without the `warning: ` prefix).
  case warning(String)
  /// The final line of a progress bar.
  case progress(String)
  /// A table.
  case table(TableRecord)
  /// A picture, drawn for the terminal and as SVG.
  case picture(PictureRecord)

  /// A table's title, columns and cells.
  public struct TableRecord: Hashable, Sendable, Codable {
    /// One column: its header and whether it holds numbers (right-aligned).
    public struct Column: Hashable, Sendable, Codable {
      /// The header.
      public var header: String
      /// Whether the column is right-aligned.
      public internal(set) var numeric: Bool

      /// Creates a column.
      public init(header: String, numeric: Bool) {
        self.header = header
        self.numeric = numeric
      }
    }

    /// The title, if any.
    public var title: String?
    /// The columns.
    public var columns: [Column]
    /// The cells, row by row.
    public var rows: [[String]]

    /// Creates a table record.
    public init(title: String?, columns: [Column], rows: [[String]]) {
      self.title = title
      self.columns = columns
      self.rows = rows
    }

    /// The record of a Render table.
    public init(_ table: Table) {
      self.init(
        title: table.title,
        columns: table.columns.map {
          Column(header: $0.header, numeric: $0.alignment == .right)
        },
        rows: table.rows)
    }
  }

  /// A picture's kind, its terminal drawing (plain style) and its SVG document.
  public struct PictureRecord: Hashable, Sendable, Codable {
    /// `barChart`, `histogram`, `heatMap`, `lineChart` or `dendrogram`.
    public var kind: String
    /// The drawing as the cell's rendered text has it.
    public var text: String
    /// The standalone SVG document.
    public internal(set) var svg: String

    /// Creates a picture record.
    public init(kind: String, text: String, svg: String) {
      self.kind = kind
      self.text = text
      self.svg = svg
    }
  }

  /// The record of an output item; terminal drawings in `style`.
  public init(_ item: OutputItem, style: TerminalStyle) {
    switch item {
    case .text(let text): self = .text(text)
    case .warning(let message): self = .warning(message)
    case .table(let table): self = .table(TableRecord(table))
    case .picture(let picture):
      self = .picture(
        PictureRecord(
          kind: Self.kind(of: picture), text: picture.render(style: style), svg: picture.svg()))
    }
  }

  /// The output as the cell's rendered text has it, drawn in `style` (the session's record
  /// style): what ``CommandRuntime/OutputItem/render(style:)`` gave when it was shown.
  public func render(style: TerminalStyle) -> String {
    switch self {
    case .text(let text): return text
    case .warning(let message): return "warning: " + message
    case .progress(let line): return line
    case .picture(let picture): return picture.text
    case .table(let record):
      let table = Table(
        title: record.title,
        columns: record.columns.map {
          $0.numeric ? Table.Column.numeric($0.header) : Table.Column.text($0.header)
        },
        rows: record.rows)
      return table.render(style: style)
    }
  }

  static func kind(of picture: Picture) -> String {
    switch picture {
    case .barChart: return "barChart"
    case .histogram: return "histogram"
    case .heatMap: return "heatMap"
    case .lineChart: return "lineChart"
    case .dendrogram: return "dendrogram"
    }
  }

  private enum Key: String, CodingKey {
    case text, warning, progress, table, picture
  }

  /// Decodes the one-key object form.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    guard container.allKeys.count == 1, let key = container.allKeys.first else {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription:
            "an output is an object with one of the keys text, warning, progress, table, picture"
        ))
    }
    switch key {
    case .text: self = .text(try container.decode(String.self, forKey: key))
    case .warning: self = .warning(try container.decode(String.self, forKey: key))
    case .progress: self = .progress(try container.decode(String.self, forKey: key))
    case .table: self = .table(try container.decode(TableRecord.self, forKey: key))
    case .picture: self = .picture(try container.decode(PictureRecord.self, forKey: key))
    }
  }

  /// Encodes the one-key object form.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    switch self {
    case .text(let text): try container.encode(text, forKey: .text)
    case .warning(let text): try container.encode(text, forKey: .warning)
    case .progress(let text): try container.encode(text, forKey: .progress)
    case .table(let table): try container.encode(table, forKey: .table)
    case .picture(let picture): try container.encode(picture, forKey: .picture)
    }
  }
}
