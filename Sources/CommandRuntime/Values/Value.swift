import CommandLanguage
import DurableIO

/// A value of the command language: what a command returns and a variable holds.
///
/// Every value knows its ``ValueType``, a one-line summary, a small ordered set of typed
/// ``Figures`` that replay compares, a stable content hash, and how to archive itself as bytes
/// (weights as a checkpoint, scores as JSON, a data set as its recipe) so that a session can
/// store it as a blob and restore the binding without recomputing.
///
/// Adding a kind of value: write a type conforming to `Value` in `Values/`, and add its decoder
/// to ``ValueKinds/standard`` so that ``ValueKinds/unarchive(type:bytes:loader:)`` can restore
/// it.
public protocol Value: Sendable {
  /// The type the checker sees.
  var type: ValueType { get }
  /// One line for a user: `vgg-small 1×28×28 → 10 classes, 6 conv, 68,954 params`.
  var summary: String { get }
  /// The figures a session records and replay compares, in a fixed order.
  var figures: Figures { get }
  /// The canonical bytes of the value (see each type for the format).
  func archive() throws -> [UInt8]
  /// The stable content hash: by default ``ContentHash`` of ``archive()``.
  func contentHash() throws -> String
  /// What `show` prints: tables and pictures in detail (by default the summary line).
  func details() -> [OutputItem]
}

extension Value {
  /// ``ContentHash`` (FNV-1a-64, hex) of the archived bytes.
  public func contentHash() throws -> String {
    ContentHash.hex(try archive())
  }

  /// The summary as one line of text.
  public func details() -> [OutputItem] {
    [.text(summary)]
  }
}
