import CommandLanguage
import CommandRuntime

/// Puts a session's bindings back into a runtime from their blobs, without running the cells
/// that made them: each blob is read (and checked against its name), decoded by its kind, and
/// its value's hash compared with the one recorded.
public enum BindingRestorer {
  /// Restores into `runtime` the bindings the session held before cell `number` (every
  /// binding after the last cell when `number` is past it), each marked with the cell that
  /// bound it, and continues the runtime's numbering after cell `number - 1`.
  ///
  /// - Returns: warnings for bindings that have no blob (they are left out).
  /// - Throws: ``NotebookError`` for a missing or changed blob, or a value that does not
  ///   decode or hashes differently from its record.
  @discardableResult
  public static func restore(
    _ session: Session, before number: Int, into runtime: Runtime, blobs: BlobStore
  ) throws -> [String] {
    var warnings: [String] = []
    let bindings = session.bindings(before: number)
    // Read and check every blob before binding anything.
    var archives: [(Session.StoredBinding, [UInt8])] = []
    for binding in bindings {
      guard let blob = binding.value.blob else {
        let reason = binding.value.problem ?? "it was not archived"
        warnings.append(
          "'\(binding.value.name)' (a \(binding.value.type), cell \(binding.cell)) "
            + "is not restored: \(reason)")
        continue
      }
      archives.append(
        (binding, try blobs.read(blob, binding: binding.value.name, cell: binding.cell)))
    }
    for (binding, bytes) in archives {
      let value = binding.value
      do {
        try runtime.restore(
          value.name, type: ValueKinds.type(named: value.type), bytes: bytes, cell: binding.cell)
      } catch {
        throw NotebookError.cannotRestore(
          binding: value.name, cell: binding.cell, type: value.type, reason: "\(error)")
      }
      let restored = runtime.environment[value.name]?.hash ?? ""
      guard restored == value.hash else {
        throw NotebookError.restoredHashMismatch(
          binding: value.name, cell: binding.cell, recorded: value.hash, restored: restored)
      }
    }
    runtime.continueNumbering(after: number - 1)
    return warnings
  }
}
