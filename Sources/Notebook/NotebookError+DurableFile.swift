import DurableIO

extension NotebookError {
  /// The notebook's account of a file that ``DurableIO/DurableFile`` could not read or write.
  public init(_ error: DurableFileError) {
    switch error {
    case .notFound(let path): self = .unreadable(path: path, reason: "no such file")
    case .isDirectory(let path): self = .unreadable(path: path, reason: "it is a folder")
    case .alreadyExists(let path): self = .exists(path: path)
    case .notADirectory(let path): self = .cannotWrite(path: path, reason: error.reason)
    case .tooLarge(let path, _, _), .cannotRead(let path, _):
      self = .unreadable(path: path, reason: error.reason)
    case .cannotWrite(let path, let reason): self = .cannotWrite(path: path, reason: reason)
    }
  }

  /// Runs a ``DurableIO/DurableFile`` operation, its ``DurableIO/DurableFileError``s turned
  /// into notebook errors (other errors pass through).
  ///
  /// ```swift
  /// let bytes = try NotebookError.translating { try DurableFile.read(path) }
  /// ```
  public static func translating<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as DurableFileError {
      throw NotebookError(error)
    }
  }
}
