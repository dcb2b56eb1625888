/// A recorded session: its header (format, engine version, options with the seed, environment)
/// and its cells in order. Large values live in the blob folder beside the file (see
/// ``BlobStore``); the cells name them by hash.
///
/// JSON: the header's fields and `cells` in one object —
/// `{"format": "shears-session/1", "engine": "0.1.0", "created": "…", "options": {…},
/// "environment": {…}, "cells": [{…}, …]}`.
public struct Session: Hashable, Sendable, Codable {
  /// The format, engine, time, options and environment.
  public var header: SessionHeader
  /// The cells, numbered from 1 in order.
  public var cells: [SessionCell]

  /// A session of `cells`.
  public init(header: SessionHeader, cells: [SessionCell] = []) {
    self.header = header
    self.cells = cells
  }

  /// A binding as it stands at some point of the session: the record and the cell that bound it.
  public struct StoredBinding: Hashable, Sendable {
    /// The bound value's record.
    public var value: BoundValue
    /// The cell that bound it.
    public var cell: Int
  }

  /// The cell numbered `number`.
  public func cell(_ number: Int) -> SessionCell? {
    cells.first { $0.number == number }
  }

  /// The number of the last cell (0 when there is none).
  var lastNumber: Int { cells.last?.number ?? 0 }

  /// The bindings as they were after every cell numbered below `number`, in the order they
  /// were first bound (what a runtime holds before running cell `number`).
  public func bindings(before number: Int) -> [StoredBinding] {
    var order: [String] = []
    var table: [String: StoredBinding] = [:]
    var last: SessionCell?
    for cell in cells where cell.number < number {
      for value in cell.bound {
        if table[value.name] == nil { order.append(value.name) }
        table[value.name] = StoredBinding(value: value, cell: cell.number)
      }
      last = cell
    }
    guard let last else { return [] }
    // Names the runtime no longer held after the last cell are gone.
    return order.compactMap { name in
      guard let binding = table[name], last.bindingHashes[name] != nil else { return nil }
      return binding
    }
  }

  /// The bindings after the last cell.
  public var finalBindings: [StoredBinding] { bindings(before: lastNumber + 1) }

  /// Every stored binding of every cell, in cell order.
  public var allBindings: [StoredBinding] {
    cells.flatMap { cell in cell.bound.map { StoredBinding(value: $0, cell: cell.number) } }
  }

  private enum CodingKeys: String, CodingKey {
    case cells
  }

  /// Decodes the header's fields and the cells from one object.
  public init(from decoder: any Decoder) throws {
    header = try SessionHeader(from: decoder)
    cells = try decoder.container(keyedBy: CodingKeys.self).decode(
      [SessionCell].self, forKey: .cells)
  }

  /// Encodes the header's fields and the cells into one object.
  public func encode(to encoder: any Encoder) throws {
    try header.encode(to: encoder)
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(cells, forKey: .cells)
  }
}
