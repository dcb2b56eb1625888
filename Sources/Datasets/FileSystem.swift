import DurableIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small file-system helpers over the C library: whole-file reads (through ``DurableIO``) with typed errors.
enum FileSystem {
  /// `directory` and `name` joined by one slash.
  static func join(_ directory: String, _ name: String) -> String {
    if directory.isEmpty { return name }
    return directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  /// Whether something exists at `path`.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
  }

  /// Whether `path` is a directory.
  static func isDirectory(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
  }

  /// The whole file at `path`, as raw bytes.
  static func readAll(_ path: String) throws(DatasetError) -> [UInt8] {
    do {
      return try DurableFile.read(path)
    } catch .notFound {
      throw .fileNotFound(path: path)
    } catch .isDirectory {
      throw .unreadable(path: path, reason: "it is a directory")
    } catch {
      throw .unreadable(path: path, reason: error.reason)
    }
  }
}
