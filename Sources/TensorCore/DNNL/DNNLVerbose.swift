import CDNNL

#if canImport(Glibc)
  import Glibc
#endif

/// oneDNN's verbose mode, which prints one line per executed primitive with the implementation
/// it runs (`jit:avx512_core`, `ref:any`, …) to standard output — how a test finds a shape that
/// falls back to a reference kernel. The same as `ONEDNN_VERBOSE=<level>` in the environment.
///
/// ```swift
/// let log = try DNNLVerbose.capture { try executor.forward(&net, images: x) }
/// log.contains("ref:")  // a reference kernel ran
/// ```
public enum DNNLVerbose {
  /// Sets the level: 0 off, 1 executions, 2 creations too.
  public static func set(level: Int) throws {
    try dnnlCheck(dnnl_set_verbose(Int32(level)), "dnnl_set_verbose")
  }

  /// Runs `body` with verbose level 1 and standard output sent to a temporary file, and returns
  /// what was printed there. Standard output is the process's: anything else printed meanwhile
  /// lands in the log too (tests filter the lines they look for).
  public static func capture(_ body: () throws -> Void) throws -> String {
    fflush(nil)
    var template = Array("/tmp/shears-dnnl-verbose-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw TensorCoreError.invalidArgument("cannot create a file for oneDNN's verbose log")
    }
    let path = String(cString: template)
    defer {
      close(fd)
      unlink(path)
    }
    let saved = dup(STDOUT_FILENO)
    dup2(fd, STDOUT_FILENO)
    var failure: Error?
    do {
      try set(level: 1)
      try body()
    } catch { failure = error }
    try? set(level: 0)
    fflush(nil)
    dup2(saved, STDOUT_FILENO)
    close(saved)
    if let failure { throw failure }
    lseek(fd, 0, SEEK_SET)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n <= 0 { break }
      bytes += chunk[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
