import Glibc

/// Why a file could not be read or written; every case names the file.
///
/// `reason` is the problem without the path, for callers that wrap it in an error of their
/// own (`checkpoint runs/a.ck: cannot save: the disk is full`); `description` is the whole
/// message.
///
/// ```swift
/// do { _ = try DurableFile.read("a.ck") } catch { print(error) }  // "a.ck: no such file"
/// ```
public enum DurableFileError: Error, Equatable, Sendable, CustomStringConvertible {
  /// Nothing exists at `path` (or a folder on the way is missing).
  case notFound(path: String)
  /// `path` is a directory where a file was expected.
  case isDirectory(path: String)
  /// A file stands at `path` where a directory is needed (creating directories).
  case notADirectory(path: String)
  /// `path` exists and replacing it was not asked for (``DurableFile/IfExists/refuse``).
  case alreadyExists(path: String)
  /// The file holds more bytes than the reader accepts.
  case tooLarge(path: String, size: Int, limit: Int)
  /// The file exists but could not be read.
  case cannotRead(path: String, reason: String)
  /// The file could not be written; whatever was at `path` before is still there.
  case cannotWrite(path: String, reason: String)

  /// The file the error is about.
  public var path: String {
    switch self {
    case .notFound(let path), .isDirectory(let path), .notADirectory(let path),
      .alreadyExists(let path),
      .tooLarge(let path, _, _), .cannotRead(let path, _), .cannotWrite(let path, _):
      return path
    }
  }

  /// The problem, without the path.
  public var reason: String {
    switch self {
    case .notFound: return "no such file"
    case .isDirectory: return "it is a directory, not a file"
    case .notADirectory: return "it is a file, not a directory"
    case .alreadyExists: return "it already exists; choose another name or ask to overwrite it"
    case .tooLarge(_, let size, let limit):
      return "it has \(size) bytes, more than the \(limit) this reader accepts"
    case .cannotRead(_, let reason), .cannotWrite(_, let reason): return reason
    }
  }

  /// A message a user can act on: the file, then the problem.
  public var description: String { "\(path): \(reason)" }

  /// What a C library error number means for someone who wants to fix it. One table for
  /// every file operation of Shears.
  public static func explain(_ code: Int32) -> String {
    switch code {
    case ENOENT: return "no such file or directory"
    case ENOTDIR: return "a part of the path is a file, not a directory"
    case EACCES, EPERM: return "permission denied (check the owner and mode of the file and folder)"
    case EROFS: return "the file system is read-only"
    case ENOSPC: return "the disk is full; free some space and try again"
    case EDQUOT: return "the disk quota is exhausted; free some space and try again"
    case EISDIR, ENOTEMPTY: return "a directory is in the way"
    case ENAMETOOLONG: return "the name is too long"
    case EMFILE, ENFILE: return "too many open files; close some and try again"
    case EIO: return "input/output error (the disk or the network file system may be failing)"
    case ELOOP: return "too many symbolic links in the path"
    default:
      guard let text = strerror(code) else { return "error \(code)" }
      return String(cString: text)
    }
  }
}
